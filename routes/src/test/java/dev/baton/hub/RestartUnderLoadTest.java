package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.ForkedHub;
import dev.baton.hub.support.TestUsers;

/**
 * Issue 13's proof that ready means ready: a forked hub is restarted several times, alternately with SIGTERM
 * (graceful) and SIGKILL, while clients post CloudEvents with unique ids and start instances with unique
 * business keys, each retrying until it gets a definitive answer (202 or a 200 duplicate for an event, 201 or a
 * 200 repeat for a start), honouring {@code Retry-After} on 503 and retrying when the connection is refused or
 * reset. At the end every accepted event started exactly one instance, every accepted start exists exactly once,
 * no instance exists that no client asked for, and every instance completes: 0 lost, 0 duplicated.
 *
 * <p>{@code -Dbaton.test.restarts=N} sets the number of restarts (default 2, about a minute);
 * {@code RESTARTS=20 bench/restart-loop.sh} runs many.
 */
class RestartUnderLoadTest {

    private static final int RESTARTS = Integer.getInteger("baton.test.restarts", 2);
    /** Answers a client must have had between two restarts, so that each restart lands on traffic. */
    private static final int ACCEPTED_PER_ROUND = 40;
    private static final String EVENT_TYPE = "com.example.restart.ping";
    private static final String EVENTS = """
            id: restart-events
            triggers:
              - event: %s
            steps:
              - id: note
                task: {set: {noted: "true"}}
                next: done
              - id: done
                task: {set: {done: "true"}}
            """.formatted(EVENT_TYPE);
    private static final String STARTS = """
            id: restart-starts
            steps:
              - id: book
                task: {set: {booked: "true"}}
                next: done
              - id: done
                task: {set: {done: "true"}}
            """;

    /** Kept when a test fails: the hub's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /** What the clients asked for and what they were answered; shared by the client threads. */
    private static final class Ledger {
        final Set<String> askedEvents = ConcurrentHashMap.newKeySet();
        final Set<String> askedStarts = ConcurrentHashMap.newKeySet();
        /** Event id or business key → the instance the definitive answer named. */
        final Map<String, String> acceptedEvents = new ConcurrentHashMap<>();
        final Map<String, String> acceptedStarts = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger connectionFailures = new AtomicInteger();
        final AtomicInteger repeats = new AtomicInteger();

        int accepted() {
            return acceptedEvents.size() + acceptedStarts.size();
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingAcrossRestartsUnderConcurrentEventsAndStarts() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Ledger ledger = new Ledger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        long began = System.nanoTime();
        try (ForkedHub hub = new ForkedHub(data).start()) {
            // given: a definition an event type starts and one started through the API, and four clients
            Api api = hub.api();
            for (String definition : List.of(EVENTS, STARTS)) {
                Api.Response deployed = api.deploy(definition);
                assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
            }
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int client = c;
                running.add(clients.submit(() -> postEvents(hub.api(), client, ledger, stop)));
                running.add(clients.submit(() -> startInstances(hub.api(), client, ledger, stop)));
            }

            // when: the hub is restarted under that traffic, SIGTERM and SIGKILL in turn
            List<Double> downtimes = new ArrayList<>();
            for (int restart = 1; restart <= RESTARTS; restart++) {
                awaitTraffic(ledger);
                if (restart % 2 == 1) {
                    assertThat(hub.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
                } else {
                    hub.kill();
                }
                long down = System.nanoTime();
                hub.launch();
                hub.awaitReady(Duration.ofSeconds(120));
                downtimes.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down) / 1000.0);
            }
            awaitTraffic(ledger);
            stop.set(true);
            for (Future<?> client : running) {
                client.get(3, TimeUnit.MINUTES);
            }

            // then: every request got a definitive answer, and none was an answer that is never right
            assertThat(ledger.unexpected).as("answers other than 202/200, 201/200, 503").isEmpty();
            assertThat(ledger.acceptedEvents.keySet()).isEqualTo(ledger.askedEvents);
            assertThat(ledger.acceptedStarts.keySet()).isEqualTo(ledger.askedStarts);
            // and each accepted event and start is exactly one instance, the one its answer named
            Map<String, List<String>> byEvent = instancesByBusinessKey(api, "restart-events");
            Map<String, List<String>> byStart = instancesByBusinessKey(api, "restart-starts");
            assertThat(duplicated(byEvent)).as("events that started more than one instance").isEmpty();
            assertThat(duplicated(byStart)).as("starts that made more than one instance").isEmpty();
            assertThat(byEvent.keySet()).as("instances of events").isEqualTo(ledger.askedEvents);
            assertThat(byStart.keySet()).as("instances of starts").isEqualTo(ledger.askedStarts);
            ledger.acceptedEvents.forEach((id, instance) -> assertThat(byEvent.get(id)).as(id).containsExactly(instance));
            ledger.acceptedStarts.forEach((key, instance) -> assertThat(byStart.get(key)).as(key).containsExactly(instance));
            // and every one of them runs to its end
            int total = byEvent.size() + byStart.size();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> completed(api, "restart-events") + completed(api, "restart-starts") == total);
            System.out.printf("%d restarts in %d s (start to ready, s: %s): %d events and %d starts accepted, each one"
                            + " instance; %d answers 503, %d refused or reset connections, %d repeats answered with the"
                            + " first answer%n", RESTARTS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began),
                    downtimes, ledger.acceptedEvents.size(),
                    ledger.acceptedStarts.size(), ledger.refused.get(), ledger.connectionFailures.get(),
                    ledger.repeats.get());
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
    }

    /** Posts events with unique ids, one at a time, each until it is accepted. */
    private static void postEvents(Api api, int client, Ledger ledger, AtomicBoolean stop) {
        for (int n = 0; !stop.get(); n++) {
            String id = "e" + client + "-" + n;
            Map<String, Object> data = Map.of("n", n);
            ledger.askedEvents.add(id);
            while (true) {
                Api.Response r = send(() -> api.event("erp", id, EVENT_TYPE, id, data), ledger);
                if (r == null) {
                    continue;
                }
                if (r.status() == 202 && r.json().get("instances").size() == 1) {
                    ledger.acceptedEvents.put(id, r.json().get("instances").get(0).get("instanceId").asText());
                    break;
                }
                if (r.status() == 200 && r.json().get("duplicate").asBoolean()
                        && r.json().get("instances").size() == 1) {
                    // the first attempt was taken in, its answer lost with the connection
                    ledger.repeats.incrementAndGet();
                    ledger.acceptedEvents.put(id, r.json().get("instances").get(0).get("instanceId").asText());
                    break;
                }
                ledger.unexpected.add("event " + id + ": " + r.status() + " " + r.body());
            }
        }
    }

    /** Starts instances with unique business keys, each with its Idempotency-Key, until it is accepted. */
    private static void startInstances(Api api, int client, Ledger ledger, AtomicBoolean stop) {
        for (int n = 0; !stop.get(); n++) {
            String key = "s" + client + "-" + n;
            ledger.askedStarts.add(key);
            while (true) {
                Api.Response r = send(() -> api.post("/api/definitions/restart-starts/instances", TestUsers.OPERATOR,
                        "application/json", "{\"businessKey\":\"" + key + "\",\"variables\":{}}",
                        Map.of("Idempotency-Key", key)), ledger);
                if (r == null) {
                    continue;
                }
                if (r.status() == 201 || r.status() == 200) {
                    if (r.status() == 200) {
                        ledger.repeats.incrementAndGet();
                    }
                    ledger.acceptedStarts.put(key, r.text("instanceId"));
                    break;
                }
                ledger.unexpected.add("start " + key + ": " + r.status() + " " + r.body());
            }
        }
    }

    /**
     * Sends once; null when the answer says to come back: a 503 (after waiting its Retry-After, as a client
     * must) or a connection refused, reset or timed out (after a short pause).
     */
    private static Api.Response send(java.util.function.Supplier<Api.Response> request, Ledger ledger) {
        try {
            Api.Response r = request.get();
            if (r.status() == 503) {
                ledger.refused.incrementAndGet();
                String retryAfter = r.header("Retry-After");
                if (retryAfter == null) {
                    ledger.unexpected.add("503 without Retry-After: " + r.body());
                }
                pause(Duration.ofSeconds(retryAfter == null ? 1 : Long.parseLong(retryAfter)));
                return null;
            }
            return r;
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
            ledger.connectionFailures.incrementAndGet();
            pause(Duration.ofMillis(200));
            return null;
        }
    }

    /** A client's back-off before it sends again; not a synchronizer. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("client interrupted", e);
        }
    }

    private static void awaitTraffic(Ledger ledger) {
        int before = ledger.accepted();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledger.accepted() >= before + ACCEPTED_PER_ROUND);
    }

    /** Every instance of a definition, by business key: all pages. */
    private static Map<String, List<String>> instancesByBusinessKey(Api api, String definition) {
        Map<String, List<String>> byKey = new HashMap<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/instances?definition=" + definition + "&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), TestUsers.OPERATOR).json();
            for (JsonNode i : page.get("instances")) {
                byKey.computeIfAbsent(i.get("businessKey").asText(), k -> new ArrayList<>()).add(i.get("id").asText());
            }
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return byKey;
    }

    private static Map<String, List<String>> duplicated(Map<String, List<String>> byKey) {
        Map<String, List<String>> more = new HashMap<>();
        byKey.forEach((k, ids) -> {
            if (ids.size() > 1) {
                more.put(k, ids);
            }
        });
        return more;
    }

    private static int completed(Api api, String definition) {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = api.get("/api/instances?definition=" + definition + "&status=COMPLETED&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), TestUsers.OPERATOR).json();
            n += page.get("instances").size();
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return n;
    }
}
