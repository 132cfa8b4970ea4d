package dev.baton.hub.runtime;

import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a step route's exchange: the commands one consumer took from its queue in one JMS
 * transaction. The route's processor stores the transitions and sets {@link #outgoing()}; the
 * consumer then sends those commands and commits, all in the same JMS transaction.
 */
public final class StepBatch {

    private final String queue;
    private final List<Command> commands;
    private final Instant pickedUpAt;
    private final Map<Command, Delivery> deliveries;
    private List<Outgoing> outgoing = List.of();

    /**
     * How a command reached its consumer.
     *
     * @param sentAt       when it was sent (the JMS timestamp)
     * @param scheduledFor its due time when it was scheduled (a timer, a retry's back-off, a deadline), else null
     * @param redelivered  whether the broker delivers it again after a rolled-back attempt
     */
    public record Delivery(Instant sentAt, Instant scheduledFor, boolean redelivered) {
    }

    public StepBatch(String queue, List<Command> commands, Instant pickedUpAt) {
        this(queue, commands, pickedUpAt, Map.of());
    }

    public StepBatch(String queue, List<Command> commands, Instant pickedUpAt, Map<Command, Delivery> deliveries) {
        this.queue = queue;
        this.commands = List.copyOf(commands);
        this.pickedUpAt = pickedUpAt;
        this.deliveries = new IdentityHashMap<>(deliveries);
    }

    /** How {@code command} of this batch was delivered, or null when unknown. */
    public Delivery delivery(Command command) {
        return deliveries.get(command);
    }

    public String queue() {
        return queue;
    }

    public List<Command> commands() {
        return commands;
    }

    public Instant pickedUpAt() {
        return pickedUpAt;
    }

    public List<Outgoing> outgoing() {
        return outgoing;
    }

    public void setOutgoing(List<Outgoing> outgoing) {
        this.outgoing = List.copyOf(outgoing);
    }
}
