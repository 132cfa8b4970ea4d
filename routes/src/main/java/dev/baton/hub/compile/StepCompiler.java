package dev.baton.hub.compile;

import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;

/**
 * Compiles one kind of work step. A new kind costs one implementation and one line in
 * {@link StepCompilers}.
 */
@FunctionalInterface
public interface StepCompiler<S extends Step> {

    /**
     * @return the step's action, or null when the step has no work of its own (it only waits, or does nothing)
     * @throws IllegalArgumentException when the step cannot be compiled, with a message naming the problem
     */
    StepAction compile(ProcessDefinition definition, S step, CompileContext context) throws Exception;
}
