package dev.baton.hub.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

    private EffectServer remote;

    @BeforeEach
    void remote() {
        remote = new EffectServer();
    }

    @AfterEach
    void stopRemote() {
        remote.close();
    }

    private String deployed(String yaml) {
        Api.Response r = api.deploy(yaml);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
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
}
