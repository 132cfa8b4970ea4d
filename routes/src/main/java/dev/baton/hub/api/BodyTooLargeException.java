package dev.baton.hub.api;

import java.io.IOException;

/** A request body longer than {@code baton.api.max-body-size}. */
public class BodyTooLargeException extends IOException {
    public BodyTooLargeException(long limit) {
        super("The request body is larger than the limit of " + limit + " bytes (baton.api.max-body-size)");
    }
}
