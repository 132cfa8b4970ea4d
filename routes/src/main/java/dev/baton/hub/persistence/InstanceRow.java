package dev.baton.hub.persistence;

import java.time.Instant;

import dev.baton.model.engine.InstanceState;

/**
 * An instance as stored: the engine's state plus what only the runtime keeps.
 *
 * @param state     what the decision function sees
 * @param traceId   the instance's trace
 * @param rootSpanId the span that started it
 * @param startedBy who started it (a user, or {@code event:<source>}, {@code cron})
 * @param startedAt when
 * @param endedAt   when it completed or was cancelled, else null
 */
public record InstanceRow(InstanceState state, String traceId, String rootSpanId, String startedBy, Instant startedAt, Instant endedAt) {

    public String id() {
        return state.instanceId();
    }

    public InstanceRow with(InstanceState newState, Instant now) {
        return new InstanceRow(newState, traceId, rootSpanId, startedBy, startedAt,
                newState.status().isFinal() && endedAt == null ? now : endedAt);
    }
}
