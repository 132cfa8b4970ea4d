package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.List;

/** A human task. Status: OPEN, COMPLETED (by a person), CLOSED (by the process: deadline, cancellation). */
public record TaskRow(String id, String instanceId, String definitionId, int version, String step, String token,
                      String title, List<String> candidateRoles, String status, Instant createdAt, Instant dueAt,
                      Instant endedAt, String completedBy, String closeReason, String variables) {

    public static final String OPEN = "OPEN";
    public static final String COMPLETED = "COMPLETED";
    public static final String CLOSED = "CLOSED";
}
