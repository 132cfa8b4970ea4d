package dev.baton.hub.tracing;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.baton.hub.HubCodes;

/**
 * Keeps the local span store bounded: every {@code baton.tracing.store.sweep-every} it deletes the spans
 * that ended more than {@code retain} ago, then the oldest beyond {@code max-spans}. It sweeps while the
 * store is switched off too, so what was stored before still ages out. Every node may sweep; deletes are
 * idempotent.
 */
@Component
public class SpanStoreSweep implements SchedulingConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(SpanStoreSweep.class);

    private final SpanStore store;
    private final TracingProperties.Store properties;
    private final Clock clock;

    public SpanStoreSweep(SpanStore store, TracingProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties.store();
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        Duration every = properties.sweepEvery();
        if (every.isZero() || every.isNegative()) {
            return;
        }
        registrar.addFixedDelayTask(new FixedDelayTask(this::periodically, every, every));
    }

    void periodically() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("{} the span store was not swept this time: {}", HubCodes.SPAN_SWEEP_FAILED, e.toString());
        }
    }

    /** Deletes what the retention and the cap no longer allow; how many spans went. */
    public long sweep() {
        long deleted = 0;
        Duration retain = properties.retain();
        if (!retain.isZero() && !retain.isNegative()) {
            deleted += store.deleteEndedBefore(clock.instant().minus(retain));
        }
        if (properties.maxSpans() > 0) {
            deleted += store.deleteBeyond(properties.maxSpans());
        }
        if (deleted > 0) {
            LOG.info("Deleted {} span(s) from the local span store (retain {}, at most {} spans)", deleted, retain,
                    properties.maxSpans());
        }
        return deleted;
    }
}
