package dev.baton.model.definition;

import java.time.Duration;

/**
 * How often a failing step runs before it becomes an incident, and how long it waits in between.
 *
 * @param maxAttempts    runs in all, the first included (1 = no retry)
 * @param initialBackoff wait before the second run
 * @param multiplier     factor applied to the wait after every further failure
 * @param maxBackoff     upper bound of any single wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    /** Three runs, 1 s then 2 s apart, as Camunda's and Temporal's defaults roughly do. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));

    /** The wait after the given failed attempt (1-based) before the next one. */
    public Duration backoffAfter(int failedAttempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }
}
