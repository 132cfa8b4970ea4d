package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Roles and permissions as users meet them: each event source's own credential, and the four-eyes rule
 * on human tasks.
 */
class AccessControlTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENT = """
            {"specversion":"1.0","id":"%s","source":"/%s","type":"com.example.access.checked","data":{}}""";

    @Test
    void aSourcesCredentialPostsToItsOwnSourceOnly() {
        Api.Response own = postEvent("shop", TestUsers.SHOP);
        Api.Response other = postEvent("wms", TestUsers.SHOP);
        Api.Response anonymous = postEvent("shop", null);
        Api.Response relay = postEvent("wms", TestUsers.INTEGRATION);
        Api.Response notAnEventCall = api.get("/api/instances", TestUsers.SHOP);

        assertThat(own.status()).as(own.body()).isEqualTo(202);
        assertThat(assertError(other, 403, HubCodes.FORBIDDEN).get("error").asText()).contains("POST /events/wms");
        assertError(anonymous, 401, HubCodes.UNAUTHENTICATED);
        assertThat(relay.status()).as("integration posts for any source: %s", relay.body()).isEqualTo(202);
        assertError(notAnEventCall, 403, HubCodes.FORBIDDEN);
    }

    @Test
    void aSourceUserReadsNothingUnderTheApiNotEvenDefinitionSources() {
        // given: a definition whose source names another system's endpoint
        String id = unique("secretive");
        deploy("""
                id: %s
                steps:
                  - id: ship
                    task: {set: {endpoint: "'http://wms.internal.example/ship'"}}
                """.formatted(id));

        // when
        List<Api.Response> bySource = List.of(api.get("/api/definitions", TestUsers.SHOP),
                api.get("/api/definitions/" + id, TestUsers.SHOP),
                api.get("/api/definitions/" + id + "?format=bpmn", TestUsers.SHOP),
                api.get("/api/no-such-resource", TestUsers.SHOP),
                api.get("/api/definitions/" + id, TestUsers.INTEGRATION));
        Api.Response byDeveloper = api.get("/api/definitions/" + id, TestUsers.DEVELOPER);
        Api.Response byApprover = api.get("/api/definitions/" + id, TestUsers.MANAGER);
        Api.Response ownEvent = postEvent("shop", TestUsers.SHOP);

        // then
        assertThat(bySource).allSatisfy(r -> {
            assertError(r, 403, HubCodes.FORBIDDEN);
            assertThat(r.body()).doesNotContain("wms.internal.example");
        });
        assertThat(byDeveloper.status()).isEqualTo(200);
        assertThat(byDeveloper.text("source")).contains("wms.internal.example");
        assertThat(byApprover.status()).isEqualTo(200);
        assertThat(ownEvent.status()).as(ownEvent.body()).isEqualTo(202);
    }

    @Test
    void whoeverStartedAnInstanceMayNotCompleteItsFourEyesTask() {
        // given: otto (operator and sales manager) starts an instance whose approval needs four eyes
        String id = unique("four-eyes");
        deploy("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve payment", roles: [sales-manager], fourEyes: true}
                    next: done
                  - id: done
                    task: {set: {approved: "true"}}
                """.formatted(id));
        String instance = startAs(TestUsers.OPERATING_MANAGER, id);
        JsonNode task = awaitTask(TestUsers.MANAGER, instance);

        // when
        List<JsonNode> offeredToOtto = api.tasks(TestUsers.OPERATING_MANAGER);
        Api.Response byStarter = complete(task, TestUsers.OPERATING_MANAGER);
        Api.Response byColleague = complete(task, TestUsers.MANAGER);

        // then
        assertThat(offeredToOtto).noneMatch(t -> t.get("instanceId").asText().equals(instance));
        JsonNode refusal = assertError(byStarter, 403, HubCodes.FOUR_EYES);
        assertThat(refusal.get("error").asText()).contains("four-eyes rule forbids otto");
        assertThat(byColleague.status()).as(byColleague.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> api.status(instance).equals("COMPLETED"));
        assertThat(Api.toList(api.instance(instance).get("handoffs")).stream()
                .filter(h -> "TASK_COMPLETED".equals(h.get("event").asText())).map(h -> h.get("actor").asText()))
                .containsExactly(TestUsers.MANAGER);
        // and an auditor finds the refusal in the audit trail
        String refusedPath = "/api/tasks/" + task.get("id").asText() + "/complete";
        await().atMost(WAIT).until(() -> Api.toList(api.get("/api/audit?eventType=ACCESS_DENIED&limit=1000",
                TestUsers.AUDITOR).json().path("entries")).stream()
                .anyMatch(e -> TestUsers.OPERATING_MANAGER.equals(e.path("actor").asText())
                        && e.path("summary").asText().contains(refusedPath)
                        && e.path("summary").asText().contains("four-eyes rule")));
    }

    @Test
    void withoutFourEyesTheStarterMayCompleteAndStillOnlyWithACandidateRole() {
        // given
        String id = unique("two-eyes");
        deploy("""
                id: %s
                steps:
                  - id: approve
                    human: {roles: [sales-manager]}
                """.formatted(id));
        String instance = startAs(TestUsers.OPERATING_MANAGER, id);
        JsonNode task = awaitTask(TestUsers.OPERATING_MANAGER, instance);

        // when
        Api.Response byOperatorOnly = complete(task, TestUsers.OPERATOR);
        Api.Response byStarter = complete(task, TestUsers.OPERATING_MANAGER);

        // then
        assertError(byOperatorOnly, 403, HubCodes.FORBIDDEN);
        assertThat(byStarter.status()).as(byStarter.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> api.status(instance).equals("COMPLETED"));
    }

    private Api.Response postEvent(String source, String user) {
        return api.post("/events/" + source, user, "application/cloudevents+json",
                EVENT.formatted(unique("ev"), source));
    }

    private void deploy(String yaml) {
        Api.Response r = api.deploy(yaml);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private String startAs(String user, String definition) {
        Api.Response r = api.postJson("/api/definitions/" + definition + "/instances", user,
                Map.of("businessKey", unique("B"), "variables", Map.of()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("instanceId");
    }

    private JsonNode awaitTask(String user, String instance) {
        return await().atMost(WAIT).until(() -> api.tasks(user).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).findFirst().orElse(null), t -> t != null);
    }

    private Api.Response complete(JsonNode task, String user) {
        return api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", user,
                Map.of("variables", Map.of("approved", true)));
    }
}
