package dev.baton.connectors.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Settings of the HTTP connector ({@code baton.connectors.http}).
 *
 * @param enabled           whether call steps may use {@code http.*} operations
 * @param timeout           connect and response timeout of a call unless the step sets {@code timeout}
 * @param retryableStatuses response statuses after which another attempt may succeed
 * @param allow             URL prefixes and host patterns calls may go to; empty: any URL ({@link OutboundPolicy})
 * @param allowPrivate      addresses and CIDR ranges (optionally {@code :port}) calls may reach though not public
 */
public record HttpProperties(boolean enabled, Duration timeout, Set<Integer> retryableStatuses, List<String> allow,
                             List<String> allowPrivate) {

    /** Default call timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Request timeout, too early, rate limited, and the transient server errors. */
    public static final Set<Integer> DEFAULT_RETRYABLE_STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504);
    /** Any URL whose address is public. */
    public static final List<String> DEFAULT_ALLOW = List.of();
    /** No address that is not public (the sandboxes' are added when they run). */
    public static final List<String> DEFAULT_ALLOW_PRIVATE = List.of();

    public HttpProperties {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        retryableStatuses = retryableStatuses == null ? DEFAULT_RETRYABLE_STATUSES : Set.copyOf(retryableStatuses);
        allow = allow == null ? DEFAULT_ALLOW : List.copyOf(allow);
        allowPrivate = allowPrivate == null ? DEFAULT_ALLOW_PRIVATE : List.copyOf(allowPrivate);
    }
}
