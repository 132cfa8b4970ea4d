package dev.baton.model.engine;

import java.util.List;

/**
 * The outcome of one decision.
 *
 * @param state   the new state (the old one when ignored)
 * @param effects what the runtime must do, in order
 * @param event   the event recorded for the command, or null when ignored
 * @param ignored why the event changed nothing (a duplicate, a stale timer), or null
 */
public record Transition(InstanceState state, List<Effect> effects, Intent event, String ignored) {

    public static Transition ignored(InstanceState state, String reason) {
        return new Transition(state, List.of(), null, reason);
    }

    public boolean isIgnored() {
        return ignored != null;
    }
}
