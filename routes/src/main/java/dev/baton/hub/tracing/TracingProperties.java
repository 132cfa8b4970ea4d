package dev.baton.hub.tracing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hub's own tracing settings, root {@code baton.tracing}. Exporters, sampler and resource come from
 * the standard {@code OTEL_*} variables (or {@code otel.*} properties), see {@link TracingConfiguration}.
 *
 * @param store the local span store behind {@code GET /api/traces/{traceId}}
 */
@ConfigurationProperties("baton.tracing")
public record TracingProperties(@DefaultValue Store store) {

    /**
     * The local span store, table {@code baton_span}.
     *
     * @param enabled    whether ended spans are written to the hub's database
     * @param retain     how long a span is kept after it ended (0: no age limit)
     * @param maxSpans   the most spans kept; the oldest go first (0: no limit)
     * @param sweepEvery how often spans past {@code retain} or beyond {@code maxSpans} are deleted (0: never)
     * @param flushEvery how long an ended span may wait before its batch is written
     * @param queueSize  how many ended spans may wait for the store; beyond that the SDK drops new ones
     *                   (sized for bursts: seq5 at full speed ends about 3,000 spans a second)
     */
    public record Store(@DefaultValue("true") boolean enabled,
                        @DefaultValue("7d") Duration retain,
                        @DefaultValue("1000000") long maxSpans,
                        @DefaultValue("10m") Duration sweepEvery,
                        @DefaultValue("1s") Duration flushEvery,
                        @DefaultValue("16384") int queueSize) {
    }
}
