package dev.baton.hub.privacy;

import dev.baton.governance.privacy.Scrubber;

/**
 * An exception chain with personal values scrubbed from every message, so that whoever logs it (with
 * its stack trace) cannot leak them. Each link keeps the stack trace of the exception it stands for
 * and names that exception's class at the start of its message.
 */
public final class ScrubbedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** Causes followed: enough for any real chain, finite for a cyclic one. */
    private static final int MAX_DEPTH = 16;

    private ScrubbedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The exception itself when there is nothing to scrub; otherwise a scrubbed copy of its chain. */
    public static RuntimeException of(RuntimeException e, Scrubber scrubber) {
        if (scrubber == null || scrubber.isEmpty()) {
            return e;
        }
        return copy(e, scrubber, 0);
    }

    private static ScrubbedException copy(Throwable t, Scrubber scrubber, int depth) {
        Throwable cause = t.getCause() == null || t.getCause() == t || depth >= MAX_DEPTH ? null
                : copy(t.getCause(), scrubber, depth + 1);
        String message = t.getMessage() == null ? t.getClass().getName()
                : t.getClass().getName() + ": " + scrubber.scrub(t.getMessage());
        ScrubbedException copy = new ScrubbedException(message, cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }
}
