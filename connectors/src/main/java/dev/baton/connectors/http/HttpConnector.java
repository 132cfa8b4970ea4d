package dev.baton.connectors.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteDefinition;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorCodes;
import dev.baton.model.engine.Failure;

/**
 * Calls an HTTP endpoint with camel-http: {@code http.get}, {@code http.post}, {@code http.put},
 * {@code http.patch}, {@code http.delete}. The request body is the step's input as JSON; the
 * response body is the step's result. Every call carries {@code Idempotency-Key}, the same for every
 * attempt of one step execution, so a receiver can apply a retried write once.
 *
 * <p>Settings: {@code url} (required), {@code headers} (map), {@code timeout} (ISO-8601 duration).
 */
public final class HttpConnector implements Connector {

    public static final String NAME = "http";

    private static final Set<String> OPERATIONS = Set.of("get", "post", "put", "patch", "delete");

    private final HttpProperties properties;

    public HttpConnector(HttpProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> operations() {
        return OPERATIONS;
    }

    @Override
    public void configure(RouteDefinition route, String operation, Map<String, Object> settings) {
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("Unknown http operation '" + operation + "'");
        }
        String url = endpointUrl(settings);
        Duration timeout = timeout(settings);
        String method = operation.toUpperCase(Locale.ROOT);
        route.setHeader(Exchange.HTTP_METHOD).constant(method);
        route.setHeader("Idempotency-Key").header(IDEMPOTENCY_KEY);
        route.setHeader(Exchange.CONTENT_TYPE).constant("application/json");
        route.setHeader("Accept").constant("application/json");
        if (settings.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> route.setHeader(String.valueOf(k)).constant(String.valueOf(v)));
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            route.setBody().constant(null);
        }
        route.removeHeaders("Baton*");
        String separator = url.contains("?") ? "&" : "?";
        route.to(url + separator + "throwExceptionOnFailure=true"
                + "&connectTimeout=" + timeout.toMillis() + "&responseTimeout=" + timeout.toMillis());
        route.convertBodyTo(String.class);
    }

    private static String endpointUrl(Map<String, Object> settings) {
        Object url = settings.get("url");
        if (!(url instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("http needs the setting 'url'");
        }
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http setting 'url' is not a URL: " + s);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("http setting 'url' must start with http:// or https://, but is " + s);
        }
        return s;
    }

    private Duration timeout(Map<String, Object> settings) {
        Object t = settings.get("timeout");
        if (t == null) {
            return properties.timeout();
        }
        try {
            return Duration.parse(String.valueOf(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("http setting 'timeout' must be an ISO-8601 duration such as PT10S, "
                    + "but is " + t);
        }
    }

    @Override
    public Failure classify(Exception exception) {
        Throwable cause = exception;
        while (cause != null) {
            if (cause instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                List<String> details = new ArrayList<>();
                details.add("status=" + status);
                details.add("url=" + http.getUri());
                String body = http.getResponseBody();
                if (body != null && !body.isBlank()) {
                    details.add("body=" + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
                }
                return new Failure(ConnectorCodes.HTTP_STATUS_PREFIX + status,
                        "HTTP " + status + " " + http.getStatusText() + " from " + http.getUri(),
                        properties.retryableStatuses().contains(status), details);
            }
            if (cause instanceof IOException io) {
                return new Failure(ConnectorCodes.HTTP_IO, io.getClass().getSimpleName() + ": " + io.getMessage(),
                        true, List.of());
            }
            cause = cause.getCause();
        }
        return new Failure(ConnectorCodes.UNEXPECTED, String.valueOf(exception.getMessage()), true, List.of());
    }
}
