package dev.baton.hub;

import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_DEFAULT;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_OPERATION;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.baton.hub.compile.ConnectorRegistry;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.ErrorBodies;
import dev.baton.hub.support.TestUsers;

/**
 * Every kind of bad request the API meets: each is refused with the right status, a stable code and
 * a message that says what is wrong, never a stack trace, and leaves nothing stored half-way.
 */
class BadInputTest extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOUDEVENT = "application/cloudevents+json";

    @Autowired
    private ConnectorRegistry connectors;

    // ---- definitions ----

    @Test
    void shouldRefuseMalformedYamlNamingTheLineAndStoreNothing() {
        // given: a flow mapping that is never closed
        String id = unique("malformed");
        String yaml = """
                id: %s
                steps:
                  - id: a
                    task: {set: {x: "1"}
                  - id: b
                    task: {}
                """.formatted(id);

        // when
        Api.Response r = api.deploy(yaml);

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.INVALID_DEFINITION);
        assertThat(body.get("details")).singleElement().satisfies(detail -> {
            assertThat(detail.get("element").asText()).isEqualTo("yaml");
            assertThat(detail.get("message").asText()).startsWith("Expected well-formed YAML, but line ");
            assertThat(detail.get("line").asInt()).isPositive();
        });
        assertNotDeployed(id);
    }

    @Test
    void shouldRefuseAnInvalidDefinitionListingEveryProblemAtOnce() {
        // given: an unknown target, a choice without default and an unknown connector operation
        String id = unique("invalid");
        String yaml = """
                id: %s
                steps:
                  - id: check
                    choice:
                      - when: "amount > 10"
                        next: nowhere
                      - when: "amount <= 10"
                        next: post
                  - id: post
                    call: sap.nothing
                """.formatted(id);
        String known = String.join(", ", new TreeSet<>(connectors.operations()));

        // when
        Api.Response r = api.deploy(yaml);

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.INVALID_DEFINITION);
        assertThat(body.get("error").asText()).contains("3 problem(s)");
        assertThat(Api.toList(body.get("details")))
                .extracting(d -> d.get("element").asText(), d -> d.get("message").asText())
                .containsExactlyInAnyOrder(
                        tuple("step 'check'", String.format(UNKNOWN_TARGET, "check", "nowhere")),
                        tuple("step 'check'", String.format(CHOICE_WITHOUT_DEFAULT, "check")),
                        tuple("step 'post'", String.format(UNKNOWN_OPERATION, "sap.nothing", "post", known)));
        assertNotDeployed(id);
    }

    @Test
    void shouldRefuseADefinitionThatIsNotYamlWith415() {
        // given
        String id = unique("json");
        String asJson = "{\"id\": \"" + id + "\", \"steps\": [{\"id\": \"a\", \"task\": {}}]}";

        // when
        Api.Response r = api.post("/api/definitions", TestUsers.DEVELOPER, "application/json", asJson);

        // then
        JsonNode body = assertRefused(r, 415, HubCodes.UNSUPPORTED_MEDIA_TYPE);
        assertThat(body.get("error").asText()).contains("application/yaml").contains("application/json");
        assertNotDeployed(id);
    }

    @Test
    void shouldRefuseBpmnWithWhatBatonDoesNotExecuteNamingEachElementAndLine() {
        // given: a model whose gateway kind Baton does not execute, and a task bound to nothing
        String bpmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
                  <process id="bpmn-order" isExecutable="true">
                    <startEvent id="s"/>
                    <sequenceFlow id="f1" sourceRef="s" targetRef="cg"/>
                    <complexGateway id="cg" name="Complex"/>
                    <sequenceFlow id="f2" sourceRef="cg" targetRef="book"/>
                    <serviceTask id="book" name="Book"/>
                  </process>
                </definitions>
                """;

        // when
        Api.Response r = api.post("/api/definitions", TestUsers.DEVELOPER, "application/xml", bpmn);

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.INVALID_DEFINITION);
        List<JsonNode> problems = Api.toList(body.get("details"));
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.get("element").asText()).contains("complexGateway").contains("'cg'").contains("Complex");
            assertThat(p.get("line").asInt()).isEqualTo(6);
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.get("element").asText()).contains("'book'");
            assertThat(p.get("line").asInt()).isEqualTo(8);
        });
        assertNotDeployed("bpmn-order");
    }

    @Test
    void shouldRefuseBpmnWithADoctypeWithoutReadingItsEntities() throws Exception {
        // given: the XXE probe of Flowable's test suite, its entity pointing at a file only this test knows
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("baton-xxe-", ".txt");
        java.nio.file.Files.writeString(secret, "the-secret-" + unique("x"));
        String probe = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE definitions [<!ENTITY xxe SYSTEM "%s">]>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
                  <process id="bpmn-xxe" name="&xxe;" isExecutable="true"><startEvent id="s"/></process>
                </definitions>
                """.formatted(secret.toUri());

        // when
        Api.Response r = api.post("/api/definitions", TestUsers.DEVELOPER, "application/xml", probe);

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.INVALID_DEFINITION);
        assertThat(body.toString()).contains("DOCTYPE").doesNotContain("the-secret-");
        assertNotDeployed("bpmn-xxe");
    }

    // ---- events ----

    @Test
    void shouldRefuseAnEventMissingRequiredAttributesNamingEachOne() {
        // given: a structured CloudEvent with data but none of the required attributes
        String event = "{\"data\": {\"orderId\": \"SO-1\"}}";

        // when
        Api.Response r = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT, event);

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.INVALID_EVENT);
        assertThat(body.get("error").asText()).contains("4 problem(s)");
        assertThat(Api.toList(body.get("details")))
                .extracting(d -> d.get("attribute").asText(), d -> d.get("message").asText())
                .containsExactlyInAnyOrder(
                        tuple("specversion", "Expected required attribute 'specversion', but it is missing"),
                        tuple("id", "Expected required attribute 'id', but it is missing"),
                        tuple("source", "Expected required attribute 'source', but it is missing"),
                        tuple("type", "Expected required attribute 'type', but it is missing"));
    }

    @Test
    void shouldRefuseAnEventOfAnotherSpecVersionAndAcceptItsIdLaterAsNew() {
        // given
        String eventId = unique("ev-03");
        String type = "test.bad-input." + unique("t");

        // when
        Api.Response old = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT,
                event("0.3", eventId, type, Map.of("n", 1)));
        Api.Response fixed = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT,
                event("1.0", eventId, type, Map.of("n", 1)));

        // then
        JsonNode body = assertRefused(old, 400, HubCodes.INVALID_EVENT);
        assertThat(body.get("details")).singleElement().satisfies(d -> {
            assertThat(d.get("attribute").asText()).isEqualTo("specversion");
            assertThat(d.get("message").asText()).isEqualTo("Expected specversion '1.0', but it is '0.3'");
        });
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(202);
        assertThat(fixed.json().get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void shouldRefuseAStructuredEventWhoseBodyIsNotJson() {
        // when
        Api.Response r = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT, "id=1&type=order");

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.INVALID_EVENT);
        assertThat(body.get("error").asText()).contains("not JSON");
    }

    @Test
    void shouldRefuseAnEventWhoseTriggerExpressionFailsAndStoreNothingForIt() {
        // given: a trigger whose variables expression gives a string, not an object
        String id = unique("bad-trigger");
        String type = "test.bad-input." + unique("t");
        String definition = """
                id: %s
                triggers:
                  - event: %s
                    variables: "data.name"
                steps:
                  - id: book
                    task: {}
                """;
        assertThat(api.deploy(definition.formatted(id, type)).status()).isEqualTo(201);
        String eventId = unique("ev-trigger");
        String event = event("1.0", eventId, type, Map.of("name", "Ada"));

        // when
        Api.Response first = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT, event);
        Api.Response again = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT, event);

        // then: refused both times, as the event was not recorded, and nothing started
        JsonNode body = assertRefused(first, 422, HubCodes.TRIGGER_FAILED);
        assertThat(body.get("error").asText()).contains("variables").contains(id + " trigger 1")
                .contains("an object").contains("Ada");
        assertRefused(again, 422, HubCodes.TRIGGER_FAILED);
        assertThat(instancesOf(id)).isEmpty();

        // when: the trigger is fixed and the same event is sent once more
        assertThat(api.deploy(definition.formatted(id, type).replace("\"data.name\"", "'{\"name\": data.name}'"))
                .status()).isEqualTo(201);
        Api.Response afterFix = api.post("/events/erp", TestUsers.INTEGRATION, CLOUDEVENT, event);

        // then: it is taken in as a new event
        assertThat(afterFix.status()).as(afterFix.body()).isEqualTo(202);
        assertThat(afterFix.json().get("duplicate").asBoolean()).isFalse();
        assertThat(afterFix.json().get("instances")).hasSize(1);
        assertThat(instancesOf(id)).hasSize(1);
    }

    // ---- instances ----

    @Test
    void shouldRefuseAStartWhoseBodyIsNotJsonAndStartNothing() {
        // given
        String id = deployedOneStep(unique("start-json"));

        // when
        Api.Response r = api.post("/api/definitions/" + id + "/instances", TestUsers.OPERATOR, "application/json",
                "businessKey=SO-1");

        // then
        JsonNode body = assertRefused(r, 400, HubCodes.BAD_REQUEST);
        assertThat(body.get("error").asText()).contains("not JSON");
        assertThat(instancesOf(id)).isEmpty();
    }

    @Test
    void shouldRefuseAStartWhoseVariablesAreNotAnObject() {
        // given
        String id = deployedOneStep(unique("start-vars"));

        // when
        Api.Response list = api.post("/api/definitions/" + id + "/instances", TestUsers.OPERATOR, "application/json",
                "{\"businessKey\": \"SO-1\", \"variables\": [1, 2]}");
        Api.Response text = api.post("/api/definitions/" + id + "/instances", TestUsers.OPERATOR, "application/json",
                "{\"businessKey\": \"SO-1\", \"variables\": \"amount=5\"}");

        // then
        assertThat(assertRefused(list, 400, HubCodes.BAD_REQUEST).get("error").asText())
                .contains("variables").contains("ARRAY");
        assertThat(assertRefused(text, 400, HubCodes.BAD_REQUEST).get("error").asText())
                .contains("variables").contains("STRING");
        assertThat(instancesOf(id)).isEmpty();
    }

    // ---- size ----

    @Test
    void shouldRefuseATenMegabyteEventAndKeepAnswering() {
        // given
        byte[] huge = tenMegabytesOfJson();

        // when
        Api.Response r = api.postBytes("/events/x", TestUsers.INTEGRATION, CLOUDEVENT, huge);
        Api.Response next = api.post("/events/x", TestUsers.INTEGRATION, CLOUDEVENT,
                event("1.0", unique("after-413"), "test.bad-input.small", Map.of()));

        // then
        JsonNode body = assertRefused(r, 413, HubCodes.TOO_LARGE);
        assertThat(body.get("error").asText()).contains("baton.api.max-body-size");
        assertThat(next.status()).as(next.body()).isEqualTo(202);
    }

    @Test
    void shouldRefuseATenMegabyteDefinitionAndKeepAnswering() {
        // given
        byte[] huge = tenMegabytesOfYaml();

        // when
        Api.Response r = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/yaml", huge);
        Api.Response next = api.get("/api/definitions", TestUsers.DEVELOPER);

        // then
        JsonNode body = assertRefused(r, 413, HubCodes.TOO_LARGE);
        assertThat(body.get("error").asText()).contains("baton.api.max-body-size");
        assertThat(next.status()).isEqualTo(200);
        assertNotDeployed("huge");
    }

    @Test
    void shouldRefuseADefinitionOverTheLimitSentWithoutALength() throws Exception {
        // given: a chunked body of 1.5 MB, which the limit can only catch while it streams in (a larger one
        // arrives too, but the server then closes the connection on a client still sending, which some
        // clients report as a broken response rather than the 413)
        byte[] overLimit = yamlOfSize(1536 * 1024);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/definitions"))
                .header("Authorization", basic(TestUsers.DEVELOPER, TestUsers.password(TestUsers.DEVELOPER)))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(overLimit)))
                .timeout(Duration.ofSeconds(30)).build();

        // when
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("code").asText()).isEqualTo(HubCodes.TOO_LARGE);
        assertThat(body.get("error").asText()).contains("baton.api.max-body-size");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(api.get("/api/definitions", TestUsers.DEVELOPER).status()).isEqualTo(200);
        assertNotDeployed("huge");
    }

    // ---- unknown things ----

    @Test
    void shouldAnswer404ForAnythingThatDoesNotExist() {
        // given
        String random = UUID.randomUUID().toString();

        // when
        Api.Response start = api.postJson("/api/definitions/nope/instances", TestUsers.OPERATOR,
                Map.of("businessKey", "N-1", "variables", Map.of()));
        Api.Response definition = api.get("/api/definitions/nope", TestUsers.OPERATOR);
        Api.Response instance = api.get("/api/instances/" + random, TestUsers.OPERATOR);
        Api.Response task = api.postJson("/api/tasks/" + random + "/complete", TestUsers.ADMIN,
                Map.of("variables", Map.of()));
        Api.Response incident = api.post("/api/incidents/" + random + "/retry", TestUsers.OPERATOR, null, null);

        // then
        assertThat(assertRefused(start, 404, HubCodes.NOT_FOUND).get("error").asText()).contains("nope");
        assertThat(assertRefused(definition, 404, HubCodes.NOT_FOUND).get("error").asText()).contains("nope");
        assertThat(assertRefused(instance, 404, HubCodes.NOT_FOUND).get("error").asText()).contains(random);
        assertThat(assertRefused(task, 404, HubCodes.NOT_FOUND).get("error").asText()).contains(random);
        assertThat(assertRefused(incident, 404, HubCodes.NOT_FOUND).get("error").asText()).contains(random);
        assertThat(instancesOf("nope")).isEmpty();
    }

    // ---- security ----

    @Test
    void shouldAskForCredentialsWhenThereAreNoneOrTheyAreWrong() {
        // given
        String id = unique("wrong-password");

        // when
        Api.Response none = api.get("/api/definitions", null);
        Api.Response wrong = api.post("/api/definitions", null, "application/yaml",
                "id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(id),
                Map.of("Authorization", basic(TestUsers.DEVELOPER, "not-the-password")));
        HttpResponse<String> challenge = rawGet("/api/definitions");

        // then
        assertRefused(none, 401, HubCodes.UNAUTHENTICATED);
        assertRefused(wrong, 401, HubCodes.UNAUTHENTICATED);
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Basic"));
        assertNotDeployed(id);
    }

    @Test
    void shouldForbidAnAuditorToDeployAndAnIntegrationUserToStartInstances() {
        // given
        String id = deployedOneStep(unique("roles"));
        String other = unique("by-auditor");

        // when
        Api.Response deploy = api.post("/api/definitions", TestUsers.AUDITOR, "application/yaml",
                "id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(other));
        Api.Response start = api.postJson("/api/definitions/" + id + "/instances", TestUsers.INTEGRATION,
                Map.of("businessKey", "R-1"));

        // then
        assertThat(assertRefused(deploy, 403, HubCodes.FORBIDDEN).get("error").asText())
                .contains("POST /api/definitions");
        assertThat(assertRefused(start, 403, HubCodes.FORBIDDEN).get("error").asText())
                .contains("/api/definitions/" + id + "/instances");
        assertNotDeployed(other);
        assertThat(instancesOf(id)).isEmpty();
    }

    @Test
    void shouldAnswerHealthWithoutCredentials() {
        // when
        Api.Response health = api.get("/actuator/health", null);

        // then
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    // ---- helpers ----

    /** The refusal's error body, after checking the status, the code and that no internals leak. */
    private static JsonNode assertRefused(Api.Response r, int status, String code) {
        return ErrorBodies.assertError(r, status, code);
    }

    private void assertNotDeployed(String id) {
        Api.Response list = api.get("/api/definitions", TestUsers.DEVELOPER);
        assertThat(list.status()).isEqualTo(200);
        assertThat(Api.toList(list.json())).noneMatch(d -> d.get("id").asText().equals(id));
        assertThat(api.get("/api/definitions/" + id, TestUsers.DEVELOPER).status()).isEqualTo(404);
    }

    private List<JsonNode> instancesOf(String definition) {
        Api.Response r = api.get("/api/instances?definition=" + definition, TestUsers.AUDITOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Api.toList(r.json().get("instances"));
    }

    private String deployedOneStep(String id) {
        Api.Response r = api.deploy("id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(id));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static String event(String specversion, String id, String type, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", specversion);
        event.put("id", id);
        event.put("source", "/tests/bad-input");
        event.put("type", type);
        event.put("data", data);
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tenMegabytesOfJson() {
        byte[] filler = new byte[10 * 1024 * 1024];
        Arrays.fill(filler, (byte) 'a');
        String head = "{\"specversion\":\"1.0\",\"id\":\"huge\",\"source\":\"/x\",\"type\":\"t\",\"data\":\"";
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, filler, 0, start.length);
        filler[filler.length - 2] = '"';
        filler[filler.length - 1] = '}';
        return filler;
    }

    private static byte[] tenMegabytesOfYaml() {
        return yamlOfSize(10 * 1024 * 1024);
    }

    /** A valid definition {@code huge}, padded with a comment to {@code size} bytes. */
    private static byte[] yamlOfSize(int size) {
        byte[] filler = new byte[size];
        Arrays.fill(filler, (byte) '#');
        byte[] start = "id: huge\nsteps:\n  - {id: a, task: {}}\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, filler, 0, start.length);
        return filler;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> rawGet(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
