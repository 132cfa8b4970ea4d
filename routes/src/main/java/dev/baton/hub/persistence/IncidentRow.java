package dev.baton.hub.persistence;

import java.time.Instant;

/**
 * A command that failed for good, with the error. Status: OPEN, RETRIED (re-queued by an operator),
 * CLOSED (the instance moved on or was cancelled).
 *
 * @param command JSON of the command as it was on the queue (see {@code CommandCodec#toJson})
 */
public record IncidentRow(String id, String instanceId, String definitionId, Integer version, String step,
                          String token, Integer attempt, String failureType, String message, String details,
                          String queue, String command, String status, Instant createdAt, Instant resolvedAt,
                          String resolvedBy) {

    public static final String OPEN = "OPEN";
    public static final String RETRIED = "RETRIED";
    public static final String CLOSED = "CLOSED";
}
