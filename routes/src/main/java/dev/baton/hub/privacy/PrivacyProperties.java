package dev.baton.hub.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention of instance data, root {@code baton.privacy}.
 *
 * @param retainVariables how long an ended instance keeps its variables, task variables and stored
 *                        payloads (ISO-8601, e.g. {@code P30D}); unset keeps them forever
 * @param sweepEvery      how often the retention sweep looks for instances past that
 * @param sweepBatch      most instances one sweep reads at a time (each is purged in its own transaction)
 */
@ConfigurationProperties("baton.privacy")
public record PrivacyProperties(Duration retainVariables,
                                @DefaultValue("PT1H") Duration sweepEvery,
                                @DefaultValue("200") int sweepBatch) {
}
