package dev.baton.hub.compile;

import java.util.Map;

import dev.baton.hub.persistence.DefinitionRow;
import dev.baton.hub.runtime.Command;
import dev.baton.model.definition.ProcessDefinition;

/**
 * A deployed definition version, ready to run.
 *
 * @param definition the model
 * @param row        as stored
 * @param actions    work of the steps that have any, by step id
 */
public record CompiledDefinition(ProcessDefinition definition, DefinitionRow row, Map<String, StepAction> actions) {

    /** Stable across retries of one step execution: what external writes are de-duplicated by. */
    public static String idempotencyKey(Command command) {
        return command.instanceId() + ":" + command.step() + ":" + command.token();
    }

    public String id() {
        return definition.id();
    }

    public int version() {
        return definition.version();
    }
}
