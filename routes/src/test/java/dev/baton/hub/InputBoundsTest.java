package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;
import dev.baton.model.validation.ValidationMessages;

/**
 * Values longer than the hub stores, and dates no database holds, are the caller's mistake: a 4xx naming
 * the field, never a 500. The reproductions (a 300-character definition id, a 201-character business key,
 * {@code /api/kpis?to=2999} and dates of nine-digit years), the same through an event's trigger (422 naming
 * the trigger) and through the engine (an incident), and a small fuzz of every query and path parameter.
 */
class InputBoundsTest extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Odd values for every parameter: long, numeric-looking, far dates, empty, control characters. */
    private static final List<String> ODD = List.of("a".repeat(101), "a".repeat(300), "a".repeat(5000), "2999", "-1",
            "1e99", "", " ", "0", "99999999999999999999", "2999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "\u00fc\u00df", "\uD83D\uDE00", "'", "\"", "%",
            "null", "..", "a b", "\u0000", "\n", "<x>", "ACCESS_DENIED");

    @Test
    void aDefinitionIdLongerThanTheHubStoresGets400NamingIt() {
        Api.Response r = api.deploy("id: " + "d".repeat(300) + "\nsteps:\n  - {id: a, task: {}}\n");

        JsonNode body = assertError(r, 400, HubCodes.INVALID_DEFINITION);
        assertThat(body.get("details").get(0).get("message").asText())
                .isEqualTo(String.format(ValidationMessages.TOO_LONG, "the definition's id", 100, 300));
    }

    @Test
    void aBusinessKeyLongerThanTheHubStoresGets400NamingItAndOneAtTheLimitStarts() {
        String id = deployed("id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(unique("bk")));

        Api.Response tooLong = start(id, "k".repeat(201));
        Api.Response atLimit = start(id, "k".repeat(200));

        assertThat(assertError(tooLong, 400, HubCodes.BAD_REQUEST).get("error").asText())
                .isEqualTo("Expected businessKey to have at most 200 characters, but it has 201");
        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(201);
    }

    @Test
    void aTriggersBusinessKeyLongerThanTheHubStoresGets422NamingTheTrigger() {
        String id = deployed("""
                id: %s
                triggers:
                  - event: com.example.bounds.order
                    businessKey: "data.orderNo"
                  - event: com.example.bounds.subject
                steps:
                  - {id: a, task: {}}
                """.formatted(unique("bk-trigger")));

        Api.Response byExpression = api.event("shop", unique("e"), "com.example.bounds.order", "s",
                Map.of("orderNo", "o".repeat(201)));
        Api.Response bySubject = api.event("shop", unique("e"), "com.example.bounds.subject", "s".repeat(201), Map.of());

        assertThat(assertError(byExpression, 422, HubCodes.TRIGGER_FAILED).get("error").asText())
                .contains(id + " trigger 1").contains("at most 200 characters, but it has 201");
        assertThat(assertError(bySubject, 422, HubCodes.TRIGGER_FAILED).get("error").asText())
                .contains(id + " trigger 2");
    }

    @Test
    void anEventAttributeLongerThanTheHubStoresGets400NamingIt() {
        for (String attribute : List.of("id", "source", "type")) {
            Map<String, Object> event = new LinkedHashMap<>(Map.of("specversion", "1.0", "id", unique("e"),
                    "source", "/shop", "type", "com.example.bounds"));
            event.put(attribute, (attribute.equals("source") ? "/" : "") + "x".repeat(251));

            Api.Response r = api.post("/events/shop", TestUsers.ADMIN, "application/cloudevents+json", json(event));

            JsonNode body = assertError(r, 400, HubCodes.INVALID_EVENT);
            assertThat(body.get("details").get(0).get("attribute").asText()).isEqualTo(attribute);
            assertThat(body.get("details").get(0).get("message").asText()).contains("at most 250 characters");
        }
    }

    @Test
    void datesNoDatabaseHoldsGet400NamingTheParameter() {
        String id = deployed("id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(unique("kpi")));

        assertThat(assertError(api.get("/api/kpis?definition=" + id + "&to=2999", TestUsers.ADMIN), 400,
                HubCodes.BAD_REQUEST).get("error").asText()).startsWith("Expected to as an ISO-8601 instant");
        for (String path : List.of("/api/kpis?definition=" + id + "&to=" + enc("-999999999-01-01T00:00:00Z"),
                "/api/kpis?definition=" + id + "&from=" + enc("0000-01-01T00:00:00Z"),
                "/api/instances?from=" + enc("+999999999-12-31T23:59:59Z"),
                "/api/audit?to=" + enc("-999999999-01-01T00:00:00Z"))) {
            Api.Response r = api.get(path, TestUsers.ADMIN);

            String parameter = path.contains("&to=") || path.contains("?to=") ? "to" : "from";
            assertThat(assertError(r, 400, HubCodes.BAD_REQUEST).get("error").asText()).as(path)
                    .startsWith("Expected " + parameter + " between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z");
        }
        assertThat(api.get("/api/kpis?definition=" + id + "&to=" + enc("9999-12-31T23:59:59Z"), TestUsers.ADMIN)
                .status()).isEqualTo(200);
    }

    @Test
    void anEventOnASourceNameOfHundredCharactersStartsItsInstance() {
        String source = "s".repeat(100);
        String id = deployed("""
                id: %s
                triggers:
                  - {event: com.example.bounds.long-source, source: %s}
                steps:
                  - {id: a, task: {}}
                """.formatted(unique("long-source"), source));

        Api.Response r = api.post("/events/" + source, TestUsers.ADMIN, "application/cloudevents+json", json(Map.of(
                "specversion", "1.0", "id", unique("e"), "source", "/" + source, "type", "com.example.bounds.long-source")));

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String instance = r.json().get("instances").get(0).get("instanceId").asText();
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).get("startedBy").asText()).isEqualTo("event:" + source);
        assertThat(api.instance(instance).get("definitionId").asText()).isEqualTo(id);
    }

    @Test
    void aCorrelationKeyLongerThanTheHubStoresIsAnIncidentNamingTheExpression() {
        String id = deployed("""
                id: %s
                steps:
                  - id: listen
                    wait: {message: paid, key: "orderId"}
                """.formatted(unique("long-key")));

        Api.Response started = api.postJson("/api/definitions/" + id + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", "B-1", "variables", Map.of("orderId", "k".repeat(251))));

        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String instance = started.text("instanceId");
        JsonNode incident = await().atMost(Duration.ofSeconds(30)).until(() -> api.incidents().stream()
                .filter(i -> instance.equals(i.path("instanceId").asText())).findFirst().orElse(null), i -> i != null);
        assertThat(incident.toString()).contains(HubCodes.EXPRESSION_FAILED)
                .contains("a correlation key of 251 characters, but at most 250 are kept");
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void noOddValueInAnyParameterGetsA500() {
        String id = deployed("id: %s\nsteps:\n  - {id: approve, human: {roles: [sales-manager]}}\n"
                .formatted(unique("fuzz")));
        api.start(id, "B-1", Map.of());
        List<String> templates = List.of("/api/definitions/%s", "/api/definitions/" + id + "?version=%s",
                "/api/definitions/" + id + "?format=%s", "/api/instances?definition=%s", "/api/instances?status=%s",
                "/api/instances?businessKey=%s", "/api/instances?from=%s", "/api/instances?to=%s",
                "/api/instances?limit=%s", "/api/instances?cursor=%s", "/api/instances/%s", "/api/tasks?role=%s",
                "/api/tasks?limit=%s", "/api/tasks/%s", "/api/incidents?status=%s", "/api/incidents?instance=%s",
                "/api/incidents?limit=%s", "/api/incidents/%s", "/api/audit?instance=%s", "/api/audit?businessKey=%s",
                "/api/audit?traceId=%s", "/api/audit?eventType=%s", "/api/audit?from=%s", "/api/audit?to=%s",
                "/api/audit?limit=%s", "/api/audit?cursor=%s", "/api/audit/export?format=%s",
                "/api/audit/export?from=%s", "/api/audit/export?instance=%s", "/api/traces/%s", "/api/kpis?definition=%s",
                "/api/kpis?definition=" + id + "&version=%s", "/api/kpis?definition=" + id + "&from=%s",
                "/api/kpis?definition=" + id + "&to=%s");
        List<String> failures = new ArrayList<>();

        for (String template : templates) {
            for (String value : ODD) {
                String encoded = template.contains("?") ? enc(value) : enc(value).replace("+", "%20");
                check(api.get(template.formatted(encoded), TestUsers.ADMIN), "GET " + template, value, failures);
            }
        }
        for (String value : ODD) {
            String p = enc(value).replace("+", "%20");
            check(api.postJson("/api/definitions/" + p + "/instances", TestUsers.ADMIN, Map.of()), "start", value,
                    failures);
            check(api.postJson("/api/definitions/" + id + "/instances", TestUsers.ADMIN, Map.of("businessKey", value)),
                    "businessKey", value, failures);
            check(api.postJson("/api/instances/" + p + "/cancel", TestUsers.ADMIN, Map.of()), "cancel", value, failures);
            check(api.postJson("/api/tasks/" + p + "/complete", TestUsers.ADMIN, Map.of()), "complete", value, failures);
            check(api.postJson("/api/incidents/" + p + "/retry", TestUsers.ADMIN, Map.of()), "retry", value, failures);
            check(api.postJson("/api/personal-data/erasure", TestUsers.ADMIN, Map.of("businessKey", value)), "erase",
                    value, failures);
            check(api.deploy("id: x\nname: " + json(value) + "\nsteps:\n  - {id: a, task: {}}\n"), "name", value,
                    failures);
            check(api.deploy("id: " + unique("y") + "\nsteps:\n  - {id: " + json(value) + ", task: {}}\n"), "step id",
                    value, failures);
            for (String attribute : List.of("id", "source", "type", "subject", "time")) {
                Map<String, Object> event = new LinkedHashMap<>(Map.of("specversion", "1.0", "id", unique("e"),
                        "source", "/shop", "type", "com.example.fuzz"));
                event.put(attribute, value);
                check(api.post("/events/shop", TestUsers.ADMIN, "application/cloudevents+json", json(event)),
                        "event " + attribute, value, failures);
            }
        }

        assertThat(failures).isEmpty();
    }

    private static void check(Api.Response r, String what, String value, List<String> failures) {
        if (r.status() >= 500 || (r.status() >= 400 && (r.json() == null || r.json().get("code") == null))) {
            String shown = value.length() > 20 ? value.substring(0, 5) + "…(" + value.length() + ")" : value;
            failures.add(what + " '" + shown + "' → " + r.status() + " " + r.body());
        }
    }

    private Api.Response start(String definition, String businessKey) {
        return api.postJson("/api/definitions/" + definition + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", businessKey, "variables", Map.of()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
