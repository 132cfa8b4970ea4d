package dev.baton.model.definition;

import java.util.List;

/**
 * Inclusive split (BPMN's diverging inclusive gateway, the multi-choice): every branch whose condition
 * holds starts, in one fork whose {@link JoinStep} waits for exactly the branches taken (the structured
 * synchronizing merge). When none holds, {@code otherwise} starts alone; when there is none either, the
 * path stops in an incident naming the step. A routing step, decided in the transition that reaches it.
 *
 * @param branches  conditions, each evaluated, in order
 * @param otherwise the default branch's target, taken only when no condition holds; or null
 */
public record InclusiveStep(StepInfo info, List<ChoiceStep.Branch> branches, String otherwise) implements Step {

    public InclusiveStep {
        branches = List.copyOf(branches);
    }

    @Override
    public String kind() {
        return "inclusive";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
