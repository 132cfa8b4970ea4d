package dev.baton.hub.compile;

import java.util.List;
import java.util.Map;

import dev.baton.hub.runtime.Command;
import dev.baton.model.engine.InstanceState;

/** The work of one step, run when its execute command is consumed, before the transition is stored. */
@FunctionalInterface
public interface StepAction {

    /**
     * Runs the step for one command.
     *
     * <p>Transport is at-least-once: after a crash the same command may run again. Implementations
     * must be idempotent per {@code (instance, step, token)}, or key their external effects by
     * {@link CompiledDefinition#idempotencyKey(Command)}.
     *
     * @param state a snapshot of the instance (not locked)
     * @param calls where the action lists the calls it made to connected systems (for the audit trail),
     *              failed ones included
     * @return variables to merge into the instance
     * @throws ActionFailure for classified failures; anything else is a
     *                                                 retryable failure
     */
    Map<String, Object> run(Command command, InstanceState state, List<ConnectorCall> calls) throws Exception;
}
