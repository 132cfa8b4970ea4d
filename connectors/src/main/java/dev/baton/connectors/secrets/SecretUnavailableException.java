package dev.baton.connectors.secrets;

import java.io.IOException;

/**
 * A secret a call refers to cannot be had: the name is unknown, or the secrets file cannot be read. Its
 * message names the secret and the file, never a value. An {@link IOException} because the HTTP client
 * resolves references as it sends a request, where only I/O failures may be thrown.
 */
public final class SecretUnavailableException extends IOException {

    private final String code;

    public SecretUnavailableException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** {@code BATON-SECRET-001} (unknown name) or {@code BATON-SECRET-002} (the file). */
    public String code() {
        return code;
    }
}
