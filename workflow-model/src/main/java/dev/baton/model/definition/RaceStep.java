package dev.baton.model.definition;

import java.util.List;

/**
 * A deferred choice (BPMN's event-based gateway): every alternative starts; the first to happen wins and
 * continues at its own {@code next}, the others are withdrawn (subscriptions dropped; a timer that fires
 * later finds its path gone and is ignored). Alternatives are wait and timer steps reached only through
 * this race. A routing step, decided in the transition that reaches it.
 *
 * @param alternatives the ids of the competing wait and timer steps
 */
public record RaceStep(StepInfo info, List<String> alternatives) implements Step {

    public RaceStep {
        alternatives = List.copyOf(alternatives);
    }

    @Override
    public String kind() {
        return "race";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
