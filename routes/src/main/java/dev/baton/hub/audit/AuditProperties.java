package dev.baton.hub.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail's settings, root {@code baton.audit}.
 *
 * @param enabled         whether entries are written; off only to measure what the trail costs
 *                        (the benchmark does), never in production
 * @param chains          chains this node appends to: as many transactions can append at once without
 *                        waiting for each other
 * @param node            names this node's chains ({@code <node>/<n>}); empty: the host name. Nodes sharing a
 *                        database should differ (sharing a chain is safe, but they then take turns)
 * @param checkpointEvery how often the heads of all chains are signed into a checkpoint (0: never)
 */
@ConfigurationProperties("baton.audit")
public record AuditProperties(@DefaultValue("true") boolean enabled,
                              @DefaultValue("4") int chains,
                              String node,
                              @DefaultValue("5m") Duration checkpointEvery) {
}
