package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.List;

/**
 * A human task. Status: OPEN, COMPLETED (by a person), CLOSED (by the process: deadline, cancellation).
 * Its assignee, when it has one, may complete it beside the holders of its candidate roles.
 */
public record TaskRow(String id, String instanceId, String definitionId, int version, String step, String token,
                      String title, List<String> candidateRoles, String status, Instant createdAt, Instant dueAt,
                      Instant endedAt, String completedBy, String closeReason, String variables, String assignee) {

    /** A task without an assignee. */
    public TaskRow(String id, String instanceId, String definitionId, int version, String step, String token,
                   String title, List<String> candidateRoles, String status, Instant createdAt, Instant dueAt,
                   Instant endedAt, String completedBy, String closeReason, String variables) {
        this(id, instanceId, definitionId, version, step, token, title, candidateRoles, status, createdAt, dueAt,
                endedAt, completedBy, closeReason, variables, null);
    }

    /** Whether a user may work this task: its assignee, or a holder of one of its candidate roles. */
    public boolean offeredTo(String user, java.util.Collection<String> roles) {
        return (assignee != null && assignee.equals(user)) || candidateRoles.stream().anyMatch(roles::contains);
    }

    public static final String OPEN = "OPEN";
    public static final String COMPLETED = "COMPLETED";
    public static final String CLOSED = "CLOSED";
}
