package dev.baton.connectors.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Failure injection for a sandbox, changeable while it runs, so reliability tests and demos can make a
 * stand-in slow, flaky, rate-limited or down. Each request asks {@link #next()} what to do.
 *
 * <ul>
 *   <li>{@code latency}: added to every answer;</li>
 *   <li>{@code errorRate}: the share of requests (0..1) answered with 503;</li>
 *   <li>{@code throttleRate}: the share of requests (0..1) answered with 429;</li>
 *   <li>{@code downFor(d)}: every request answered with 503 until {@code d} has passed.</li>
 * </ul>
 */
public final class Faults {

    /** What to do with one request: wait {@code delay}, then answer {@code status}, or serve it when empty. */
    public record Decision(Duration delay, Optional<Integer> status) {
        public static final Decision SERVE = new Decision(Duration.ZERO, Optional.empty());
    }

    private final Clock clock;
    private volatile Duration latency = Duration.ZERO;
    private volatile double errorRate;
    private volatile double throttleRate;
    private volatile Instant downUntil = Instant.MIN;
    private final java.util.concurrent.atomic.AtomicLong injected = new java.util.concurrent.atomic.AtomicLong();

    public Faults() {
        this(Clock.systemUTC());
    }

    public Faults(Clock clock) {
        this.clock = clock;
    }

    public Faults latency(Duration latency) {
        this.latency = latency == null ? Duration.ZERO : latency;
        return this;
    }

    public Faults errorRate(double rate) {
        this.errorRate = checkRate(rate, "errorRate");
        return this;
    }

    public Faults throttleRate(double rate) {
        this.throttleRate = checkRate(rate, "throttleRate");
        return this;
    }

    /** Answers every request with 503 for {@code period} from now. */
    public Faults downFor(Duration period) {
        this.downUntil = clock.instant().plus(period);
        return this;
    }

    /** Back to healthy: no latency, no errors, not down. */
    public Faults clear() {
        latency = Duration.ZERO;
        errorRate = 0;
        throttleRate = 0;
        downUntil = Instant.MIN;
        return this;
    }

    public Duration latency() {
        return latency;
    }

    public double errorRate() {
        return errorRate;
    }

    public double throttleRate() {
        return throttleRate;
    }

    /** Requests answered with an injected 503 or 429 so far. */
    public long injected() {
        return injected.get();
    }

    public boolean isDown() {
        return clock.instant().isBefore(downUntil);
    }

    public Decision next() {
        Duration delay = latency;
        if (isDown()) {
            injected.incrementAndGet();
            return new Decision(delay, Optional.of(503));
        }
        double roll = ThreadLocalRandom.current().nextDouble();
        if (roll < errorRate) {
            injected.incrementAndGet();
            return new Decision(delay, Optional.of(503));
        }
        if (roll < errorRate + throttleRate) {
            injected.incrementAndGet();
            return new Decision(delay, Optional.of(429));
        }
        return delay.isZero() ? Decision.SERVE : new Decision(delay, Optional.empty());
    }

    private static double checkRate(double rate, String name) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, but is " + rate);
        }
        return rate;
    }
}
