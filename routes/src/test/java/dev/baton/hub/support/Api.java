package dev.baton.hub.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small HTTP client for the hub's API, as a script would use it. */
public final class Api {

    /** A response: status, JSON body (null when the body is not JSON) and headers. */
    public record Response(int status, JsonNode json, String body, java.net.http.HttpHeaders headers) {
        public String text(String field) {
            return json == null || json.get(field) == null ? null : json.get(field).asText();
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String bearer;
    private final Function<String, String> passwords;

    public Api(String base) {
        this(base, null, TestUsers::password);
    }

    private Api(String base, String bearer, Function<String, String> passwords) {
        this.base = base;
        this.bearer = bearer;
        this.passwords = passwords;
    }

    public Api(int port) {
        this("http://127.0.0.1:" + port);
    }

    /** The same API called with {@code Authorization: Bearer <token>}; the user arguments are then ignored. */
    public Api bearer(String token) {
        return new Api(base, token, passwords);
    }

    /** The same API logging in with these passwords (a generated users file) instead of the test users'. */
    public Api passwords(Map<String, String> byUser) {
        return new Api(base, bearer, byUser::get);
    }

    public Response get(String path, String user) {
        return send(request(path, user).GET().build());
    }

    public Response post(String path, String user, String contentType, String body) {
        return post(path, user, contentType, body, Map.of());
    }

    public Response post(String path, String user, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, user)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return send(b.build());
    }

    public Response postBytes(String path, String user, String contentType, byte[] body) {
        return send(request(path, user).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Response postJson(String path, String user, Object body) {
        try {
            return post(path, user, "application/json", JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Posts a structured CloudEvent to {@code /events/{source}} as the integration user.
     *
     * @param source the source name, also the path's last segment
     */
    public Response event(String source, String id, String type, String subject, Object data) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "/" + source);
        event.put("type", type);
        event.put("subject", subject);
        event.put("data", data);
        try {
            return post("/events/" + source, TestUsers.INTEGRATION, "application/cloudevents+json",
                    JSON.writeValueAsString(event));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deploys YAML as a developer; the response's id and version. */
    public Response deploy(String yaml) {
        return post("/api/definitions", TestUsers.DEVELOPER, "application/yaml", yaml);
    }

    /** Starts an instance as an operator; returns its id. */
    public String start(String definition, String businessKey, Map<String, Object> variables) {
        Response r = postJson("/api/definitions/" + definition + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", businessKey, "variables", variables));
        if (r.status() != 201) {
            throw new AssertionError("start failed: " + r.status() + " " + r.body());
        }
        return r.text("instanceId");
    }

    public JsonNode instance(String id) {
        return get("/api/instances/" + id, TestUsers.OPERATOR).json();
    }

    public String status(String id) {
        return instance(id).get("status").asText();
    }

    public List<JsonNode> tasks(String user) {
        JsonNode all = get("/api/tasks", user).json();
        return all == null ? List.of() : toList(all);
    }

    public List<JsonNode> incidents() {
        return toList(get("/api/incidents", TestUsers.OPERATOR).json());
    }

    public static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new java.util.ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        } else if (user != null) {
            String token = Base64.getEncoder().encodeToString(
                    (user + ":" + passwords.apply(user)).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + token);
        }
        return b;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // left null: callers assert on status and raw body
            }
            return new Response(r.statusCode(), json, r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
