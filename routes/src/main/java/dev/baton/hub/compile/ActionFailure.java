package dev.baton.hub.compile;

import dev.baton.model.engine.Failure;

/** A step's action failed in a way it has classified. */
public class ActionFailure extends RuntimeException {

    private final transient Failure failure;

    public ActionFailure(Failure failure, Throwable cause) {
        super(failure.type() + ": " + failure.message(), cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
