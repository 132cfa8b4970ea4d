package dev.baton.model.definition;

/**
 * Ends the path that reaches it; with {@code terminate} it ends every path of the instance.
 */
public record EndStep(StepInfo info, boolean terminate) implements Step {
    @Override
    public String kind() {
        return "end";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
