package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.ForkedHub;
import dev.baton.hub.support.TestUsers;

/**
 * A hub restarting on a data dir whose definitions were deployed long before: from its first HTTP answer until
 * its start-up is done (stored definitions compiled, recovery, the examples deployed, inbound routes started),
 * every API call and event gets 503 with {@code Retry-After} — never a 202 that started nothing, never a 404 for a
 * deployed definition — and health says so; then it serves them. A start-up that fails ends the process.
 */
class StartupReadinessTest {

    private static final String ORDERS = """
            id: ready-orders
            steps:
              - id: book
                task: {set: {booked: "true"}}
            """;
    private static final String SHIPPED = "com.example.ready.shipped";
    private static final String SHIPMENTS = """
            id: ready-shipments
            triggers:
              - event: %s
            steps:
              - id: note
                task: {set: {noted: "true"}}
            """.formatted(SHIPPED);

    /** Kept when a test fails: the hub's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /** One answer seen while probing, in the order they came. */
    private record Seen(String what, String id, int status, String retryAfter, String code, Api.Response response,
                        long at) {
    }

    @Test
    void shouldAnswer503WithRetryAfterUntilStartUpIsDoneAndThenServeEveryRetry() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        String examples = Path.of("../examples/processes").toAbsolutePath().normalize().toString();
        try (ForkedHub hub = new ForkedHub(data, "--baton.deploy.examples=" + examples).start()) {
            // given: two definitions deployed long before a restart, one started by API, one by an event
            Api api = hub.api();
            assertThat(api.deploy(ORDERS).status()).isEqualTo(201);
            assertThat(api.deploy(SHIPMENTS).status()).isEqualTo(201);
            assertThat(hub.terminate(Duration.ofSeconds(45))).as("exit code after SIGTERM").isIn(0, 143);

            // when: the hub starts again and is probed from its first answer until it says it is ready
            hub.launch();
            List<Seen> seen = new ArrayList<>();
            int[] round = {0};
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
                round[0]++;
                return probe(api, round[0], seen);
            });

            // then: the window was hit, and in it every request was refused with 503, Retry-After and the code
            List<Seen> refused = seen.stream().filter(s -> s.status() == 503).toList();
            assertThat(refused).as("503s in the start-up window").extracting(Seen::what)
                    .contains("start", "event", "anonymous", "health", "readiness");
            assertThat(refused).filteredOn(s -> !s.what().contains("health") && !s.what().equals("readiness"))
                    .allSatisfy(s -> {
                        assertThat(s.retryAfter()).as(s.what() + " Retry-After").isEqualTo("2");
                        assertThat(s.code()).as(s.what() + " code").isEqualTo(HubCodes.NOT_READY);
                        assertThat(s.response().text("error")).as(s.what()).startsWith("The hub is starting: ");
                    });
            assertThat(refused).filteredOn(s -> s.what().equals("readiness"))
                    .allSatisfy(s -> assertThat(s.response().text("status")).isEqualTo("OUT_OF_SERVICE"));
            // (the whole of health is the worst of its parts: DOWN while Camel's own checks are not all up yet)
            assertThat(refused).filteredOn(s -> s.what().equals("health"))
                    .allSatisfy(s -> assertThat(s.response().text("status")).isIn("OUT_OF_SERVICE", "DOWN"));
            // and liveness was UP meanwhile: a restart by the orchestrator would not help
            assertThat(seen).filteredOn(s -> s.what().equals("liveness") && s.status() == 200).isNotEmpty();
            // and nothing answered otherwise: no 404 for a deployed definition, no 202 that started nothing
            assertThat(seen).allSatisfy(s -> assertThat(s.status()).as(s.what() + " " + s.response().body())
                    .isIn(allowed(s.what())));
            assertThat(seen).filteredOn(s -> s.what().equals("event") && s.status() == 202)
                    .allSatisfy(s -> assertThat(s.response().json().get("instances")).hasSize(1));
            // and once anything said ready, nothing said 503 again
            int firstReady = indexOfFirstReady(seen);
            assertThat(firstReady).as("some answer said ready").isGreaterThanOrEqualTo(0);
            assertThat(seen.subList(firstReady, seen.size())).noneMatch(s -> s.status() == 503);

            // and a refused event was not taken in: sent again, it starts its instance (no "duplicate")
            List<String> refusedEvents = refused.stream().filter(s -> s.what().equals("event")).map(Seen::id).toList();
            for (String eventId : refusedEvents) {
                Api.Response again = api.event("erp", eventId, SHIPPED, eventId, Map.of());
                assertThat(again.status()).as(again.body()).isEqualTo(202);
                assertThat(again.json().get("duplicate").asBoolean()).isFalse();
                assertThat(again.json().get("instances")).hasSize(1);
            }
            // and a refused start started nothing: only the 201s exist
            assertThat(businessKeys(api, "ready-orders")).containsExactlyInAnyOrderElementsOf(seen.stream()
                    .filter(s -> s.what().equals("start") && s.status() == 201).map(Seen::id).toList());
            assertThat(businessKeys(api, "ready-shipments")).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(refusedEvents.stream(), seen.stream()
                            .filter(s -> s.what().equals("event") && s.status() == 202).map(Seen::id)).toList());
            System.out.printf("start-up window: %d ms from the first HTTP answer to the first ready one, %d answers"
                    + " refused with 503%n", (seen.get(firstReady).at() - seen.get(0).at()) / 1_000_000, refused.size());
        }
    }

    @Test
    void shouldExitInsteadOfServingWhenStartUpFails() throws Exception {
        // given: a routes folder whose Camel route file cannot be loaded, which the start-up runner reads
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.writeString(routes.resolve("broken.camel.yaml"), "- route:\n    from:\n      uri: direct:broken\n"
                + "      steps:\n        - noSuchProcessor: {}\n");
        try (ForkedHub hub = new ForkedHub(data, "--baton.routes-dir=" + routes)) {
            // when
            hub.launch();
            AtomicBoolean everUp = new AtomicBoolean();
            Api api = hub.api();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try {
                    if (api.get("/actuator/health", null).status() == 200) {
                        everUp.set(true);
                    }
                } catch (IllegalStateException notListening) {
                    // not listening yet, or no more
                }
                return !hub.isAlive();
            });

            // then: the process ended with a failure, and never said it was UP
            OptionalInt exit = hub.awaitExit(Duration.ofSeconds(5));
            assertThat(exit).as("exit code").isPresent();
            assertThat(exit.getAsInt()).as("exit code").isNotZero();
            assertThat(everUp).as("health said UP").isFalse();
            assertThat(Files.readString(hub.log())).contains("broken.camel.yaml");
        }
    }

    /**
     * One round: health, readiness, liveness, a start, an event and an anonymous call, in that order; true once
     * readiness answered UP. Nothing is recorded while the port does not answer yet.
     */
    private static boolean probe(Api api, int round, List<Seen> seen) {
        try {
            record("health", null, api.get("/actuator/health", null), seen);
        } catch (IllegalStateException notListening) {
            return false;
        }
        String id = "probe-" + round;
        Api.Response readiness = api.get("/actuator/health/readiness", null);
        record("readiness", null, readiness, seen);
        record("liveness", null, api.get("/actuator/health/liveness", null), seen);
        record("start", id, api.postJson("/api/definitions/ready-orders/instances", TestUsers.OPERATOR,
                Map.of("businessKey", id, "variables", Map.of())), seen);
        record("event", id, api.event("erp", id, SHIPPED, id, Map.of()), seen);
        record("anonymous", null, api.get("/api/definitions", null), seen);
        return readiness.status() == 200;
    }

    private static void record(String what, String id, Api.Response r, List<Seen> seen) {
        seen.add(new Seen(what, id, r.status(), r.header("Retry-After"), r.text("code"), r, System.nanoTime()));
    }

    /** The business keys of every instance of a definition (fewer than a thousand here). */
    private static List<String> businessKeys(Api api, String definition) {
        return Api.toList(api.get("/api/instances?definition=" + definition + "&limit=1000", TestUsers.OPERATOR)
                .json().get("instances")).stream().map(i -> i.get("businessKey").asText()).toList();
    }

    private static List<Integer> allowed(String what) {
        return switch (what) {
            case "start" -> List.of(503, 201);
            case "event" -> List.of(503, 202);
            case "anonymous" -> List.of(503, 401);
            default -> List.of(503, 200);
        };
    }

    private static int indexOfFirstReady(List<Seen> seen) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).status() != 503 && !seen.get(i).what().equals("liveness")) {
                return i;
            }
        }
        return -1;
    }
}
