package dev.baton.model.definition;

import java.time.Duration;
import java.time.Instant;

/** Waits for a duration after the step is entered, or until a date; exactly one is set. */
public record TimerStep(StepInfo info, Duration duration, Instant date) implements Step {
    @Override
    public String kind() {
        return "timer";
    }

    @Override
    public boolean isWaiting() {
        return true;
    }
}
