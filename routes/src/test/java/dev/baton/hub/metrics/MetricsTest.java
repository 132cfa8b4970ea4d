package dev.baton.hub.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a known run, {@code /actuator/prometheus} counts exactly what happened, per process. (Spring Boot
 * switches metrics export off in tests unless asked: {@link AutoConfigureObservability}.)
 */
@AutoConfigureObservability(tracing = false)
class MetricsTest extends HubTestBase {

    @Autowired
    private CamelContext camel;

    private EffectServer remote;

    @BeforeEach
    void remote() {
        remote = new EffectServer();
    }

    @AfterEach
    void stopRemote() {
        remote.close();
    }

    /** The value of one sample of the scrape, or null when it is absent. */
    private static Double sample(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape);
        while (m.find()) {
            String have = m.group(1);
            boolean all = true;
            for (String l : labels.split(",")) {
                all &= have.contains(l);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    @Test
    void shouldCountStartsCompletionsFailuresStepsAndOpenIncidentsPerProcess() {
        // given: one process whose call fails once and is retried, one whose call always fails
        String ok = deployed("""
                id: %s
                sla: PT1H
                steps:
                  - id: prepare
                    task: {set: {doubled: "amount * 2"}}
                    next: notify
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 3, backoff: PT0.1S}
                """.formatted(unique("metered"), remote.url("/notify")));
        String broken = deployed("""
                id: %s
                steps:
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 2, backoff: PT0.1S}
                """.formatted(unique("broken"), remote.url("/broken")));
        remote.failNext(1, 503);

        // when
        List<String> instances = List.of(api.start(ok, "M-1", Map.of("amount", 1)),
                api.start(ok, "M-2", Map.of("amount", 2)), api.start(ok, "M-3", Map.of("amount", 3)));
        await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream()
                .allMatch(i -> "COMPLETED".equals(api.status(i))));
        remote.alwaysAnswer(500);
        String failing = api.start(broken, "B-1", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(api.status(failing)));

        // then
        Api.Response scrape = api.get("/actuator/prometheus", TestUsers.OPERATOR);
        assertThat(scrape.status()).isEqualTo(200);
        String s = scrape.body();
        String p = "process=\"" + ok + "\"";
        String b = "process=\"" + broken + "\"";
        assertThat(sample(s, "baton_instances_started_total", p)).isEqualTo(3.0);
        assertThat(sample(s, "baton_instances_completed_total", p)).isEqualTo(3.0);
        assertThat(sample(s, "baton_instance_cycle_time_seconds_count", p)).isEqualTo(3.0);
        assertThat(sample(s, "baton_instance_cycle_time_seconds_sum", p)).isPositive();
        assertThat(sample(s, "baton_step_duration_seconds_count", p + ",step=\"prepare\"")).isEqualTo(3.0);
        // four calls to notify: one failed (retried), then three that succeeded
        assertThat(sample(s, "baton_step_duration_seconds_count", p + ",status=\"FAILED\",step=\"notify\""))
                .isEqualTo(1.0);
        assertThat(sample(s, "baton_step_duration_seconds_count", p + ",status=\"COMPLETED\",step=\"notify\""))
                .isEqualTo(3.0);
        assertThat(sample(s, "baton_instances_failed_total", p)).isNull();
        assertThat(sample(s, "baton_instances_sla_total", p + ",met=\"true\"")).isEqualTo(3.0);
        assertThat(sample(s, "baton_instances_sla_total", p + ",met=\"false\"")).isNull();
        assertThat(sample(s, "baton_instances_sla_total", b)).isNull(); // no SLA, not counted
        // every command of the three instances waited in its queue once: prepare, notify (twice: the retry)
        assertThat(sample(s, "baton_handoff_latency_seconds_count", "queue=\"baton." + ok + ".prepare\""))
                .isEqualTo(3.0);
        assertThat(sample(s, "baton_handoff_latency_seconds_count", "queue=\"baton." + ok + ".notify\""))
                .isEqualTo(4.0);
        assertThat(sample(s, "baton_instances_started_total", b)).isEqualTo(1.0);
        assertThat(sample(s, "baton_instances_failed_total", b)).isEqualTo(1.0);
        assertThat(sample(s, "baton_instances_completed_total", b)).isNull();
        assertThat(Pattern.compile("^baton_incidents_open (\\S+)$", Pattern.MULTILINE).matcher(s).results()
                .map(r -> Double.parseDouble(r.group(1))).findFirst()).contains(1.0);
        assertThat(api.get("/actuator/prometheus", TestUsers.AUDITOR).status()).isEqualTo(403);
    }

    @Test
    void shouldGaugeCommandsWaitingInEachStepQueueReadyAndScheduled() throws Exception {
        // given: a process whose first step's route is stopped, then a one-hour timer
        String id = deployed("""
                id: %s
                steps:
                  - id: first
                    task: {set: {seen: "true"}}
                    next: pause
                  - id: pause
                    timer: {duration: PT1H}
                """.formatted(unique("queued")));
        String first = "baton." + id + ".first";
        String pause = "baton." + id + ".pause";
        camel.getRouteController().stopRoute(first);

        // when: three instances start while nothing consumes their first command
        List<String> instances = List.of(api.start(id, "Q-1", Map.of()), api.start(id, "Q-2", Map.of()),
                api.start(id, "Q-3", Map.of()));

        // then: three commands are ready in the first step's queue, none anywhere else
        await().atMost(Duration.ofSeconds(30)).until(() -> depth(first, "ready"), d -> d != null && d == 3.0);
        assertThat(depth(first, "scheduled")).isEqualTo(0.0);
        assertThat(depth(first, "delivering")).isEqualTo(0.0);
        assertThat(depth(pause, "ready")).isEqualTo(0.0);

        // when: the route runs again, each instance waits for its timer
        camel.getRouteController().startRoute(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream()
                .allMatch(i -> "WAITING".equals(api.status(i))));

        // then: the three timers are scheduled messages in the timer step's queue, not ready ones
        await().atMost(Duration.ofSeconds(30)).until(() -> depth(first, "ready"), d -> d != null && d == 0.0);
        assertThat(depth(pause, "scheduled")).isEqualTo(3.0);
        assertThat(depth(pause, "ready")).isEqualTo(0.0);
    }

    @Test
    void shouldTimeHumanTasksFromCreationToCompletion() {
        // given: two instances waiting for an approval
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve", roles: [sales-manager]}
                """.formatted(unique("approval")));
        long t0 = System.nanoTime();
        List<String> instances = List.of(api.start(id, "T-1", Map.of()), api.start(id, "T-2", Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> instances.contains(t.get("instanceId").asText())).count() == 2);

        // when: a manager completes both
        for (JsonNode task : api.tasks(TestUsers.MANAGER)) {
            if (instances.contains(task.get("instanceId").asText())) {
                assertThat(api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                        Map.of("variables", Map.of("approved", true))).status()).isEqualTo(200);
            }
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream()
                .allMatch(i -> "COMPLETED".equals(api.status(i))));

        // then: two waits, each no longer than the test took
        String s = api.get("/actuator/prometheus", TestUsers.OPERATOR).body();
        String labels = "process=\"" + id + "\",step=\"approve\"";
        assertThat(sample(s, "baton_task_wait_seconds_count", labels)).isEqualTo(2.0);
        assertThat(sample(s, "baton_task_wait_seconds_sum", labels)).isPositive().isLessThanOrEqualTo(2 * elapsed);
        assertThat(sample(s, "baton_task_wait_seconds_max", labels)).isPositive().isLessThanOrEqualTo(elapsed);
    }

    private Double depth(String queue, String state) {
        return sample(api.get("/actuator/prometheus", TestUsers.OPERATOR).body(), "baton_queue_depth",
                "queue=\"" + queue + "\",state=\"" + state + "\"");
    }
}
