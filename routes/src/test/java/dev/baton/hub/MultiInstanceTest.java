package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;

/**
 * Multi-instance steps on a running hub, through the public API: a call per element of a collection
 * against a local HTTP endpoint, each request built from its own element, and a human task per element,
 * each showing its own element; the results collected in collection order.
 */
class MultiInstanceTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private EffectServer remote;

    @BeforeEach
    void remote() {
        remote = new EffectServer();
    }

    @AfterEach
    void stopRemote() {
        remote.close();
    }

    @Test
    void shouldCallOncePerElementOpenATaskPerElementAndCollectTheResultsInOrder() throws Exception {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: ship
                    call: http.post
                    with: {url: "%s"}
                    input: "{'sku': line.sku, 'number': loopCounter}"
                    output: {shipment: "'SHIP-' & echo.sku"}
                    multi: {over: order.lines, as: line, collect: shipments, result: shipment}
                    next: confirm
                  - id: confirm
                    human: {title: "Confirm the line", roles: [sales-manager]}
                    multi: {over: order.lines, as: line}
                    next: done
                  - id: done
                    task: {set: {finished: "true"}}
                """.formatted(unique("lines"), remote.url("/ship")));
        List<Map<String, Object>> lines = List.of(Map.of("sku", "A"), Map.of("sku", "B"), Map.of("sku", "C"));

        // when
        String instance = api.start(id, "SO-7", Map.of("order", Map.of("lines", lines)));

        // then: each element reached the remote system once, in a request of its own
        await().atMost(WAIT).until(() -> remote.effects().size() == 3);
        assertThat(remote.effects().values()).allSatisfy(calls -> assertThat(calls.get()).isEqualTo(1));
        List<String> requests = remote.effects().keySet().stream().map(remote::lastBody).map(this::read)
                .map(r -> r.get("sku").asText() + "#" + r.get("number").asInt()).sorted().toList();
        assertThat(requests).containsExactly("A#1", "B#2", "C#3");

        // and: one task per element, each showing its own element
        List<JsonNode> tasks = await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).toList(), t -> t.size() == 3);
        List<String> shown = tasks.stream().map(t -> api.get("/api/tasks/" + t.get("id").asText(), TestUsers.MANAGER)
                .json().get("variables").get("line").get("sku").asText()).sorted().toList();
        assertThat(shown).containsExactly("A", "B", "C");
        assertThat(api.instance(instance).get("variables").get("shipments"))
                .isEqualTo(json.valueToTree(List.of("SHIP-A", "SHIP-B", "SHIP-C")));

        // when the tasks are completed, the last one first
        for (int i = tasks.size() - 1; i >= 0; i--) {
            Api.Response done = api.postJson("/api/tasks/" + tasks.get(i).get("id").asText() + "/complete",
                    TestUsers.MANAGER, Map.of("variables", Map.of()));
            assertThat(done.status()).as(done.body()).isEqualTo(200);
        }

        // then the path continued once, after the last
        awaitStatus(instance, "COMPLETED");
        JsonNode variables = api.instance(instance).get("variables");
        assertThat(variables.get("finished").asBoolean()).isTrue();
        assertThat(variables.has("line")).isFalse();
        assertThat(variables.has("loopCounter")).isFalse();
        assertThat(Api.toList(api.instance(instance).get("handoffs")).stream()
                .filter(h -> h.get("step").asText().equals("done")).count()).isEqualTo(1);
    }

    @Test
    void shouldEraseThePersonalValuesARunningMultiInstanceStepHoldsForItsInstances() {
        // given: a task per order line, each line naming a customer, who is personal data
        String id = deployed("""
                id: %s
                personal: [order.lines.customer]
                steps:
                  - id: confirm
                    human: {title: "Confirm the line", roles: [sales-manager]}
                    multi: {over: order.lines, as: line}
                """.formatted(unique("erase-lines")));
        String key = unique("CUST");
        String instance = api.start(id, key, Map.of("order", Map.of("lines",
                List.of(Map.of("sku", "A", "customer", "Ann Example"), Map.of("sku", "B", "customer", "Bob Example")))));
        List<JsonNode> tasks = await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).toList(), t -> t.size() == 2);
        List<String> before = tasks.stream().map(t -> api.get("/api/tasks/" + t.get("id").asText(),
                TestUsers.CLEARED_OPERATOR).body()).toList();
        assertThat(String.join("", before)).contains("Ann Example", "Bob Example");

        // when
        Api.Response erased = api.postJson("/api/personal-data/erasure", TestUsers.ADMIN, Map.of("businessKey", key));

        // then: each instance's own element no longer holds them, even for a cleared caller
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        for (JsonNode t : tasks) {
            JsonNode task = api.get("/api/tasks/" + t.get("id").asText(), TestUsers.CLEARED_OPERATOR).json();
            assertThat(task.toString()).doesNotContain("Ann Example", "Bob Example");
            assertThat(task.get("variables").get("line").get("sku").asText()).isIn("A", "B");
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
