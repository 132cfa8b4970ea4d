package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Timers are Artemis scheduled messages in the broker's journal: they fire after the hub restarts, and
 * the instance stays one trace across the restart — the same trace id, and the hand-off the timer fires
 * in the second run a child of the wait the first run began (its {@code traceparent} is in the journal).
 */
class TimerRestartTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    private ConfigurableApplicationContext hub() {
        return new SpringApplicationBuilder(BatonApplication.class).run(
                "--baton.data-dir=" + data.resolve("hub"),
                "--baton.users-file=" + TestUsers.write(data.resolve("users")),
                "--server.port=0", "--baton.broker.acceptor=", "--baton.deploy.examples=",
                "--baton.broker.server-id=4242", "--camel.main.name=baton-timer-restart",
                "--baton.sandboxes.enabled=false");
    }

    private static Api api(ConfigurableApplicationContext hub) {
        return new Api(Integer.parseInt(hub.getEnvironment().getProperty("local.server.port")));
    }

    /** The first span of that name in the trace (the setting hand-off, for a step that has two), or null. */
    private static JsonNode spanNamed(JsonNode trace, String name) {
        return Api.toList(trace.path("spans")).stream().filter(s -> s.path("name").asText().equals(name))
                .findFirst().orElse(null);
    }

    @Test
    void shouldFireATimerThatWasScheduledBeforeTheHubRestarted() {
        // given: an instance waiting on a 20-second timer (long enough for a stop and a start on a busy machine)
        String instance;
        Instant due;
        try (ConfigurableApplicationContext first = hub()) {
            Api api = api(first);
            assertThat(api.deploy("""
                    id: reminder
                    steps:
                      - id: wait-a-little
                        timer: {duration: PT20S}
                        next: remind
                      - id: remind
                        task: {set: {reminded: "true"}}
                    """).status()).isEqualTo(201);
            instance = api.start("reminder", "R-1", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> "WAITING".equals(api.status(instance)));
            due = Instant.now().plusSeconds(19);
        }
        // when: the hub is stopped (the timer is still pending) and started again on the same data dir
        assertThat(Instant.now()).isBefore(due);
        try (ConfigurableApplicationContext second = hub()) {
            Api api = api(second);
            assertThat(api.status(instance)).isEqualTo("WAITING");

            // then: the timer fires and the instance goes on
            await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(api.status(instance)));
            JsonNode done = api.instance(instance);
            List<String> events = Api.toList(done.get("handoffs")).stream().map(h -> h.get("event").asText()).toList();
            assertThat(events).containsExactly("INSTANCE_STARTED", "STEP_WAITING", "TIMER_FIRED", "STEP_EXECUTED");
            assertThat(done.get("variables").get("reminded").asBoolean()).isTrue();

            // and one trace, kept by the span store across the restart
            String traceId = done.path("traceId").asText();
            JsonNode trace = await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/api/traces/" + traceId, TestUsers.OPERATOR).json(),
                    t -> t != null && spanNamed(t, "process baton.reminder.remind") != null);
            JsonNode root = spanNamed(trace, "start reminder");
            JsonNode setTimer = spanNamed(trace, "process baton.reminder.wait-a-little");
            JsonNode waited = spanNamed(trace, "wait timer wait-a-little");
            assertThat(root).isNotNull();
            assertThat(setTimer.path("parentSpanId").asText()).isEqualTo(root.path("spanId").asText());
            assertThat(waited.path("parentSpanId").asText()).isEqualTo(setTimer.path("spanId").asText());
            JsonNode fired = Api.toList(trace.path("spans")).stream()
                    .filter(s -> s.path("name").asText().equals("process baton.reminder.wait-a-little")
                            && s.path("attributes").path("baton.command").asText().equals("FIRE_TIMER"))
                    .findFirst().orElseThrow();
            assertThat(fired.path("parentSpanId").asText()).isEqualTo(waited.path("spanId").asText());
            assertThat(spanNamed(trace, "process baton.reminder.remind").path("parentSpanId").asText())
                    .isEqualTo(fired.path("spanId").asText());
        }
    }
}
