package dev.baton.model.engine;

import java.util.List;

/**
 * Why a step failed, decided where it happened: whether running it again can help, and the remote
 * facts (HTTP status, remote error codes) an operator needs.
 *
 * @param type      stable failure code, e.g. {@code BATON-HTTP-503}
 * @param message   one line for people
 * @param retryable whether another attempt may succeed
 * @param details   remote facts, each {@code key=value}
 */
public record Failure(String type, String message, boolean retryable, List<String> details) {

    public Failure {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static Failure retryable(String type, String message) {
        return new Failure(type, message, true, List.of());
    }

    public static Failure permanent(String type, String message) {
        return new Failure(type, message, false, List.of());
    }
}
