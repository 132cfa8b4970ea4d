package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Issue 13's expression attacks against a running hub: code execution through Simple is refused at deploy,
 * and expressions that would pin a core, fill the heap or hold an HTTP thread stop at their bounds (here a
 * 500 ms clock) as an incident on the step or a 422 on the event intake, while the hub keeps serving.
 */
class ExpressionSafetyTest extends HubTestBase {

    private static final long TIMEOUT_MS = 500;
    /** The bound plus a hand-off and the slowest step between two checks on a busy two-core machine. */
    private static final Duration WITHIN = Duration.ofMillis(TIMEOUT_MS + 4_000);

    @DynamicPropertySource
    static void bounds(DynamicPropertyRegistry registry) {
        registry.add("baton.expressions.timeout", () -> TIMEOUT_MS + "ms");
    }

    @Test
    void shouldRefuseSimpleThatReachesSqlFilesTheEnvironmentOrBeansAtDeployNamingTheStepAndField() throws Exception {
        Path target = Files.createTempDirectory("baton-pwn-").resolve("pwned");
        List<String> attacks = List.of(
                "${camelContext.createProducerTemplate().requestBodyAndHeader('sql:SELECT COUNT(*) AS C FROM"
                        + " baton_audit','x','h','v')}",
                "${camelContext.createProducerTemplate().sendBodyAndHeader('file:" + target.getParent()
                        + "','x','CamelFileName','pwned')}",
                "${env:HOME}", "${env.HOME}", "${sys.user.home}", "${bean:dataSource.connection.metaData.URL}",
                "${body[x].getClass().getClassLoader()}", "resource:file:/etc/passwd");
        for (String attack : attacks) {
            // given
            String id = unique("simple-exploit");
            String yaml = """
                    id: %s
                    steps:
                      - id: exploit
                        task: {set: {r: {simple: "%s"}}}
                    """.formatted(id, attack);

            // when
            Api.Response r = api.deploy(yaml);

            // then
            JsonNode body = assertError(r, 400, HubCodes.INVALID_DEFINITION);
            assertThat(body.get("details")).as(attack).singleElement().satisfies(d -> {
                assertThat(d.get("element").asText()).isEqualTo("step 'exploit'");
                assertThat(d.get("message").asText()).startsWith("Expected the 'set.r' expression of step 'exploit'"
                        + " to be valid, but it ");
            });
            assertThat(api.get("/api/definitions/" + id, TestUsers.DEVELOPER).status()).isEqualTo(404);
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void shouldRefuseAJsonPathTriggerThatEmbedsSimpleNamingTheTrigger() {
        // given
        String yaml = """
                id: %s
                triggers:
                  - event: test.order.created
                    when: {jsonpath: "$.data[?(@.x == '${sys.user.home}')]"}
                steps:
                  - id: a
                    task: {}
                """.formatted(unique("jsonpath-exploit"));

        // when
        Api.Response r = api.deploy(yaml);

        // then
        JsonNode body = assertError(r, 400, HubCodes.INVALID_DEFINITION);
        assertThat(body.get("details")).singleElement().satisfies(d ->
                assertThat(d.get("message").asText()).contains("'when' expression of trigger 1")
                        .contains("it embeds a Simple expression"));
    }

    @Test
    void shouldTurnTheRangeBombIntoAnIncidentWithinTheBoundWhileOtherInstancesCompleteAndHealthAnswers()
            throws Exception {
        // given
        String bomb = deployed("""
                id: %s
                steps:
                  - id: bomb
                    task: {set: {r: "$count([1..10000000].[1..1000])"}}
                """.formatted(unique("bomb")));
        String normal = deployed("""
                id: %s
                steps:
                  - id: add
                    task: {set: {total: "a + b"}}
                """.formatted(unique("normal")));

        // when: the bomb and ten ordinary instances start together
        long started = System.nanoTime();
        String bombed = api.start(bomb, "B-1", Map.of());
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            others.add(api.start(normal, "N-" + i, Map.of("a", i, "b", 1)));
        }

        // then: the bomb is an incident naming the bound, the others complete, health answers throughout
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
            assertThat(api.status(bombed)).isEqualTo("FAILED");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN);
        JsonNode incident = incidentOf(bombed);
        assertThat(incident.get("code").asText()).isEqualTo(HubCodes.EXPRESSION_LIMIT);
        assertThat(incident.get("step").asText()).isEqualTo("bomb");
        assertThat(incident.get("error").asText()).contains("size limit (baton.expressions.max-items)");
        for (String other : others) {
            awaitStatus(other, "COMPLETED");
        }
        assertThat(api.instance(others.get(3)).get("variables").get("total").asInt()).isEqualTo(4);
    }

    @Test
    void shouldStopRecursiveFunctionsAsIncidentsWithoutRetrying() {
        // given: a tail-recursive loop (the clock or the memory bound) and a non-tail recursion (the depth bound)
        String loop = deployed(task(unique("tail"), "($f := function($x){ $f($x + 1) }; $f(0))"));
        String deep = deployed(task(unique("deep"), "($f := function($x){ 1 + $f($x + 1) }; $f(0))"));

        // when
        String looped = api.start(loop, "L-1", Map.of());
        String nested = api.start(deep, "D-1", Map.of());

        // then
        awaitFailed(looped);
        awaitFailed(nested);
        assertThat(incidentOf(looped).get("code").asText()).isEqualTo(HubCodes.EXPRESSION_LIMIT);
        assertThat(incidentOf(nested).get("error").asText()).contains("depth limit, 500 (baton.expressions.max-depth)");
        assertThat(incidentOf(looped).get("attempt").asInt()).as("not retried").isEqualTo(1);
    }

    @Test
    void shouldStopARegularExpressionThatBacktracksWithoutEndAndAnswerTheClassicOnePromptly() {
        // given
        String evil = deployed(task(unique("regex"),
                "$match('" + "a".repeat(50) + "!', /(.*a){25}/)"));
        String classic = deployed(task(unique("classic"),
                "$exists($match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a+)+$/))"));

        // when
        String backtracking = api.start(evil, "R-1", Map.of());
        String answered = api.start(classic, "R-2", Map.of());

        // then
        awaitFailed(backtracking);
        assertThat(incidentOf(backtracking).get("error").asText())
                .contains("ran longer than its time limit, 500 ms (baton.expressions.timeout)");
        awaitStatus(answered, "COMPLETED");
        assertThat(api.instance(answered).get("variables").get("r").asBoolean()).isFalse();
    }

    @Test
    void shouldRefuseAStartWhoseFirstConditionLoopsWith422() {
        // given: the first step is a choice, decided while the start is answered
        String id = deployed("""
                id: %s
                steps:
                  - id: route
                    choice:
                      - when: "($f := function($x){ $f($x + 1) }; $f(0))"
                        next: a
                      - otherwise: a
                  - id: a
                    task: {}
                """.formatted(unique("start-loop")));

        // when
        Api.Response r = api.postJson("/api/definitions/" + id + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", "S-1", "variables", Map.of()));

        // then
        assertError(r, 422, HubCodes.EXPRESSION_LIMIT);
    }

    @Test
    void shouldAnswerLoopingTriggerConditionsWith422WithinTheBoundAndKeepServing() throws Exception {
        // given: one definition whose trigger condition never ends, one ordinary
        String type = "test.loop." + unique("t");
        String looping = deployed("""
                id: %s
                triggers:
                  - event: %s
                    when: "($f := function($x){ $f($x + 1) }; $f(0))"
                steps:
                  - id: a
                    task: {}
                """.formatted(unique("loop-trigger"), type));
        String okType = "test.ok." + unique("t");
        deployed("""
                id: %s
                triggers:
                  - event: %s
                steps:
                  - id: a
                    task: {}
                """.formatted(unique("ok-trigger"), okType));

        // when: twenty such events at once
        ExecutorService senders = Executors.newFixedThreadPool(20);
        List<CompletableFuture<Api.Response>> sent = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < 20; i++) {
                String eventId = "loop-" + i + "-" + looping;
                sent.add(CompletableFuture.supplyAsync(
                        () -> api.event("erp", eventId, type, null, Map.of("n", 1)), senders));
            }
            List<Api.Response> answers = new ArrayList<>();
            for (CompletableFuture<Api.Response> f : sent) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            // then: each is refused naming the trigger and the bound
            for (Api.Response r : answers) {
                JsonNode body = assertError(r, 422, HubCodes.EXPRESSION_LIMIT);
                assertThat(body.get("error").asText()).contains("The when expression of " + looping + " trigger 1")
                        .contains("baton.expressions.");
            }
            // twenty evaluations of at most the bound each, on two cores
            assertThat(tookMs).isLessThan(20 * TIMEOUT_MS + WITHIN.toMillis());
        } finally {
            senders.shutdownNow();
        }

        // and: an ordinary event and the health check are answered promptly afterwards
        long t0 = System.nanoTime();
        Api.Response ok = api.event("erp", "ok-" + looping, okType, null, Map.of("n", 2));
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }

    private static String task(String id, String expression) {
        return """
                id: %s
                steps:
                  - id: t
                    task: {set: {r: "%s"}}
                """.formatted(id, expression);
    }

    private void awaitFailed(String instance) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(api.status(instance)).isEqualTo("FAILED"));
    }

    private JsonNode incidentOf(String instance) {
        List<JsonNode> incidents = api.incidents().stream()
                .filter(i -> i.get("instanceId").asText().equals(instance)).collect(Collectors.toList());
        assertThat(incidents).hasSize(1);
        return incidents.get(0);
    }
}
