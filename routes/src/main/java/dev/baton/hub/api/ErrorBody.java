package dev.baton.hub.api;

import java.util.List;

/** Every error the API returns: {@code {"error": "...", "code": "BATON-...", "details": [...]}}. */
public record ErrorBody(String error, String code, List<?> details) {
}
