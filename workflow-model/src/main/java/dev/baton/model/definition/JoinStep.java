package dev.baton.model.definition;

/** Parallel join: continues at {@code next} once every branch of the enclosing fork has arrived. */
public record JoinStep(StepInfo info) implements Step {
    @Override
    public String kind() {
        return "join";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
