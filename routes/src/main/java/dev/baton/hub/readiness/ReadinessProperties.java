package dev.baton.hub.readiness;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a node that is not ready answers, root {@code baton.readiness}.
 *
 * @param retryAfter the {@code Retry-After} of the 503 that refuses API calls and events while the node starts
 *                   or shuts down (whole seconds, at least one)
 */
@ConfigurationProperties("baton.readiness")
public record ReadinessProperties(@DefaultValue(ReadinessProperties.DEFAULT_RETRY_AFTER) Duration retryAfter) {

    /** About the time a start-up step takes here: a retry soon after it usually finds the node ready. */
    public static final String DEFAULT_RETRY_AFTER = "2s";

    /** The header's value: whole seconds, rounded up, at least one. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
