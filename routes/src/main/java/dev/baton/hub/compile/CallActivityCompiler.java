package dev.baton.hub.compile;

import java.util.Map;

import dev.baton.hub.HubCodes;
import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.Failure;

/**
 * A call activity's hand-off: checks that the definition it calls is deployed before the transition
 * starts the child. Deployment order is free (a caller may be deployed before the process it calls, as
 * in Camunda and Zeebe); a caller that runs first gets an incident naming what is missing, which a
 * retry resolves once it is deployed.
 */
final class CallActivityCompiler implements StepCompiler<CallActivityStep> {

    @Override
    public StepAction compile(ProcessDefinition definition, CallActivityStep step, CompileContext context) {
        return (command, state, calls) -> {
            boolean deployed = step.version() == null
                    ? context.definitions().latest(step.definition()).isPresent()
                    : context.definitions().get(step.definition(), step.version()).isPresent();
            if (!deployed) {
                throw new ActionFailure(Failure.permanent(HubCodes.CALLED_NOT_DEPLOYED, "Step '" + step.id()
                        + "' calls definition '" + step.definition() + "'" + (step.version() == null ? ""
                        : " version " + step.version()) + ", which is not deployed; deploy it and retry the incident"),
                        null);
            }
            return Map.of();
        };
    }
}
