package dev.baton.connectors.http;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the HTTP connector ({@code baton.connectors.http}).
 *
 * @param enabled           whether call steps may use {@code http.*} operations
 * @param timeout           connect and response timeout of a call unless the step sets {@code timeout}
 * @param retryableStatuses response statuses after which another attempt may succeed
 */
public record HttpProperties(boolean enabled, Duration timeout, Set<Integer> retryableStatuses) {

    /** Default call timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Request timeout, too early, rate limited, and the transient server errors. */
    public static final Set<Integer> DEFAULT_RETRYABLE_STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504);

    public HttpProperties {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        retryableStatuses = retryableStatuses == null ? DEFAULT_RETRYABLE_STATUSES : Set.copyOf(retryableStatuses);
    }
}
