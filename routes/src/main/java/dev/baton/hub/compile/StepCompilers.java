package dev.baton.hub.compile;

import java.util.Map;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.WaitStep;

/**
 * The one table of step compilers, by step kind. Routing steps (choice, parallel, join, race, end)
 * are not here: the decision function resolves them inside the transition that reaches them.
 */
final class StepCompilers {

    /**
     * Waiting kinds have no work of their own: entering them opens a timer, a subscription, a task, or
     * a sub-process's paths; a sub-process's queue also takes its boundary timer.
     */
    private static final StepCompiler<Step> WAITS_ONLY = (definition, step, context) -> null;

    private static final Map<Class<? extends Step>, StepCompiler<? extends Step>> TABLE = Map.of(
            TaskStep.class, new TaskCompiler(),
            CallStep.class, new CallCompiler(),
            WaitStep.class, WAITS_ONLY,
            TimerStep.class, WAITS_ONLY,
            HumanTaskStep.class, WAITS_ONLY,
            SubprocessStep.class, WAITS_ONLY,
            CallActivityStep.class, new CallActivityCompiler());

    private StepCompilers() {
    }

    @SuppressWarnings("unchecked")
    static StepAction compile(ProcessDefinition definition, Step step, CompileContext context) throws Exception {
        StepCompiler<Step> compiler = (StepCompiler<Step>) TABLE.get(step.getClass());
        if (compiler == null) {
            throw new IllegalArgumentException("No compiler for " + step.kind() + " step '" + step.id() + "'");
        }
        return compiler.compile(definition, step, context);
    }
}
