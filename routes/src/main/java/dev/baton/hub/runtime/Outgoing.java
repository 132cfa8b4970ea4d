package dev.baton.hub.runtime;

/**
 * A command to send once the transaction that produced it has committed.
 *
 * @param command   the command
 * @param deliverAt epoch millis for scheduled delivery (timers, retry back-off), or 0 for now
 */
public record Outgoing(Command command, long deliverAt) {
}
