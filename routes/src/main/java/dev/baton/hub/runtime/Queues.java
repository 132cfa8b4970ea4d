package dev.baton.hub.runtime;

/** Queue names: one durable anycast queue per work step, {@code baton.<definition>.<step>}. */
public final class Queues {

    /** Where commands go after their last delivery attempt; each becomes an incident. */
    public static final String DEAD_LETTER = "baton.DLQ";
    /** Prefix of every Baton address, matched by the broker's address settings. */
    public static final String PREFIX = "baton.";

    private Queues() {
    }

    public static String stepQueue(String definitionId, String step) {
        return PREFIX + definitionId + "." + step;
    }
}
