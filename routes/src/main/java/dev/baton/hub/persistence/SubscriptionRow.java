package dev.baton.hub.persistence;

import java.time.Instant;

/** A waiting step, found by message name and correlation key. */
public record SubscriptionRow(String instanceId, String token, String step, int attempt, String definitionId, int version,
                              String message, String correlationKey, Instant createdAt) {
}
