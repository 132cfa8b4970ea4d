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

/** Timers are Artemis scheduled messages in the broker's journal: they fire after the hub restarts. */
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
        }
    }
}
