package dev.baton.hub.persistence;

import java.time.Instant;

import dev.baton.model.engine.InstanceState;

/**
 * An instance as stored: the engine's state plus what only the runtime keeps.
 *
 * @param state     what the decision function sees
 * @param traceId   the instance's trace
 * @param rootSpanId the span that started it
 * @param startedBy who started it (a user, or {@code event:<source>}, {@code cron}, {@code instance:<id>})
 * @param startedAt when
 * @param endedAt   when it completed or was cancelled, else null
 * @param parent    the call activity that started it, or null
 */
public record InstanceRow(InstanceState state, String traceId, String rootSpanId, String startedBy, Instant startedAt,
                          Instant endedAt, Parent parent) {

    /**
     * The step of another instance that started this one (a call activity), as far as its end must
     * reach it: the caller's step queue, token and attempt.
     */
    public record Parent(String instanceId, String definitionId, int version, String step, String token, int attempt) {
    }

    /** An instance nobody called. */
    public InstanceRow(InstanceState state, String traceId, String rootSpanId, String startedBy, Instant startedAt,
                       Instant endedAt) {
        this(state, traceId, rootSpanId, startedBy, startedAt, endedAt, null);
    }

    public String id() {
        return state.instanceId();
    }

    public InstanceRow with(InstanceState newState, Instant now) {
        return new InstanceRow(newState, traceId, rootSpanId, startedBy, startedAt,
                newState.status().isFinal() && endedAt == null ? now : endedAt, parent);
    }
}
