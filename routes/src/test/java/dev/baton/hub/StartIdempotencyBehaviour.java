package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * {@code POST /api/definitions/{id}/instances} with an {@code Idempotency-Key}: a retry (after a reset
 * connection, a lost answer, a 503) gets the first answer with 200 and starts nothing; the key is one start per
 * definition. Runs on H2 and on PostgreSQL.
 */
abstract class StartIdempotencyBehaviour extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Api.Response start(String definition, String key, String businessKey, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("businessKey", businessKey);
        body.put("variables", variables);
        try {
            return api.post("/api/definitions/" + definition + "/instances", TestUsers.OPERATOR, "application/json",
                    JSON.writeValueAsString(body), key == null ? Map.of() : Map.of("Idempotency-Key", key));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String definition() {
        return deployed("id: %s\nsteps:\n  - {id: a, task: {set: {done: \"true\"}}}\n".formatted(unique("keyed")));
    }

    private List<JsonNode> instances(String definition) {
        return Api.toList(api.get("/api/instances?definition=" + definition, TestUsers.OPERATOR).json()
                .get("instances"));
    }

    @Test
    void shouldAnswerARetryWithTheFirstAnswerAndStartNothing() {
        // given
        String id = definition();
        Api.Response first = start(id, "order-7-start", "ORDER-7", Map.of("amount", 7, "lines", List.of(1, 2)));

        // when: the same request again, as a client does after a reset connection
        Api.Response retry = start(id, "order-7-start", "ORDER-7", Map.of("amount", 7, "lines", List.of(1, 2)));

        // then
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(instances(id)).hasSize(1);
        awaitStatus(first.text("instanceId"), "COMPLETED");
    }

    @Test
    void shouldTakeTheSameVariablesInAnotherOrderAsTheSameRequest() throws Exception {
        // given
        String id = definition();
        Api.Response first = api.post("/api/definitions/" + id + "/instances", TestUsers.OPERATOR, "application/json",
                "{\"businessKey\":\"B-1\",\"variables\":{\"a\":1,\"b\":{\"x\":1,\"y\":2}}}", Map.of("Idempotency-Key", "k1"));

        // when
        Api.Response retry = api.post("/api/definitions/" + id + "/instances", TestUsers.OPERATOR, "application/json",
                "{\"variables\":{\"b\":{\"y\":2,\"x\":1},\"a\":1}, \"businessKey\":\"B-1\"}", Map.of("Idempotency-Key", "k1"));

        // then
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.text("instanceId")).isEqualTo(first.text("instanceId"));
    }

    @Test
    void shouldRefuseAKeyReusedForAnotherRequestWith422() {
        // given
        String id = definition();
        Api.Response first = start(id, "reused", "ORDER-1", Map.of("amount", 1));

        // when: the key again, with another business key, then with other variables
        Api.Response otherKey = start(id, "reused", "ORDER-2", Map.of("amount", 1));
        Api.Response otherVariables = start(id, "reused", "ORDER-1", Map.of("amount", 2));

        // then
        assertThat(first.status()).isEqualTo(201);
        for (Api.Response refused : List.of(otherKey, otherVariables)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.text("code")).isEqualTo(HubCodes.IDEMPOTENCY_KEY_REUSED);
            assertThat(refused.text("error")).contains("'reused'", first.text("instanceId"));
        }
        assertThat(instances(id)).hasSize(1);
    }

    @Test
    void shouldKeepOneKeyPerDefinition() {
        // given
        String one = definition();
        String other = definition();

        // when
        Api.Response first = start(one, "same-key", "K", Map.of());
        Api.Response second = start(other, "same-key", "K", Map.of());

        // then
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.text("instanceId")).isNotEqualTo(first.text("instanceId"));
    }

    @Test
    void shouldStartOnceWhenRetriesOfOneStartArriveTogether() throws Exception {
        // given
        String id = definition();
        int senders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            // when: eight copies of one request at once, as impatient retries on several connections
            List<Callable<Api.Response>> copies = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                copies.add(() -> start(id, "together", "T-1", Map.of("n", 1)));
            }
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> f : pool.invokeAll(copies)) {
                answers.add(f.get());
            }

            // then: one created it, the others got its answer, and one instance exists
            assertThat(answers).extracting(Api.Response::status).containsOnly(201, 200);
            assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
            assertThat(answers).extracting(r -> r.text("instanceId")).containsOnly(answers.get(0).text("instanceId"));
            assertThat(instances(id)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRefuseAMalformedKeyWith400AndStartNothing() {
        // given
        String id = definition();

        // when
        Api.Response blank = start(id, "   ", "M-1", Map.of());
        Api.Response tooLong = start(id, "k".repeat(201), "M-2", Map.of());

        // then
        for (Api.Response refused : List.of(blank, tooLong)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.text("code")).isEqualTo(HubCodes.BAD_REQUEST);
            assertThat(refused.text("error")).contains("Idempotency-Key");
        }
        assertThat(instances(id)).isEmpty();
    }

    @Test
    void shouldStartEveryTimeWithoutAKeyAsBefore() {
        // given
        String id = definition();

        // when
        Api.Response first = start(id, null, "N-1", Map.of());
        Api.Response second = start(id, null, "N-1", Map.of());

        // then
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(instances(id)).hasSize(2);
    }
}
