package dev.baton.model.definition;

import java.util.List;

/**
 * The parts every step shares.
 *
 * @param id          unique within the definition, sub-processes included
 * @param name        a human-readable label (defaults to the id)
 * @param next        the following step, or null
 * @param retry       retry policy, or null for the definition's default
 * @param timeout     deadline with escalation path (a boundary timer), or null
 * @param concurrency how many consumers work the step's queue at once (0 = the hub's default)
 * @param line        line in the source where the step is defined (0 when unknown), for messages
 * @param catches     error boundaries, in source order; empty for none
 */
public record StepInfo(String id, String name, String next, RetryPolicy retry, StepTimeout timeout,
                       int concurrency, int line, List<ErrorCatch> catches) {

    public StepInfo {
        catches = catches == null ? List.of() : List.copyOf(catches);
    }

    /** A step without error boundaries. */
    public StepInfo(String id, String name, String next, RetryPolicy retry, StepTimeout timeout, int concurrency,
                    int line) {
        this(id, name, next, retry, timeout, concurrency, line, List.of());
    }

    public static StepInfo of(String id, String next) {
        return new StepInfo(id, id, next, null, null, 0, 0);
    }

    /**
     * The catch that takes an error code: the first naming the code, else the first catch-all, else null.
     * A catch naming the code wins over a catch-all wherever they are listed (as in Zeebe and Camunda).
     */
    public ErrorCatch catchOf(String code) {
        ErrorCatch any = null;
        for (ErrorCatch c : catches) {
            if (c.error() == null) {
                any = any == null ? c : any;
            } else if (c.error().equals(code)) {
                return c;
            }
        }
        return any;
    }
}
