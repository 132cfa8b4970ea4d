package dev.baton.hub.persistence;

/**
 * Makes committed transactions survive the death of the process before anything depends on them:
 * before a step consumer commits its JMS transaction (acknowledging its input, releasing the
 * commands it sent), and before an API call answers. PostgreSQL commits are durable already; H2
 * writes commits to its file in the background, up to a second late, so with H2 this waits for a
 * shared flush (see {@link H2GroupCheckpoint}).
 */
public interface DurableCommits {

    /** Returns once every transaction this thread committed so far is in the database file. */
    void await();

    /** For databases whose commit is durable by itself. */
    DurableCommits ON_COMMIT = () -> {
    };
}
