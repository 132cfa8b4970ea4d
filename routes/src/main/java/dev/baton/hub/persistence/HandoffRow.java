package dev.baton.hub.persistence;

import java.time.Instant;

/**
 * One line of step history: a consumed command and what it led to.
 *
 * @param instanceId the instance
 * @param step       the step, or null for instance-wide entries (start, cancellation)
 * @param token      the token, or null
 * @param attempt    the attempt
 * @param command    code of the command consumed ({@link dev.baton.model.engine.Intent})
 * @param event      code of the event recorded
 * @param status     COMPLETED, WAITING, FAILED, INCIDENT, ESCALATED, CAUGHT (an error boundary took the
 *                   step's failure), STARTED, CANCELLED, RETRIED
 * @param queue      the queue the command came from, or null
 * @param enqueuedAt when the command was sent, or null
 * @param startedAt  when the command was picked up
 * @param endedAt    when its transition was decided
 * @param spanId     the span of this hand-off
 * @param actor      who caused it, when a person did
 * @param emitted    JSON of the commands the transition sent, or null
 * @param error      the failure, for failed attempts and incidents
 */
public record HandoffRow(String instanceId, String step, String token, int attempt, int command, int event,
                         String status, String queue, Instant enqueuedAt, Instant startedAt, Instant endedAt,
                         String spanId, String actor, String emitted, String error) {
}
