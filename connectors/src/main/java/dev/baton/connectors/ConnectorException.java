package dev.baton.connectors;

import dev.baton.model.engine.Failure;

/** A call that failed in a way the connector has already classified. */
public class ConnectorException extends RuntimeException {

    private final transient Failure failure;

    public ConnectorException(Failure failure, Throwable cause) {
        super(failure.type() + ": " + failure.message(), cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
