package dev.baton.hub.runtime;

import java.time.Instant;
import java.util.List;

/**
 * The body of a step route's exchange: the commands one consumer took from its queue in one JMS
 * transaction. The route's processor stores the transitions and sets {@link #outgoing()}; the
 * consumer then sends those commands and commits, all in the same JMS transaction.
 */
public final class StepBatch {

    private final String queue;
    private final List<Command> commands;
    private final Instant pickedUpAt;
    private List<Outgoing> outgoing = List.of();

    public StepBatch(String queue, List<Command> commands, Instant pickedUpAt) {
        this.queue = queue;
        this.commands = List.copyOf(commands);
        this.pickedUpAt = pickedUpAt;
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
