package dev.baton.hub.compile;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.baton.hub.HubCodes;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.engine.ExpressionEvaluator.EvaluationException;
import dev.baton.model.engine.Failure;

/** A task sets variables from expressions over the variables; with nothing to set it has no action. */
final class TaskCompiler implements StepCompiler<TaskStep> {

    @Override
    public StepAction compile(ProcessDefinition definition, TaskStep step, CompileContext context) {
        if (step.set() == null || step.set().isEmpty()) {
            return null;
        }
        Map<String, Expression> set = step.set();
        return (command, state, calls) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Expression> e : set.entrySet()) {
                try {
                    out.put(e.getKey(), context.expressions().evaluate(e.getValue(), state.variablesFor(command.token())));
                } catch (EvaluationException ex) {
                    throw new ActionFailure(Failure.permanent(HubCodes.expressionFailed(ex),
                            "Step '" + step.id() + "' could not set '" + e.getKey() + "': " + ex.getMessage()), ex);
                }
            }
            return out;
        };
    }
}
