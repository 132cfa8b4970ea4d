package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.ForkedHub;
import dev.baton.hub.support.TestUsers;

/**
 * The hub follows Salesforce's Account change events (the real camel-salesforce, CometD with replay ids)
 * from an org while people keep editing Accounts; it goes down in the middle (SIGTERM, or SIGKILL) and
 * comes back on the same data dir. Every edit starts exactly one instance: the ones made while the hub
 * was stopping or down are replayed from the stored replay id, none is lost and none is taken in twice.
 *
 * <p>The hub runs in its own JVM: camel-salesforce 4.17 keeps replay positions in a JVM-wide static map,
 * so only the first subscription to a channel in a JVM honours {@code replayId}.
 */
class ChangeEventRestartTest {

    private static final String CHANNEL = "/data/AccountChangeEvent";
    private static final String PERSON = "mia.jones@example.com";
    private static final int EDITS = 60;
    /** Edits made before the signal; the hub goes down after this many. */
    private static final int BEFORE_SIGNAL = 20;
    /** The editor waits for the hub to be down before going past this many. */
    private static final int UNTIL_DOWN = 35;
    /** The editor waits for the hub to be back before going past this many. */
    private static final int UNTIL_BACK = 50;
    private static final long PACE_MILLIS = 100;

    /** Kept when a test fails: the hub's logs ({@code data-run<n>.log}) are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private SalesforceSandbox sandbox;

    @BeforeEach
    void org() {
        sandbox = SalesforceSandbox.start(SalesforceSandbox.Settings.defaults().withSeed(true))
                .longPollHold(Duration.ofSeconds(2));
    }

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void shouldTakeInEveryChangeEventExactlyOnceAcrossAGracefulRestart() throws Exception {
        streamThroughAnInterruption("cdc-term", hub -> assertThat(hub.terminate(Duration.ofSeconds(45)))
                .as("exit code after SIGTERM").isIn(0, 143));
    }

    @Test
    void shouldTakeInEveryChangeEventExactlyOnceAfterTheJvmIsKilled() throws Exception {
        streamThroughAnInterruption("cdc-kill", ForkedHub::kill);
    }

    private interface Interruption {
        void apply(ForkedHub hub) throws Exception;
    }

    private void streamThroughAnInterruption(String id, Interruption interruption) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        List<String> accounts = sandbox.records("Account").stream().map(r -> String.valueOf(r.get("Id"))).toList();
        assertThat(accounts).isNotEmpty();
        Map<String, String> expected = new HashMap<>(); // name -> Account id, one entry per edit
        for (int n = 1; n <= EDITS; n++) {
            expected.put(id + " edit #" + n, accounts.get(n % accounts.size()));
        }
        try (ForkedHub hub = new ForkedHub(data, "--baton.sandboxes.enabled=false",
                "--baton.connectors.salesforce.login-url=" + sandbox.loginUrl(),
                "--baton.connectors.salesforce.client-id=" + sandbox.clientId(),
                "--baton.connectors.salesforce.client-secret=" + sandbox.clientSecret(),
                "--baton.connectors.salesforce.username=" + sandbox.username(),
                "--baton.connectors.salesforce.password=" + sandbox.password()).start()) {
            // given: a definition started by every Account change event, and the hub subscribed
            Api api = hub.api();
            assertThat(api.deploy(definition(id)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.subscribers(CHANNEL) >= 1);

            // when: a person keeps renaming Accounts while the hub goes down and comes back
            AtomicInteger edits = new AtomicInteger();
            CountDownLatch down = new CountDownLatch(1);
            CountDownLatch back = new CountDownLatch(1);
            CompletableFuture<Void> editor = CompletableFuture.runAsync(() -> {
                try {
                    for (int n = 1; n <= EDITS; n++) {
                        if (n > UNTIL_DOWN && !down.await(2, TimeUnit.MINUTES)
                                || n > UNTIL_BACK && !back.await(3, TimeUnit.MINUTES)) {
                            throw new IllegalStateException("the hub did not go down and come back in time");
                        }
                        String name = id + " edit #" + n;
                        sandbox.update("Account", expected.get(name), Map.of("Name", name), PERSON);
                        edits.incrementAndGet();
                        TimeUnit.MILLISECONDS.sleep(PACE_MILLIS); // a person's pace, not an assertion
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> edits.get() >= BEFORE_SIGNAL);
            int atSignal = edits.get();
            interruption.apply(hub);
            int whenDown = edits.get();
            down.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> edits.get() >= UNTIL_BACK);
            hub.start();
            back.countDown();
            int whenBack = edits.get();
            editor.get(2, TimeUnit.MINUTES);
            Api again = hub.api();

            // then: every edit started exactly one instance
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> instances(again, id).size() >= EDITS);
            List<JsonNode> instances = instances(again, id);
            List<String> names = new ArrayList<>();
            Map<String, String> keyByName = new HashMap<>();
            Set<String> eventIds = new LinkedHashSet<>();
            for (JsonNode summary : instances) {
                JsonNode instance = again.instance(summary.get("id").asText());
                JsonNode variables = instance.get("variables");
                String name = variables.get("name").asText();
                names.add(name);
                keyByName.put(name, instance.get("businessKey").asText());
                eventIds.add(variables.get("eventId").asText());
            }
            assertThat(names).as("one instance per edit, none twice").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(instances).hasSize(EDITS);
            assertThat(eventIds).as("distinct change events taken in").hasSize(EDITS);
            assertThat(keyByName).as("business key: the edited Account").isEqualTo(expected);
            // and nothing arrives late: a second look finds the same instances
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> instances(again, id).size() == EDITS);
            System.out.printf("%s: %d edits; %d at the signal, %d when the hub was down, %d when it was back%n", id,
                    EDITS, atSignal, whenDown, whenBack);
        }
    }

    private static String definition(String id) {
        return """
                id: %s
                triggers:
                  - event: salesforce.AccountChangeEvent
                    source: salesforce
                    businessKey: "subject"
                    variables: '{"name": data.Name, "eventId": id, "changeType": data.ChangeEventHeader.changeType}'
                steps:
                  - id: noted
                    task: {}
                    next: done
                  - id: done
                    end: {}
                """.formatted(id);
    }

    /** Every instance of a definition, following {@code nextCursor}. */
    private static List<JsonNode> instances(Api api, String definition) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/instances?definition=" + definition + "&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), TestUsers.OPERATOR).json();
            page.get("instances").forEach(all::add);
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }
}
