package dev.baton.model.definition;

import java.time.Duration;

/**
 * A deadline on a step, counted from the moment the step is entered, and the escalation path taken
 * when it passes.
 *
 * @param after        how long the step may stay open
 * @param next         the step that starts the escalation path
 * @param interrupting true: the step is abandoned (its task closed, its wait dropped) and the path
 *                     continues at {@code next}; false: {@code next} starts beside the still-open step
 */
public record StepTimeout(Duration after, String next, boolean interrupting) {
}
