package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;

/**
 * What each step kind does on a running hub, through the public API only. Runs on H2 (the
 * embedded default) and on PostgreSQL; subclasses choose the database.
 */
abstract class RuntimeBehaviour extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private EffectServer remote;

    @BeforeEach
    void remote() {
        remote = new EffectServer();
    }

    @AfterEach
    void stopRemote() {
        remote.close();
    }


    private static List<String> steps(JsonNode instance, String status) {
        return Api.toList(instance.get("handoffs")).stream()
                .filter(h -> status.equals(h.get("status").asText()))
                .map(h -> h.get("step").asText()).collect(Collectors.toList());
    }

    @Test
    void shouldRunASequenceThroughAChoiceToCompletion() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: assess
                    task: {set: {large: "amount > 1000", doubled: "amount * 2"}}
                    next: route
                  - id: route
                    choice:
                      - when: "large"
                        next: review
                      - otherwise: book
                  - id: review
                    task: {set: {reviewed: "true"}}
                    next: book
                  - id: book
                    task: {set: {booked: "true"}}
                """.formatted(unique("seq")));

        // when
        String big = api.start(id, "B-1", Map.of("amount", 5000));
        String small = api.start(id, "S-1", Map.of("amount", 10));

        // then
        awaitStatus(big, "COMPLETED");
        awaitStatus(small, "COMPLETED");
        JsonNode b = api.instance(big);
        assertThat(steps(b, "COMPLETED")).containsExactly("assess", "review", "book");
        assertThat(b.get("variables").get("doubled").asInt()).isEqualTo(10000);
        assertThat(steps(api.instance(small), "COMPLETED")).containsExactly("assess", "book");
        assertThat(api.instance(small).get("variables").has("reviewed")).isFalse();
    }

    @Test
    void shouldRunACalledInstanceAndCancelItWithItsCaller() {
        // given: a caller whose call activity starts a child waiting for a person
        String child = deployed("""
                id: %s
                steps:
                  - {id: check, human: {roles: [sales-manager]}, next: done}
                  - {id: done, task: {set: {checked: "true"}}}
                """.formatted(unique("checking")));
        String caller = deployed("""
                id: %s
                steps:
                  - {id: call, process: {definition: %s, output: {checked: "checked"}}, next: after}
                  - {id: after, task: {}}
                """.formatted(unique("calling"), child));
        String completes = api.start(caller, "CA-1", Map.of());
        String cancelled = api.start(caller, "CA-2", Map.of());

        // when: one child's task is completed, the other caller is cancelled
        JsonNode task = await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> calledBy(t.get("instanceId").asText(), completes)).toList(), l -> l.size() == 1).get(0);
        assertThat(api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of()).status()).isEqualTo(200);
        String cancelledChild = await().atMost(WAIT).until(() -> Api.toList(api.instance(cancelled)
                .path("calledInstances")), l -> l.size() == 1).get(0).get("id").asText();
        awaitStatus(cancelledChild, "WAITING");
        assertThat(api.post("/api/instances/" + cancelled + "/cancel", TestUsers.OPERATOR, null, null).status())
                .isEqualTo(200);

        // then: the first caller took the child's output and completed; the second's child was cancelled with it
        awaitStatus(completes, "COMPLETED");
        assertThat(api.instance(completes).path("variables").path("checked").asBoolean()).isTrue();
        assertThat(api.status(cancelledChild)).isEqualTo("CANCELLED");
    }

    private boolean calledBy(String instance, String caller) {
        return caller.equals(api.instance(instance).path("calledBy").path("instanceId").asText());
    }

    @Test
    void shouldJoinThreeBranchesAndContinueOnce() {
        shouldJoinBranches(3);
    }

    @Test
    void shouldJoinTenBranchesAndContinueOnce() {
        shouldJoinBranches(10);
    }

    private void shouldJoinBranches(int n) {
        // given
        StringBuilder yaml = new StringBuilder("id: " + unique("fork" + n) + "\nsteps:\n  - id: split\n    parallel: [");
        for (int i = 1; i <= n; i++) {
            yaml.append(i == 1 ? "" : ", ").append("b").append(i);
        }
        yaml.append("]\n");
        for (int i = 1; i <= n; i++) {
            yaml.append("  - id: b").append(i).append("\n    task: {set: {r").append(i).append(": \"").append(i)
                    .append("\"}}\n    next: merge\n");
        }
        yaml.append("  - id: merge\n    join: {}\n    next: after\n  - id: after\n    task: {}\n");
        String id = deployed(yaml.toString());

        // when
        List<String> instances = List.of(api.start(id, "F-1", Map.of()), api.start(id, "F-2", Map.of()));

        // then
        for (String instance : instances) {
            awaitStatus(instance, "COMPLETED");
            JsonNode done = api.instance(instance);
            List<String> completed = steps(done, "COMPLETED");
            assertThat(completed).hasSize(n + 1).endsWith("after");
            assertThat(completed.stream().filter("after"::equals)).hasSize(1);
            for (int i = 1; i <= n; i++) {
                assertThat(done.get("variables").get("r" + i).asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldTakeTheTimeoutPathWhenNoMessageArrives() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: await-payment
                    wait: {message: test.payment.received}
                    timeout: {after: PT1S, next: remind}
                    next: paid
                  - id: paid
                    task: {set: {paid: "true"}}
                  - id: remind
                    task: {set: {reminded: "true"}}
                """.formatted(unique("timeout")));

        // when
        String instance = api.start(id, "INV-7", Map.of());
        awaitStatus(instance, "COMPLETED");
        Api.Response late = sendEvent("late-" + instance, "test.payment.received", "INV-7", Map.of("amount", 3));

        // then
        JsonNode done = api.instance(instance);
        assertThat(steps(done, "ESCALATED")).containsExactly("await-payment");
        assertThat(steps(done, "COMPLETED")).containsExactly("remind");
        assertThat(done.get("variables").has("paid")).isFalse();
        assertThat(late.json().get("correlated")).isEmpty();
    }

    @Test
    void shouldResumeAWaitWithTheMessageCorrelatedByBusinessKey() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: await-payment
                    wait: {message: test.payment.settled, into: payment}
                    timeout: {after: PT1H, next: remind}
                    next: paid
                  - id: paid
                    task: {set: {total: "payment.amount"}}
                  - id: remind
                    task: {}
                """.formatted(unique("wait")));
        String mine = api.start(id, "INV-100", Map.of());
        String other = api.start(id, "INV-200", Map.of());
        awaitStatus(mine, "WAITING");
        awaitStatus(other, "WAITING");

        // when
        Api.Response r = sendEvent("pay-" + mine, "test.payment.settled", "INV-100", Map.of("amount", 42));

        // then
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("correlated")).hasSize(1);
        awaitStatus(mine, "COMPLETED");
        assertThat(api.instance(mine).get("variables").get("total").asInt()).isEqualTo(42);
        assertThat(api.status(other)).isEqualTo("WAITING");
    }

    @Test
    void shouldFireATimerStep() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: pause
                    timer: {duration: PT1S}
                    next: after
                  - id: after
                    task: {set: {woke: "true"}}
                """.formatted(unique("timer")));

        // when
        String instance = api.start(id, "T-1", Map.of());

        // then
        awaitStatus(instance, "WAITING");
        awaitStatus(instance, "COMPLETED");
        assertThat(steps(api.instance(instance), "COMPLETED")).containsExactly("pause", "after");
    }

    @Test
    void shouldCompleteAHumanTaskThroughTheApiForHoldersOfItsRoleOnly() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve order", roles: [sales-manager], due: PT4H}
                    next: decide
                  - id: decide
                    choice:
                      - when: "approved = true"
                        next: accepted
                      - otherwise: rejected
                  - id: accepted
                    task: {set: {outcome: "'accepted'"}}
                  - id: rejected
                    task: {set: {outcome: "'rejected'"}}
                """.formatted(unique("human")));
        String instance = api.start(id, "SO-9", Map.of("amount", 150000));
        await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .anyMatch(t -> t.get("instanceId").asText().equals(instance)));
        JsonNode task = api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).findFirst().orElseThrow();
        assertThat(task.get("title").asText()).isEqualTo("Approve order");
        assertThat(task.get("dueAt").isNull()).isFalse();
        assertThat(api.tasks(TestUsers.CLERK)).noneMatch(t -> t.get("instanceId").asText().equals(instance));

        // when
        Api.Response refused = api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.CLERK,
                Map.of("variables", Map.of("approved", true)));
        Api.Response done = api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", true)));
        Api.Response again = api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", false)));

        // then
        assertThat(refused.status()).isEqualTo(403);
        assertThat(done.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(409);
        awaitStatus(instance, "COMPLETED");
        JsonNode finished = api.instance(instance);
        assertThat(finished.get("variables").get("outcome").asText()).isEqualTo("accepted");
        assertThat(Api.toList(finished.get("handoffs")).stream().filter(h -> "TASK_COMPLETED".equals(h.get("event").asText()))
                .map(h -> h.get("actor").asText())).containsExactly(TestUsers.MANAGER);
    }

    @Test
    void shouldRetryAFailingCallWithBackOffThenRaiseExactlyOneIncidentThatARetryResolves() {
        // given: the remote system fails every call
        remote.alwaysAnswer(503);
        String id = deployed("""
                id: %s
                steps:
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 3, backoff: PT0.2S, multiplier: 2}
                    next: done
                  - id: done
                    task: {set: {notified: "true"}}
                """.formatted(unique("poison"), remote.url("/notify")));

        // when
        long t0 = System.nanoTime();
        String instance = api.start(id, "P-1", Map.of("order", "P-1"));
        awaitStatus(instance, "FAILED");
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

        // then: three attempts with back-off (0.2 s + 0.4 s at least), one incident
        assertThat(remote.calls()).isEqualTo(3);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(600);
        List<JsonNode> incidents = api.incidents().stream()
                .filter(i -> i.get("instanceId").asText().equals(instance)).toList();
        assertThat(incidents).hasSize(1);
        assertThat(incidents.get(0).get("code").asText()).isEqualTo("BATON-HTTP-503");
        assertThat(incidents.get(0).get("step").asText()).isEqualTo("notify");
        assertThat(steps(api.instance(instance), "FAILED")).containsExactly("notify", "notify");
        assertThat(steps(api.instance(instance), "INCIDENT")).containsExactly("notify");

        // when: the remote system is fixed and an operator retries
        remote.alwaysAnswer(200);
        Api.Response retried = api.post("/api/incidents/" + incidents.get(0).get("id").asText() + "/retry",
                TestUsers.OPERATOR, null, null);
        Api.Response twice = api.post("/api/incidents/" + incidents.get(0).get("id").asText() + "/retry",
                TestUsers.OPERATOR, null, null);

        // then
        assertThat(retried.status()).isEqualTo(200);
        assertThat(twice.status()).isEqualTo(409);
        awaitStatus(instance, "COMPLETED");
        assertThat(remote.calls()).isEqualTo(4);
        assertThat(remote.effects()).hasSize(1);
        assertThat(api.incidents()).noneMatch(i -> i.get("instanceId").asText().equals(instance));
    }

    @Test
    void shouldNotRetryACallTheRemoteRejectsAsBadRequest() {
        // given
        remote.alwaysAnswer(400);
        String id = deployed("""
                id: %s
                steps:
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 5, backoff: PT0.1S}
                """.formatted(unique("bad-request"), remote.url("/x")));

        // when
        String instance = api.start(id, "BR-1", Map.of());

        // then
        awaitStatus(instance, "FAILED");
        assertThat(remote.calls()).isEqualTo(1);
        assertThat(api.incidents()).filteredOn(i -> i.get("instanceId").asText().equals(instance))
                .singleElement().satisfies(i -> assertThat(i.get("code").asText()).isEqualTo("BATON-HTTP-400"));
    }

    @Test
    void shouldMapACallsInputAndOutput() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: price
                    call: http.post
                    with: {url: "%s", headers: {X-Client: baton}}
                    input: '{"sku": item.sku, "qty": item.qty}'
                    output: {quoted: "echo.qty * 10", path: "path"}
                """.formatted(unique("call"), remote.url("/quote")));

        // when
        String instance = api.start(id, "Q-1", Map.of("item", Map.of("sku", "A-1", "qty", 3)));

        // then
        awaitStatus(instance, "COMPLETED");
        JsonNode vars = api.instance(instance).get("variables");
        assertThat(vars.get("quoted").asInt()).isEqualTo(30);
        assertThat(vars.get("path").asText()).isEqualTo("/quote");
        assertThat(remote.effects()).hasSize(1);
        String key = remote.effects().keySet().iterator().next();
        assertThat(key).startsWith(instance + ":price:");
        assertThat(remote.lastBody(key)).isEqualTo("{\"sku\":\"A-1\",\"qty\":3}");
    }

    @Test
    void shouldKeepTheVersionOfRunningInstancesAndStartNewOnesOnTheNewest() {
        // given: version 1 waits for a person, then sets v1
        String id = unique("versions");
        String v1 = """
                id: %s
                steps:
                  - id: approve
                    human: {roles: [sales-manager]}
                    next: mark
                  - id: mark
                    task: {set: {ran: "'v1'"}}
                """.formatted(id);
        assertThat(api.deploy(v1).json().get("version").asInt()).isEqualTo(1);
        String old = api.start(id, "V-1", Map.of());
        awaitStatus(old, "WAITING");

        // when: version 2 is deployed (and deploying it again changes nothing)
        Api.Response second = api.deploy(v1.replace("'v1'", "'v2'"));
        Api.Response same = api.deploy(v1.replace("'v1'", "'v2'"));
        String young = api.start(id, "V-2", Map.of());
        awaitStatus(young, "WAITING");
        for (JsonNode task : api.tasks(TestUsers.MANAGER)) {
            String instance = task.get("instanceId").asText();
            if (instance.equals(old) || instance.equals(young)) {
                api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER, Map.of());
            }
        }

        // then
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("version").asInt()).isEqualTo(2);
        awaitStatus(old, "COMPLETED");
        awaitStatus(young, "COMPLETED");
        assertThat(api.instance(old).get("version").asInt()).isEqualTo(1);
        assertThat(api.instance(old).get("variables").get("ran").asText()).isEqualTo("v1");
        assertThat(api.instance(young).get("version").asInt()).isEqualTo(2);
        assertThat(api.instance(young).get("variables").get("ran").asText()).isEqualTo("v2");
    }

    @Test
    void shouldCancelAWaitingInstanceAndCloseItsTask() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {roles: [sales-manager]}
                """.formatted(unique("cancel")));
        String instance = api.start(id, "C-1", Map.of());
        awaitStatus(instance, "WAITING");

        // when
        Api.Response cancelled = api.post("/api/instances/" + instance + "/cancel", TestUsers.OPERATOR, null, null);
        Api.Response again = api.post("/api/instances/" + instance + "/cancel", TestUsers.OPERATOR, null, null);

        // then
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(409);
        assertThat(api.status(instance)).isEqualTo("CANCELLED");
        assertThat(api.tasks(TestUsers.MANAGER)).noneMatch(t -> t.get("instanceId").asText().equals(instance));
    }

    @Test
    void shouldStartOnceForAnEventAndAnswerADuplicateWithTheFirstAnswer() {
        // given
        String type = "test.order.created." + unique("t");
        String id = deployed("""
                id: %s
                triggers:
                  - event: %s
                    when: "data.amount > 100"
                    businessKey: "data.orderId"
                    variables: '{"order": data}'
                steps:
                  - id: book
                    task: {set: {booked: "order.amount"}}
                """.formatted(unique("evt"), type));

        // when
        Api.Response first = sendEvent("evt-1-" + id, type, null, Map.of("orderId", "SO-1", "amount", 500));
        Api.Response duplicate = sendEvent("evt-1-" + id, type, null, Map.of("orderId", "SO-1", "amount", 500));
        Api.Response filtered = sendEvent("evt-2-" + id, type, null, Map.of("orderId", "SO-2", "amount", 5));
        Api.Response binary = api.post("/events/erp", TestUsers.INTEGRATION, "application/json",
                "{\"orderId\":\"SO-3\",\"amount\":700}", Map.of("ce-specversion", "1.0", "ce-id", "evt-3-" + id,
                        "ce-source", "/erp", "ce-type", type));

        // then
        assertThat(first.status()).isEqualTo(202);
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.json().get("instances")).isEqualTo(first.json().get("instances"));
        assertThat(filtered.json().get("instances")).isEmpty();
        assertThat(binary.status()).isEqualTo(202);
        String started = first.json().get("instances").get(0).get("instanceId").asText();
        String fromBinary = binary.json().get("instances").get(0).get("instanceId").asText();
        awaitStatus(started, "COMPLETED");
        awaitStatus(fromBinary, "COMPLETED");
        assertThat(api.instance(started).get("businessKey").asText()).isEqualTo("SO-1");
        assertThat(api.instance(fromBinary).get("variables").get("booked").asInt()).isEqualTo(700);
        JsonNode list = api.get("/api/instances?definition=" + api.instance(started).get("definitionId").asText(),
                TestUsers.AUDITOR).json();
        assertThat(list.get("instances")).hasSize(2);
    }

    @Test
    void shouldPageThroughInstancesWithACursor() {
        // given
        String id = deployed("id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(unique("page")));
        for (int i = 0; i < 5; i++) {
            api.start(id, "PG-" + i, Map.of());
        }

        // when
        JsonNode first = api.get("/api/instances?definition=" + id + "&limit=3", TestUsers.OPERATOR).json();
        JsonNode second = api.get("/api/instances?definition=" + id + "&limit=3&cursor="
                + first.get("nextCursor").asText(), TestUsers.OPERATOR).json();

        // then
        assertThat(first.get("instances")).hasSize(3);
        assertThat(second.get("instances")).hasSize(2);
        assertThat(second.has("nextCursor")).isFalse();
    }

    protected Api.Response sendEvent(String eventId, String type, String subject, Map<String, Object> data) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", eventId);
        event.put("source", "/tests");
        event.put("type", type);
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("data", data);
        try {
            return api.post("/events/tests", TestUsers.INTEGRATION, "application/cloudevents+json",
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
