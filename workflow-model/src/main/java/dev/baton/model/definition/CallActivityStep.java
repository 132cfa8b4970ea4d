package dev.baton.model.definition;

import java.util.Map;

/**
 * A call activity: starts an instance of another deployed definition (the child) and waits until it
 * ends. Completed, the child's variables come back through {@code output}; cancelled, the step fails
 * with {@link #CANCELLED}, which a {@code catch} may take. Leaving the step any other way (an
 * interrupting deadline, a cancelled or terminated caller) cancels the child.
 *
 * @param definition the called definition's id
 * @param version    the version to start, or null for the newest deployed when the step runs
 * @param input      expression over the caller's variables giving the child's variables (an object), or null
 *                   to hand over every variable
 * @param output     caller variable → expression over the child's final variables, or null to take every
 *                   variable of the child; empty to take none
 */
public record CallActivityStep(StepInfo info, String definition, Integer version, Expression input,
                               Map<String, Expression> output) implements Step {

    /** The failure type of a call activity whose child instance was cancelled. */
    public static final String CANCELLED = "BATON-CALL-002";

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public boolean isWaiting() {
        return true;
    }
}
