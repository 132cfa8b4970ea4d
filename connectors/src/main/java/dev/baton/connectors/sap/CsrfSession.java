package dev.baton.connectors.sap;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The Gateway's CSRF handshake over camel-http: a GET with {@code x-csrf-token: Fetch} yields a token
 * bound to the session cookies it sets; every write sends both. When the Gateway says the token is no
 * longer valid ({@code 403} with {@code x-csrf-token: Required}), it is fetched again and the write
 * sent once more. One session is shared by all writes of the hub node.
 */
final class CsrfSession {

    private static final String TOKEN = "x-csrf-token";

    private final SapProperties properties;
    private final ObjectMapper json;
    private final String httpUri;
    private ProducerTemplate template;
    private volatile Session session;

    private record Session(String token, String cookies) {
    }

    CsrfSession(SapProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        long timeout = properties.timeout().toMillis();
        this.httpUri = properties.serviceUrl() + "?throwExceptionOnFailure=false&cookieManagementDisabled=true"
                + "&connectTimeout=" + timeout + "&responseTimeout=" + timeout;
    }

    void bind(CamelContext camel) {
        this.template = camel.createProducerTemplate();
    }

    /** Sends the write the exchange describes ({@link SapConnector#H_METHOD}, {@link SapConnector#H_COMMAND}, body). */
    void send(Exchange exchange) throws Exception {
        String method = exchange.getMessage().getHeader(SapConnector.H_METHOD, String.class);
        String command = exchange.getMessage().getHeader(SapConnector.H_COMMAND, String.class);
        String body = exchange.getMessage().getBody(String.class);
        for (int attempt = 0; ; attempt++) {
            Session s = session();
            Exchange answer = call(method, command, body, s);
            int status = status(answer);
            if (status == 403 && "Required".equalsIgnoreCase(answer.getMessage().getHeader(TOKEN, String.class))
                    && attempt == 0) {
                session = null;
                continue;
            }
            String text = text(answer);
            if (status >= 400) {
                throw failure(status, text, method + " " + command);
            }
            exchange.getMessage().setBody(unwrap(text));
            return;
        }
    }

    /** Asks a failed read again over plain HTTP, to tell the caller what the Gateway said. */
    SapException explainFailedRead(String command) {
        try {
            Exchange answer = call("GET", command, null, null);
            int status = status(answer);
            return failure(status >= 400 ? status : 502, text(answer), command);
        } catch (Exception e) {
            return new SapException(0, null, "SAP's Gateway gave no answer to OData command " + command + ": "
                    + e.getMessage(), command);
        }
    }

    private Session session() throws Exception {
        Session s = session;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (session == null) {
                Exchange answer = template.send(httpUri, e -> {
                    e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
                    e.getMessage().setHeader(Exchange.HTTP_PATH, "/");
                    e.getMessage().setHeader(TOKEN, "Fetch");
                    e.getMessage().setHeader("Authorization", SapConnector.basic(properties));
                    e.getMessage().setHeader("Accept", "application/json");
                });
                if (answer.getException() != null) {
                    throw answer.getException();
                }
                int status = status(answer);
                String token = answer.getMessage().getHeader(TOKEN, String.class);
                if (status >= 400 || token == null) {
                    throw failure(status >= 400 ? status : 502, text(answer), "GET / (x-csrf-token: Fetch)");
                }
                session = new Session(token, cookies(answer.getMessage().getHeader("Set-Cookie")));
            }
            return session;
        }
    }

    private Exchange call(String method, String command, String body, Session s) throws Exception {
        int q = command.indexOf('?');
        String path = q < 0 ? command : command.substring(0, q);
        String query = q < 0 ? null : command.substring(q + 1);
        Exchange answer = template.send(httpUri, e -> {
            boolean merge = method.equals("MERGE");
            e.getMessage().setHeader(Exchange.HTTP_METHOD, merge ? "POST" : method);
            if (merge) {
                e.getMessage().setHeader("X-HTTP-Method", "MERGE");
            }
            e.getMessage().setHeader(Exchange.HTTP_PATH, path);
            if (query != null) {
                e.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            }
            e.getMessage().setHeader("Authorization", SapConnector.basic(properties));
            e.getMessage().setHeader("Accept", "application/json");
            if (s != null) {
                e.getMessage().setHeader(TOKEN, s.token());
                if (s.cookies() != null) {
                    e.getMessage().setHeader("Cookie", s.cookies());
                }
            }
            if (body != null && !body.isBlank()) {
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                e.getMessage().setBody(body);
            } else if (!method.equals("GET")) {
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                e.getMessage().setBody("");
            }
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer;
    }

    private static String cookies(Object setCookie) {
        List<String> values = new ArrayList<>();
        if (setCookie instanceof Collection<?> many) {
            many.forEach(v -> values.add(String.valueOf(v)));
        } else if (setCookie != null) {
            values.add(String.valueOf(setCookie));
        }
        List<String> pairs = new ArrayList<>();
        for (String v : values) {
            int semi = v.indexOf(';');
            pairs.add((semi < 0 ? v : v.substring(0, semi)).trim());
        }
        return pairs.isEmpty() ? null : String.join("; ", pairs);
    }

    private static int status(Exchange answer) {
        Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static String text(Exchange answer) throws Exception {
        Object body = answer.getMessage().getBody();
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return body == null ? null : answer.getMessage().getBody(String.class);
    }

    /** {@code {"d": X}} → X as JSON; nothing → {@code {}}. */
    private String unwrap(String text) throws Exception {
        if (text == null || text.isBlank()) {
            return "{}";
        }
        Object parsed = json.readValue(text, Object.class);
        if (parsed instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("d")) {
            return json.writeValueAsString(m.get("d"));
        }
        return text;
    }

    /** SAP's OData error {@code {"error":{"code","message":{"value"}}}} → a failure naming the command. */
    SapException failure(int status, String text, String command) {
        String code = null;
        String message = text == null ? "" : text.strip();
        try {
            Object parsed = text == null ? null : json.readValue(text, Object.class);
            if (parsed instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> error) {
                code = error.get("code") == null ? null : String.valueOf(error.get("code"));
                Object msg = error.get("message");
                message = msg instanceof Map<?, ?> mm ? String.valueOf(mm.get("value")) : String.valueOf(msg);
            }
        } catch (Exception notJson) {
            // keep the text
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return new SapException(status, code, "SAP's Gateway answered " + status + " to OData command " + command
                + (message.isEmpty() ? "" : ": " + message), command);
    }
}
