package dev.baton.hub.api;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.baton.hub.HubCodes;

/** Maps every failure of an API call to the contract's error body; never a stack trace to the caller. */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> api(ApiException e) {
        return ResponseEntity.status(e.status()).body(new ErrorBody(e.getMessage(), e.code(), e.details()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge);
            }
            cause = cause.getCause();
        }
        String reason = e.getMostSpecificCause().getMessage();
        if (reason != null && reason.contains("\n")) {
            reason = reason.substring(0, reason.indexOf('\n'));
        }
        return error(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected a JSON body, but it could not be read: "
                + reason);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ErrorBody> tooLarge(BodyTooLargeException e) {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, HubCodes.TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HubCodes.UNSUPPORTED_MEDIA_TYPE, "Content-Type "
                + e.getContentType() + " is not accepted here; use one of " + e.getSupportedMediaTypes());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, HubCodes.METHOD_NOT_ALLOWED, "Method " + e.getMethod()
                + " is not allowed here; use one of " + e.getSupportedHttpMethods());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorBody> parameterType(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : switch (e.getRequiredType().getSimpleName()) {
            case "int", "Integer", "long", "Long" -> "a whole number";
            default -> e.getRequiredType().getSimpleName();
        };
        return error(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected parameter '" + e.getName() + "' to be "
                + expected + ", but it is '" + e.getValue() + "'");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ErrorBody> parameterMissing(MissingServletRequestParameterException e) {
        return error(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected parameter '" + e.getParameterName()
                + "', but it is missing");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ErrorBody> noResource(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND, "No such resource: /" + e.getResourcePath());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e) {
        String incident = UUID.randomUUID().toString();
        LOG.error("{} request failed (correlation id {})", HubCodes.INTERNAL, incident, e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, HubCodes.INTERNAL,
                "The hub failed to handle this request; the log has the cause under correlation id " + incident);
    }

    private static ResponseEntity<ErrorBody> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(new ErrorBody(message, code, List.of()));
    }
}
