package dev.baton.hub.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpStatus;

import dev.baton.hub.HubCodes;

/**
 * The instants the API accepts in its parameters and cursors: ISO-8601, years 0001 to 9999. Java reads
 * years of nine digits, which the databases' timestamps and the windows computed from them (microseconds
 * in a {@code long}) do not hold: such a value is the caller's mistake, a 400 naming the parameter.
 */
public final class RequestInstants {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private RequestInstants() {
    }

    /**
     * @param value the parameter as sent; null or blank for none
     * @param name  the parameter's name, for the error
     * @return the instant, or null when there is none
     * @throws ApiException 400 naming the parameter when it is not an instant in range
     */
    public static Instant parse(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        Instant instant;
        try {
            instant = Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected " + name
                    + " as an ISO-8601 instant such as 2026-11-25T10:00:00Z, but it is '" + shown + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected " + name + " between "
                    + EARLIEST + " and " + LATEST + ", but it is '" + shown + "'");
        }
        return instant;
    }

    /** The instant, or null when the text is none or out of range (for cursors, refused as a whole). */
    public static Instant inRange(String text) {
        try {
            Instant instant = Instant.parse(text);
            return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? null : instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
