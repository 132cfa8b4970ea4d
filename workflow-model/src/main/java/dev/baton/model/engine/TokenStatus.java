package dev.baton.model.engine;

/** Where one path of an instance stands. */
public enum TokenStatus {
    /** An execute command for the token's step is on the step's queue (or scheduled for a retry). */
    QUEUED,
    /** The step waits for a timer, a message or a person. */
    WAITING,
    /** The step failed for good; an incident holds the command. */
    INCIDENT
}
