package dev.baton.model.definition;

import java.util.List;

/**
 * Exclusive choice: the first branch whose condition holds is taken, else the default. Without a default
 * (a BPMN exclusive gateway without default flow; YAML requires one), a path on which no condition holds
 * stops in an incident naming the step, as in Camunda and Zeebe.
 *
 * @param branches  conditions in order
 * @param otherwise the default branch's target; null only for a BPMN import
 */
public record ChoiceStep(StepInfo info, List<Branch> branches, String otherwise) implements Step {

    /** A condition and the step it leads to. */
    public record Branch(Expression when, String next) {
    }

    @Override
    public String kind() {
        return "choice";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
