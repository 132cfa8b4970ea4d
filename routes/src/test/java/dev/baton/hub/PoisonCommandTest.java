package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.ForkedHub;
import dev.baton.hub.support.TestUsers;

/**
 * A command whose processing kills the hub's JVM (as an expression that exhausts the heap did) cannot
 * crash-loop the hub: after the configured number of stops while processing it, the restarted hub parks
 * it as an incident instead of running it again, keeps serving, and parks nothing else.
 */
class PoisonCommandTest {

    /** {@code baton.engine.max-interrupted-deliveries} for this test. */
    private static final int MAX_STOPS = 2;
    /** Other instances started before the first stop and after each restart. */
    private static final int OTHERS_PER_ROUND = 10;

    /** Kept when a test fails: the hub's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private HttpServer remote;
    private volatile ForkedHub hub;
    private volatile boolean poisonKills = true;
    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger poisonCalls = new AtomicInteger();

    @BeforeEach
    void remote() throws IOException {
        remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        remote.setExecutor(Executors.newFixedThreadPool(8));
        // The poison: while it is poisonous, the hub dies the moment it calls (SIGKILL, as the kernel's OOM
        // killer or a dying JVM would leave it: nothing flushed, nothing acknowledged).
        remote.createContext("/poison", exchange -> {
            poisonCalls.incrementAndGet();
            synchronized (kills) {
                if (poisonKills && hub.isAlive()) {
                    try {
                        hub.kill();
                        System.out.printf("%s killed the hub (stop %d) on a call with Idempotency-Key %s%n",
                                java.time.Instant.now(), kills.get() + 1,
                                exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                        kills.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            answer(exchange);
        });
        remote.createContext("/ok", PoisonCommandTest::answer);
        remote.start();
    }

    @AfterEach
    void stop() {
        remote.stop(0);
    }

    @Test
    void shouldParkACommandThatKillsTheHubAsAnIncidentAfterTheConfiguredStopsAndKeepServing() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        hub = new ForkedHub(data, "--baton.engine.max-interrupted-deliveries=" + MAX_STOPS,
                "--baton.broker.redelivery-delay=100ms", "--logging.level.dev.baton.hub.runtime.InterruptedDeliveries=DEBUG");
        List<String> others = new ArrayList<>();
        try (ForkedHub forked = hub.start()) {
            // given: a definition whose call kills the hub, and another one that is harmless
            Api api = forked.api();
            assertThat(api.deploy(definition("poison", "/poison")).status()).isEqualTo(201);
            assertThat(api.deploy(definition("harmless", "/ok")).status()).isEqualTo(201);
            startOthers(api, others, 0);

            // when: an instance reaches the poisonous call, and the hub is started again each time it dies
            String poisoned = api.start("poison", "POISON", Map.of());
            int restarts = 0;
            while (true) {
                // Whether the hub is down is asked first: it may have died while it started (the poison runs as
                // soon as the consumers do), before this loop looked
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> !forked.isAlive() || incidentOf(forked.api(), poisoned) != null);
                if (forked.isAlive()) {
                    break; // the hub is up and the command is parked
                }
                restarts++;
                assertThat(kills.get()).as("stops before the command is parked").isLessThanOrEqualTo(MAX_STOPS + 2);
                if (forked.startUnlessItDies()) { // it may die again while it starts
                    startOthers(forked.api(), others, restarts);
                }
            }
            assertThat(restarts).as("every stop was the poison's").isEqualTo(kills.get());

            // then: the command that killed the hub is an incident with its own code, once the stops while it
            // ran under a marker reached the limit. The first stop, in a batch of first deliveries, cannot be
            // pinned on one command; and on H2 the transitions of the last moment before a kill may be lost and
            // re-run after the restart (Recovery), which sends the poisonous command once more as a first
            // delivery: one more unmarked stop
            Api up = forked.api();
            JsonNode incident = incidentOf(up, poisoned);
            assertThat(kills.get()).isBetween(MAX_STOPS + 1, MAX_STOPS + 2);
            assertThat(incident.get("code").asText()).isEqualTo(HubCodes.INTERRUPTED_DELIVERIES);
            assertThat(incident.get("error").asText()).contains("stopped " + MAX_STOPS + " times");
            assertThat(up.status(poisoned)).isEqualTo("FAILED");
            // and the hub stays up and does not call the poison again
            int callsAtPark = poisonCalls.get();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> up.get("/actuator/health", null).status() == 200);
            assertThat(poisonCalls.get()).isEqualTo(callsAtPark);
            // and every other instance, started before, between and after the stops, completes
            startOthers(up, others, restarts + 1);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(others).allSatisfy(
                            id -> assertThat(up.status(id)).as(id).isEqualTo("COMPLETED")));
            // and no other command was parked
            assertThat(Api.toList(up.get("/api/incidents?status=all", TestUsers.OPERATOR).json()))
                    .extracting(i -> i.get("instanceId").asText()).containsExactly(poisoned);

            // when: the cause is fixed and an operator retries the incident
            poisonKills = false;
            Api.Response retried = up.post("/api/incidents/" + incident.get("id").asText() + "/retry",
                    TestUsers.OPERATOR, null, null);

            // then: it runs like any other retried incident
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(up.status(poisoned)).isEqualTo("COMPLETED"));
            System.out.printf("parked after %d stops; %d other instances completed%n", kills.get(), others.size());
        }
    }

    /**
     * A task step, then a call to {@code path} on the test's server, then another task step. The call step
     * has one consumer, so that the command the broker delivers again after a stop runs before the copy
     * the restart re-sends ({@code Recovery}): with several, the copy may race it and cost one more stop.
     */
    private String definition(String id, String path) {
        return """
                id: %s
                steps:
                  - {id: prepare, task: {set: {prepared: "true"}}, next: call}
                  - id: call
                    call: http.post
                    with: {url: "http://127.0.0.1:%d%s"}
                    concurrency: 1
                    next: done
                  - {id: done, task: {set: {done: "true"}}}
                """.formatted(id, remote.getAddress().getPort(), path);
    }

    /** Starts harmless instances until the hub dies; an instance whose start was not answered is not followed. */
    private static void startOthers(Api api, List<String> others, int round) {
        try {
            for (int i = 0; i < OTHERS_PER_ROUND; i++) {
                others.add(api.start("harmless", "OTHER-" + round + "-" + i, Map.of()));
            }
        } catch (RuntimeException | AssertionError hubDied) {
            // the poison took the hub down meanwhile
        }
    }

    private static JsonNode incidentOf(Api api, String instance) {
        return Api.toList(api.get("/api/incidents?status=all", TestUsers.OPERATOR).json()).stream()
                .filter(i -> instance.equals(i.get("instanceId").asText())).findFirst().orElse(null);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
