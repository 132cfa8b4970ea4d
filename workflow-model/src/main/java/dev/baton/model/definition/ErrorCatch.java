package dev.baton.model.definition;

/**
 * An error boundary: where the path continues when an error reaches the step that declares it. An
 * error reaches a step when an error end inside it (a sub-process) throws it, or when the step's own
 * work fails for good (a permanent failure, or the last attempt of a retryable one) with a failure
 * type equal to the code. The step's scope is cancelled, as by an interrupting timeout.
 *
 * @param error the error code caught, or null to catch every error (a catch-all, tried after the codes)
 * @param next  the step that starts the error path
 */
public record ErrorCatch(String error, String next) {

    /** Whether this catch takes an error with the given code. */
    public boolean catches(String code) {
        return error == null || error.equals(code);
    }
}
