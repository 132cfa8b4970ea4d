package dev.baton.model.engine;

/**
 * One open path of an instance, sitting at a work step. Tokens are numbered per instance; a token
 * id is never reused, so {@code (instance, step, token, attempt)} identifies a command for good.
 *
 * @param id           per-instance id ({@code t1}, {@code t2}, ...)
 * @param step         the work step it sits at; for an error no step caught, the error end
 * @param scope        enclosing scopes, innermost last ({@code ""} at top level, {@code s2/s5} nested forks,
 *                     {@code t1/r4} a race inside the sub-process of token {@code t1}; see {@link Engine})
 * @param status       queued, waiting or in incident
 * @param attempt      the attempt whose command is expected next (1-based)
 * @param lastAttempt  the attempt after whose failure an incident is raised
 * @param escalated    whether the step's non-interrupting deadline has passed already: it starts its path
 *                     once, however often its command is delivered (a redelivery after a crash, say)
 */
public record Token(String id, String step, String scope, TokenStatus status, int attempt, int lastAttempt,
                    boolean escalated) {

    /** A token whose deadline, if any, has not passed. */
    public Token(String id, String step, String scope, TokenStatus status, int attempt, int lastAttempt) {
        this(id, step, scope, status, attempt, lastAttempt, false);
    }

    public Token with(TokenStatus newStatus) {
        return new Token(id, step, scope, newStatus, attempt, lastAttempt, escalated);
    }

    public Token nextAttempt(int newLastAttempt) {
        return new Token(id, step, scope, TokenStatus.QUEUED, attempt + 1, newLastAttempt, escalated);
    }

    /** The same token, its non-interrupting deadline passed. */
    public Token escalate() {
        return new Token(id, step, scope, status, attempt, lastAttempt, true);
    }
}
