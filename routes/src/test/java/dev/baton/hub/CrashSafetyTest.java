package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.ForkedHub;
import dev.baton.hub.support.TestUsers;

/**
 * The hub's JVM dies in the middle of hundreds of running instances; started again on the same
 * data dir, it finishes every one, and every step's effect happens once per instance.
 */
class CrashSafetyTest {

    private static final List<String> STEPS = List.of("s1", "s2", "s3", "s4", "s5");

    /** Kept when a test fails: the hub's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private EffectServer remote;

    @BeforeEach
    void remote() {
        remote = new EffectServer();
        remote.delay(40); // slow enough that the interruption lands mid-flow
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private String definition(String id) {
        StringBuilder yaml = new StringBuilder("id: " + id + "\nsteps:\n");
        for (int i = 0; i < STEPS.size(); i++) {
            yaml.append("  - id: ").append(STEPS.get(i)).append("\n    call: http.post\n    with: {url: \"")
                    .append(remote.url("/" + STEPS.get(i))).append("\"}\n    input: '{\"order\": order}'\n");
            if (i + 1 < STEPS.size()) {
                yaml.append("    next: ").append(STEPS.get(i + 1)).append('\n');
            }
        }
        return yaml.toString();
    }

    @Test
    void shouldCompleteEveryInstanceWithEachEffectOnceAfterTheJvmIsKilledMidFlow() throws Exception {
        runThroughAnInterruption(500, hub -> hub.kill());
    }

    @Test
    void shouldShutDownGracefullyOnSigtermAndResumeWhereItStopped() throws Exception {
        remote.delay(100); // fewer instances than the kill test: slower calls keep the signal mid-flow
        runThroughAnInterruption(200, hub -> assertThat(hub.terminate(Duration.ofSeconds(45)))
                .as("exit code after SIGTERM").isIn(0, 143));
    }

    private interface Interruption {
        void apply(ForkedHub hub) throws Exception;
    }

    private void runThroughAnInterruption(int instances, Interruption interruption) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        String id = "crash";
        List<String> started = new ArrayList<>();
        try (ForkedHub hub = new ForkedHub(data).start()) {
            // given: instances running through five calls each
            Api api = hub.api();
            assertThat(api.deploy(definition(id)).status()).isEqualTo(201);
            for (int i = 0; i < instances; i++) {
                started.add(api.start(id, "ORDER-" + i, Map.of("order", "ORDER-" + i)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> remote.effects().size() >= instances);

            // when: the hub goes down in the middle
            long appliedAtSignal = remote.effects().size();
            interruption.apply(hub);
            long appliedBefore = remote.effects().size();
            assertThat(appliedBefore).as("interrupted mid-flow").isLessThan((long) instances * STEPS.size());

            // and comes back on the same data dir
            hub.start();
            Api again = hub.api();

            // then: every instance completes
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> completed(again, id) == instances);
            // and every step's effect was applied exactly once per instance
            Set<String> expected = new HashSet<>();
            Set<String> keyPrefixes = new HashSet<>();
            for (String instance : started) {
                for (String step : STEPS) {
                    expected.add(instance + ":" + step);
                }
            }
            for (String key : remote.effects().keySet()) {
                keyPrefixes.add(key.substring(0, key.lastIndexOf(':')));
            }
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(keyPrefixes);
            assertThat(missing).as("steps whose effect was never applied").isEmpty();
            assertThat(remote.effects().size()).as("effects applied").isEqualTo(instances * STEPS.size());
            assertThat(keyPrefixes).isEqualTo(expected);
            // and the hub's own history records each step once per instance
            for (String instance : started.subList(0, Math.min(50, started.size()))) {
                JsonNode history = again.instance(instance).get("handoffs");
                List<String> done = new ArrayList<>();
                history.forEach(h -> {
                    if ("COMPLETED".equals(h.get("status").asText())) {
                        done.add(h.get("step").asText());
                    }
                });
                assertThat(done).containsExactlyElementsOf(STEPS);
            }
            System.out.printf("%d instances: %d effects applied at the signal, %d when the hub was down, %d duplicate"
                    + " calls de-duplicated by idempotency key%n", instances, appliedAtSignal, appliedBefore,
                    remote.duplicateCalls());
        }
    }

    private static int completed(Api api, String definition) {
        JsonNode page = api.get("/api/instances?definition=" + definition + "&status=COMPLETED&limit=1000",
                TestUsers.OPERATOR).json();
        return page == null ? 0 : page.get("instances").size();
    }
}
