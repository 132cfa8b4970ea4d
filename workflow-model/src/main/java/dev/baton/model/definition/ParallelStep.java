package dev.baton.model.definition;

import java.util.List;

/** Parallel fork: every branch starts; a {@link JoinStep} waits for all of them. */
public record ParallelStep(StepInfo info, List<String> branches) implements Step {
    @Override
    public String kind() {
        return "parallel";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
