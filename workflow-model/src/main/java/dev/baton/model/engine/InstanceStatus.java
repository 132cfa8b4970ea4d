package dev.baton.model.engine;

/** Where an instance stands, as the API reports it. */
public enum InstanceStatus {
    /** Some step is queued or running. */
    RUNNING,
    /** Every open step waits for a timer, a message or a person. */
    WAITING,
    /** A step exhausted its retries: an incident is open; retrying it makes the instance run again. */
    FAILED,
    COMPLETED,
    CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
