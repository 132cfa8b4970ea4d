package dev.baton.connectors.sap.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** One HTTP answer of the Gateway: status, headers and body, written once to the exchange. */
final class Response {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SAP_TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSS");

    private final int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body;

    private Response(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
    }

    static Response json(int status, Object value) {
        try {
            return new Response(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value))
                    .header("dataserviceversion", "2.0");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response text(int status, String text) {
        return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, contentType, body);
    }

    static Response noContent() {
        return new Response(204, null, new byte[0]).header("dataserviceversion", "1.0");
    }

    /** SAP's OData V2 error body: {@code {"error":{"code","message":{"lang","value"},"innererror":{...}}}}. */
    static Response error(ODataException e) {
        String transaction = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        Map<String, Object> application = new LinkedHashMap<>();
        application.put("component_id", "");
        application.put("service_namespace", "/IWBEP/");
        application.put("service_id", "GWSAMPLE_BASIC");
        application.put("service_version", "0001");
        Map<String, Object> resolution = new LinkedHashMap<>();
        resolution.put("SAP_Transaction", "For backend administrators: use ADT feed reader \"SAP Gateway Error Log\" or run "
                + "transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above "
                + "for more details");
        resolution.put("SAP_Note", "See SAP Note 1797736 for error analysis "
                + "(https://service.sap.com/sap/support/notes/1797736)");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("application", application);
        inner.put("transactionid", transaction);
        inner.put("timestamp", LocalDateTime.now(ZoneOffset.UTC).format(SAP_TIMESTAMP));
        inner.put("Error_Resolution", resolution);
        inner.put("errordetails", List.of());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", Map.of("lang", "en", "value", e.getMessage()));
        error.put("innererror", inner);
        return json(e.status(), Map.of("error", error));
    }

    Response header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    /** Adds the other response's headers except its content type (used to carry the CSRF token onto any answer). */
    void copyHeaders(Response other) {
        for (Map.Entry<String, String> h : other.headers) {
            if (!"Content-Type".equals(h.getKey())) {
                headers.add(h);
            }
        }
    }

    void withoutBody() {
        body = new byte[0];
    }

    int status() {
        return status;
    }

    void send(HttpExchange exchange) throws IOException {
        for (Map.Entry<String, String> h : headers) {
            exchange.getResponseHeaders().add(h.getKey(), h.getValue());
        }
        boolean empty = body.length == 0;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
