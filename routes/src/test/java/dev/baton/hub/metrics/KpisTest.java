package dev.baton.hub.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;
import dev.baton.model.engine.Intent;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/kpis} against a fixed history written straight into the tables, with the answer worked
 * out by hand; then one real instance, run end to end, in the default window (the last 24 hours).
 */
class KpisTest extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 08:00 to 16:00 on a day long past: 8 hours, 28,800 s. */
    private static final String FROM = "2025-03-03T08:00:00Z";
    private static final String TO = "2025-03-03T16:00:00Z";

    @Autowired
    private JdbcTemplate jdbc;

    private String definition;

    @BeforeEach
    void deployed() {
        definition = unique("kpi");
        Api.Response r = api.deploy("""
                id: %s
                sla: PT1H
                steps:
                  - id: check
                    task: {set: {checked: "true"}}
                    next: approve
                  - id: approve
                    human: {title: "Approve", roles: [sales-manager]}
                    next: book
                  - id: book
                    task: {set: {booked: "true"}}
                """.formatted(definition));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void shouldAnswerTheHandComputedKpisOfAFixedHistory() throws Exception {
        // given: seven instances started in the window, three outside it, with their step history and tasks
        history();

        // when
        Api.Response r = api.get("/api/kpis?definition=" + definition + "&from=" + FROM + "&to=" + TO,
                TestUsers.AUDITOR);

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"utilisation\":0.000104}", "\"p50Seconds\":1830.000,");
        assertThat(r.json().get("asOf").asText()).isNotBlank();
        ObjectNode answer = ((ObjectNode) r.json()).without("asOf");
        assertThat(answer).isEqualTo(JSON.readTree("""
                {
                  "definition": "%s",
                  "version": null,
                  "window": {"from": "2025-03-03T08:00:00Z", "to": "2025-03-03T16:00:00Z", "basis": "started",
                             "hours": 8.0},
                  "instances": {"started": 7, "completed": 4, "failed": 1, "cancelled": 1, "running": 1},
                  "cycleTime": {"completed": 4, "p50Seconds": 1830.0, "p95Seconds": 5400.0, "meanSeconds": 3007.5,
                                "maxSeconds": 5400.0},
                  "throughput": {"completed": 4, "perHour": 0.5},
                  "sla": {"target": "PT1H", "targetSeconds": 3600.0, "met": 3, "missed": 3, "open": 0,
                          "compliance": 0.5},
                  "steps": [
                    {"step": "approve", "executions": 6, "failures": 0, "retries": 0, "meanSeconds": 0.5,
                     "p95Seconds": 0.5, "busySeconds": 3.0, "utilisation": 0.000104},
                    {"step": "book", "executions": 4, "failures": 0, "retries": 0, "meanSeconds": 25.0,
                     "p95Seconds": 40.0, "busySeconds": 100.0, "utilisation": 0.003472},
                    {"step": "check", "executions": 9, "failures": 3, "retries": 2, "meanSeconds": 2.556,
                     "p95Seconds": 5.0, "busySeconds": 23.0, "utilisation": 0.000799}
                  ],
                  "tasks": [
                    {"candidateRoles": ["sales-manager"], "created": 4, "completed": 3, "closed": 0, "open": 1,
                     "meanWaitSeconds": 1000.0, "p95WaitSeconds": 1500.0, "completedBy": {"mia": 2, "otto": 1}},
                    {"candidateRoles": ["sales-manager", "sales-director"], "created": 2, "completed": 1, "closed": 1,
                     "open": 0, "meanWaitSeconds": 4800.0, "p95WaitSeconds": 4800.0, "completedBy": {"dora": 1}}
                  ]
                }
                """.formatted(definition)));
        // Worked out by hand (window 8 h = 28,800 s; percentiles nearest-rank: the value at rank ⌈p·n⌉):
        // instances: i1..i7 started in [08:00, 16:00); x1 (07:59:59.999), x2 (16:00, the end is exclusive) and
        //   x3 (another definition) are not. Completed i1..i4; failed i5; cancelled i7; running = waiting i6.
        // cycleTime of i1..i4: 1200, 1830, 3600, 5400 s. p50: rank ⌈0.5·4⌉ = 2 → 1830; p95: ⌈3.8⌉ = 4 → 5400;
        //   mean (1200 + 1830 + 3600 + 5400) / 4 = 12030 / 4 = 3007.5; max 5400.
        // throughput: 4 completed / 8 h = 0.5 per hour.
        // sla PT1H: met i1, i2, i4 (3600 s is within); missed i3 (5400 s), i5 (failed) and i6 (waiting), both
        //   started in 2025 and not ended: far past 1 h. compliance 3 / (3 + 3) = 0.5. i7 was cancelled: neither.
        // steps, work commands only (EXECUTE_STEP, RETRY_STEP; not the starts, not the COMPLETE_TASK rows):
        //   approve: 6 × 0.5 s (i1, i2, i3, i4, i6, i7) → mean 0.5, p95 0.5, busy 3, 3 / 28800 = 0.000104166…
        //   book: 10, 20, 30, 40 s → mean 25, p95 rank 4 → 40, busy 100, 100 / 28800 = 0.003472222…
        //   check: i1 2; i2 1 (failed) + 3 (retry); i3 4; i4 2; i5 1 (failed) + 5 (retry, incident); i6 2; i7 3:
        //     9 executions, 3 failures, 2 retries; sorted 1 1 2 2 2 3 3 4 5, sum 23, mean 23 / 9 = 2.5556,
        //     p95 rank ⌈8.55⌉ = 9 → 5, utilisation 23 / 28800 = 0.000798611…
        // tasks: [sales-manager] i1 600 s (mia), i2 900 s (mia), i4 1500 s (otto), i6 open: mean 3000 / 3 = 1000,
        //   p95 rank ⌈2.85⌉ = 3 → 1500; [sales-manager, sales-director] i3 4800 s (dora), i7 closed by the cancel.

        // and: the same cohort when asked for version 1 by name
        JsonNode v1 = api.get("/api/kpis?definition=" + definition + "&version=1&from=" + FROM + "&to=" + TO,
                TestUsers.OPERATOR).json();
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("instances")).isEqualTo(answer.get("instances"));
        assertThat(v1.get("steps")).isEqualTo(answer.get("steps"));
    }

    @Test
    void shouldCountARealInstanceInTheDefaultWindowOfTheLastDay() {
        // given: an instance waiting for its approval
        String instance = api.start(definition, "K-1", Map.of());
        String task = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT id FROM baton_task WHERE instance_id = ? AND status = 'OPEN'", String.class, instance),
                l -> l.size() == 1).get(0);

        // when: asked while it waits
        JsonNode waiting = api.get("/api/kpis?definition=" + definition, TestUsers.OPERATOR).json();

        // then: started and running, within its SLA so far (the definition's, as deployed)
        assertThat(api.get("/api/definitions/" + definition, TestUsers.OPERATOR).text("sla")).isEqualTo("PT1H");
        assertThat(waiting.get("window").get("basis").asText()).isEqualTo("started");
        assertThat(waiting.get("window").get("hours").asDouble()).isEqualTo(24.0);
        assertThat(waiting.get("instances").get("started").asInt()).isEqualTo(1);
        assertThat(waiting.get("instances").get("running").asInt()).isEqualTo(1);
        assertThat(waiting.get("sla").get("open").asInt()).isEqualTo(1);
        assertThat(waiting.get("sla").get("compliance").isNull()).isTrue();
        assertThat(waiting.get("cycleTime").get("p50Seconds").isNull()).isTrue();

        // when: a manager approves and the instance completes
        assertThat(api.postJson("/api/tasks/" + task + "/complete", TestUsers.MANAGER, Map.of("variables", Map.of()))
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.status(instance)));
        JsonNode done = api.get("/api/kpis?definition=" + definition, TestUsers.OPERATOR).json();

        // then: one completed instance, whose cycle time is its start to its end, within the SLA
        JsonNode row = api.instance(instance);
        double cycle = BigDecimal.valueOf(ChronoUnit.MICROS.between(Instant.parse(row.get("startedAt").asText()),
                Instant.parse(row.get("endedAt").asText()))).movePointLeft(6).setScale(3, RoundingMode.HALF_UP)
                .doubleValue();
        assertThat(done.get("instances").get("completed").asInt()).isEqualTo(1);
        assertThat(done.get("instances").get("running").asInt()).isZero();
        assertThat(done.get("cycleTime").get("completed").asInt()).isEqualTo(1);
        assertThat(done.get("cycleTime").get("p50Seconds").asDouble()).isEqualTo(cycle);
        assertThat(done.get("cycleTime").get("maxSeconds").asDouble()).isEqualTo(cycle);
        assertThat(done.get("throughput").get("perHour").asDouble()).isEqualTo(0.041667); // 1 / 24 h
        assertThat(done.get("sla").get("met").asInt()).isEqualTo(1);
        assertThat(done.get("sla").get("compliance").asDouble()).isEqualTo(1.0);
        assertThat(Api.toList(done.get("steps"))).extracting(s -> s.get("step").asText())
                .containsExactly("approve", "book", "check");
        assertThat(Api.toList(done.get("steps"))).allSatisfy(s -> {
            assertThat(s.get("executions").asInt()).isEqualTo(1);
            assertThat(s.get("failures").asInt()).isZero();
            assertThat(s.get("busySeconds").asDouble()).isLessThanOrEqualTo(cycle);
        });
        JsonNode tasks = done.get("tasks").get(0);
        assertThat(Api.toList(done.get("tasks"))).hasSize(1);
        assertThat(tasks.get("candidateRoles").get(0).asText()).isEqualTo("sales-manager");
        assertThat(tasks.get("completed").asInt()).isEqualTo(1);
        assertThat(tasks.get("completedBy").get(TestUsers.MANAGER).asInt()).isEqualTo(1);
        assertThat(tasks.get("meanWaitSeconds").asDouble()).isPositive().isLessThanOrEqualTo(cycle);
    }

    @Test
    void shouldRefuseMissingOrUnknownDefinitionsAndMalformedOrEmptyWindows() {
        String base = "/api/kpis?definition=" + definition;
        assertThat(assertError(api.get("/api/kpis", TestUsers.OPERATOR), 400, "BATON-API-400").get("error").asText())
                .isEqualTo("Expected parameter 'definition', but it is missing");
        assertThat(assertError(api.get("/api/kpis?definition=", TestUsers.OPERATOR), 400, "BATON-API-400")
                .get("error").asText()).isEqualTo("Expected parameter 'definition', but it is missing");
        assertThat(assertError(api.get("/api/kpis?definition=no-such-process", TestUsers.OPERATOR), 400,
                "BATON-API-400").get("error").asText()).isEqualTo("No definition 'no-such-process' is deployed");
        assertThat(assertError(api.get(base + "&version=9", TestUsers.OPERATOR), 400, "BATON-API-400")
                .get("error").asText()).isEqualTo("Definition '" + definition + "' has no version 9");
        assertThat(assertError(api.get(base + "&version=latest", TestUsers.OPERATOR), 400, "BATON-API-400")
                .get("error").asText()).isEqualTo("Expected parameter 'version' to be a whole number, but it is 'latest'");
        assertThat(assertError(api.get(base + "&from=yesterday", TestUsers.OPERATOR), 400, "BATON-API-400")
                .get("error").asText()).isEqualTo(
                "Expected from as an ISO-8601 instant such as 2026-11-25T10:00:00Z, but it is 'yesterday'");
        assertThat(assertError(api.get(base + "&from=" + TO + "&to=" + TO, TestUsers.OPERATOR), 400, "BATON-API-400")
                .get("error").asText()).isEqualTo("Expected from before to, but from is " + TO + " and to is " + TO);
        assertThat(assertError(api.get(base + "&from=" + TO + "&to=" + FROM, TestUsers.OPERATOR), 400,
                "BATON-API-400").get("error").asText()).isEqualTo(
                "Expected from before to, but from is " + TO + " and to is " + FROM);
        // a window ending before the default 24 h would start: from defaults to to − 24 h, so this is fine
        assertThat(api.get(base + "&to=" + FROM, TestUsers.OPERATOR).status()).isEqualTo(200);
    }

    /** The fixed history: see the arithmetic in {@link #shouldAnswerTheHandComputedKpisOfAFixedHistory}. */
    private void history() {
        instance("i1", definition, "COMPLETED", "08:00:00", "08:20:00");
        instance("i2", definition, "COMPLETED", "08:30:00", "09:00:30");
        instance("i3", definition, "COMPLETED", "09:00:00", "10:30:00");
        instance("i4", definition, "COMPLETED", "09:10:00", "10:10:00");
        instance("i5", definition, "FAILED", "10:00:00", null);
        instance("i6", definition, "WAITING", "11:00:00", null);
        instance("i7", definition, "CANCELLED", "11:30:00", "11:40:00");
        instance("x1", definition, "COMPLETED", "07:59:59.999", "08:10:00");
        instance("x2", definition, "COMPLETED", "16:00:00", "16:05:00");
        instance("x3", "other-" + definition, "COMPLETED", "09:00:00", "09:10:00");

        for (String i : List.of("i1", "i2", "i3", "i4", "i5", "i6", "i7", "x1")) {
            handoff(i, null, 0, Intent.START_INSTANCE, Intent.INSTANCE_STARTED, "STARTED", 0.0);
        }
        work("i1", "check", 1, Intent.STEP_EXECUTED, "COMPLETED", 2);
        work("i2", "check", 1, Intent.STEP_FAILED, "FAILED", 1);
        work("i2", "check", 2, Intent.STEP_RETRIED, "COMPLETED", 3);
        work("i3", "check", 1, Intent.STEP_EXECUTED, "COMPLETED", 4);
        work("i4", "check", 1, Intent.STEP_EXECUTED, "COMPLETED", 2);
        work("i5", "check", 1, Intent.STEP_FAILED, "FAILED", 1);
        work("i5", "check", 2, Intent.INCIDENT_RAISED, "INCIDENT", 5);
        work("i6", "check", 1, Intent.STEP_EXECUTED, "COMPLETED", 2);
        work("i7", "check", 1, Intent.STEP_EXECUTED, "COMPLETED", 3);
        work("x1", "check", 1, Intent.STEP_EXECUTED, "COMPLETED", 100);
        for (String i : List.of("i1", "i2", "i3", "i4", "i6", "i7")) {
            work(i, "approve", 1, Intent.STEP_WAITING, "WAITING", 0.5);
        }
        for (String i : List.of("i1", "i2", "i3", "i4")) {
            handoff(i, "approve", 1, Intent.COMPLETE_TASK, Intent.TASK_COMPLETED, "COMPLETED", 7);
        }
        work("i1", "book", 1, Intent.STEP_EXECUTED, "COMPLETED", 10);
        work("i2", "book", 1, Intent.STEP_EXECUTED, "COMPLETED", 20);
        work("i3", "book", 1, Intent.STEP_EXECUTED, "COMPLETED", 30);
        work("i4", "book", 1, Intent.STEP_EXECUTED, "COMPLETED", 40);

        task("i1", "sales-manager", "COMPLETED", "08:00:02.5", "08:10:02.5", TestUsers.MANAGER);
        task("i2", "sales-manager", "COMPLETED", "08:30:04.5", "08:45:04.5", TestUsers.MANAGER);
        task("i3", "sales-manager,sales-director", "COMPLETED", "09:00:04.5", "10:20:04.5", TestUsers.DIRECTOR);
        task("i4", "sales-manager", "COMPLETED", "09:10:02.5", "09:35:02.5", TestUsers.OPERATING_MANAGER);
        task("i6", "sales-manager", "OPEN", "11:00:02.5", null, null);
        task("i7", "sales-manager,sales-director", "CLOSED", "11:30:03.5", "11:40:00", null);
        task("x1", "sales-manager", "COMPLETED", "08:00:00", "09:00:00", TestUsers.MANAGER);
    }

    private static OffsetDateTime at(String time) {
        return time == null ? null : OffsetDateTime.parse("2025-03-03T" + time + "Z").withOffsetSameInstant(ZoneOffset.UTC);
    }

    private String id(String name) {
        return definition + "-" + name;
    }

    private void instance(String name, String definitionId, String status, String started, String ended) {
        jdbc.update("INSERT INTO baton_instance (id, definition_id, version, status, business_key, started_at, ended_at)"
                + " VALUES (?, ?, 1, ?, ?, ?, ?)", id(name), definitionId, status, name, at(started), at(ended));
    }

    /** A step's work command, picked up at 12:00 (the time of day does not matter to step figures). */
    private void work(String instance, String step, int attempt, Intent event, String status, double seconds) {
        handoff(instance, step, attempt, attempt == 1 ? Intent.EXECUTE_STEP : Intent.RETRY_STEP, event, status,
                seconds);
    }

    private void handoff(String instance, String step, int attempt, Intent command, Intent event, String status,
                         double seconds) {
        OffsetDateTime started = at("12:00:00");
        jdbc.update("INSERT INTO baton_handoff (instance_id, step, attempt, command, event, status, started_at, ended_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id(instance), step, attempt, command.code(), event.code(), status,
                started, started.plusNanos((long) (seconds * 1e9)));
    }

    private void task(String instance, String roles, String status, String created, String ended, String by) {
        jdbc.update("INSERT INTO baton_task (id, instance_id, definition_id, version, step, token, candidate_roles,"
                + " status, created_at, ended_at, completed_by) VALUES (?, ?, ?, 1, 'approve', 't1', ?, ?, ?, ?, ?)",
                id(instance) + "-task", id(instance), definition, roles, status, at(created), at(ended), by);
    }
}
