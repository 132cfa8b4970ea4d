package dev.baton.hub.compile;

import java.time.Instant;

/**
 * One call a step made to a connected system, for the audit trail.
 *
 * @param at        when it was sent
 * @param system    the connector, e.g. {@code salesforce}
 * @param operation the operation, e.g. {@code upsert}
 * @param outcome   {@code OK}, or the failure's type (its code)
 * @param status    the HTTP status the system answered, when known
 * @param millis    how long it took
 */
public record ConnectorCall(Instant at, String system, String operation, String outcome, Integer status,
                            long millis) {

    public static final String OK = "OK";

    public boolean succeeded() {
        return OK.equals(outcome);
    }
}
