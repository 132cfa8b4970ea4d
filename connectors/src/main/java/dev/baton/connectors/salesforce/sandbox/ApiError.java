package dev.baton.connectors.salesforce.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Salesforce REST error: an HTTP status and the error list {@code [{errorCode, message, fields?}]}. */
final class ApiError extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final List<String> fields;

    ApiError(int status, String errorCode, String message) {
        this(status, errorCode, message, null);
    }

    ApiError(int status, String errorCode, String message, List<String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = fields;
    }

    static ApiError notFound() {
        return new ApiError(404, "NOT_FOUND", "The requested resource does not exist");
    }

    static ApiError malformedQuery(String message) {
        return new ApiError(400, "MALFORMED_QUERY", message);
    }

    static ApiError invalidField(String message) {
        return new ApiError(400, "INVALID_FIELD", message);
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    /** One entry of the REST error array ({@code errorCode}). */
    Map<String, Object> restError() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", getMessage());
        e.put("errorCode", errorCode);
        if (fields != null) {
            e.put("fields", new ArrayList<>(fields));
        }
        return e;
    }

    /** The REST error body: an array with one error. */
    List<Object> restBody() {
        return List.of(restError());
    }

    /** One entry of an sObject Collections / save result error ({@code statusCode}, always with fields). */
    Map<String, Object> saveError() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("statusCode", errorCode);
        e.put("message", getMessage());
        e.put("fields", fields == null ? List.of() : new ArrayList<>(fields));
        return e;
    }
}
