package dev.baton.model.definition;

/**
 * The parts every step shares.
 *
 * @param id          unique within the definition
 * @param name        a human-readable label (defaults to the id)
 * @param next        the following step, or null
 * @param retry       retry policy, or null for the definition's default
 * @param timeout     deadline with escalation path, or null
 * @param concurrency how many consumers work the step's queue at once (0 = the hub's default)
 * @param line        line in the source where the step is defined (0 when unknown), for messages
 */
public record StepInfo(String id, String name, String next, RetryPolicy retry, StepTimeout timeout,
                       int concurrency, int line) {

    public static StepInfo of(String id, String next) {
        return new StepInfo(id, id, next, null, null, 0, 0);
    }
}
