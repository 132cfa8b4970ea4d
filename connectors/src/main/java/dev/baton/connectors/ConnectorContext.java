package dev.baton.connectors;

/**
 * What the hub lends a connector's own routes.
 *
 * @param events  where inbound routes hand the events they receive or find
 * @param cursors durable positions of inbound routes (a replay id, a poll watermark)
 */
public record ConnectorContext(InboundEvents events, Cursors cursors) {
}
