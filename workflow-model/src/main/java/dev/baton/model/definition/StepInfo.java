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
 * @param messages    message boundaries, in source order; empty for none
 * @param multi       how the step runs once per element of a collection, or null for once
 * @param lane        the lane (BPMN) or swimlane the step is drawn in, or null: metadata, not behaviour
 */
public record StepInfo(String id, String name, String next, RetryPolicy retry, StepTimeout timeout,
                       int concurrency, int line, List<ErrorCatch> catches, List<MessageCatch> messages,
                       MultiInstance multi, String lane) {

    public StepInfo {
        catches = catches == null ? List.of() : List.copyOf(catches);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** A step without message boundaries, multi-instance or lane. */
    public StepInfo(String id, String name, String next, RetryPolicy retry, StepTimeout timeout, int concurrency,
                    int line, List<ErrorCatch> catches) {
        this(id, name, next, retry, timeout, concurrency, line, catches, List.of(), null, null);
    }

    /** A step without error boundaries. */
    public StepInfo(String id, String name, String next, RetryPolicy retry, StepTimeout timeout, int concurrency,
                    int line) {
        this(id, name, next, retry, timeout, concurrency, line, List.of());
    }

    public static StepInfo of(String id, String next) {
        return new StepInfo(id, id, next, null, null, 0, 0);
    }

    /** The same step with these message boundaries. */
    public StepInfo withMessages(List<MessageCatch> newMessages) {
        return new StepInfo(id, name, next, retry, timeout, concurrency, line, catches, newMessages, multi, lane);
    }

    /** The same step, run once per element of a collection. */
    public StepInfo withMulti(MultiInstance newMulti) {
        return new StepInfo(id, name, next, retry, timeout, concurrency, line, catches, messages, newMulti, lane);
    }

    /** The same step, drawn in a lane. */
    public StepInfo withLane(String newLane) {
        return new StepInfo(id, name, next, retry, timeout, concurrency, line, catches, messages, multi, newLane);
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
