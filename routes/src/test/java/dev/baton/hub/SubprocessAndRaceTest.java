package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;

/**
 * Embedded sub-processes (completion, boundary timer, error boundary), errors thrown and caught, and
 * races (deferred choice) on a running hub, through the public API only: the hand-offs each instance
 * recorded, in order, and the human tasks' states.
 */
class SubprocessAndRaceTest extends HubTestBase {

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

    @Test
    void shouldCancelTheTaskInsideASubprocessWhenItsBoundaryTimerFiresAndContinueAfterItOtherwise() {
        // given: Flowable's fix-system-failure, shortened: a task inside, a timer on the sub-process
        String id = deployed("""
                id: %s
                steps:
                  - id: fix
                    subprocess:
                      steps:
                        - id: investigate
                          human: {title: "Investigate", roles: [sales-manager]}
                    timeout: {after: PT3S, next: hand-over}
                    next: report
                  - id: hand-over
                    task: {set: {handedOver: "true"}}
                  - id: report
                    task: {set: {reported: "true"}}
                """.formatted(unique("fix")));

        // when: nobody works the first instance's task; the second's is completed in time
        String late = api.start(id, "FIX-1", Map.of());
        String prompt = api.start(id, "FIX-2", Map.of());
        JsonNode lateTask = awaitTask(late);
        JsonNode promptTask = awaitTask(prompt);
        Api.Response done = api.postJson("/api/tasks/" + promptTask.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("cause", "disk")));

        // then: the timer cancelled the task and took its path
        assertThat(done.status()).isEqualTo(200);
        awaitStatus(late, "COMPLETED");
        assertThat(handoffs(late)).containsExactly("fix WAITING", "investigate WAITING", "fix ESCALATED",
                "hand-over COMPLETED");
        JsonNode closed = api.get("/api/tasks/" + lateTask.get("id").asText(), TestUsers.MANAGER).json();
        assertThat(closed.get("status").asText()).isEqualTo("CLOSED");
        assertThat(closed.get("closeReason").asText()).isEqualTo("deadline of 'fix' passed");
        assertThat(api.instance(late).get("variables").has("reported")).isFalse();

        // and: the sub-process whose task was done completed and continued at its next step
        awaitStatus(prompt, "COMPLETED");
        assertThat(handoffs(prompt)).containsExactly("fix WAITING", "investigate WAITING", "investigate COMPLETED",
                "report COMPLETED");
        JsonNode completed = api.get("/api/tasks/" + promptTask.get("id").asText(), TestUsers.MANAGER).json();
        assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(api.instance(prompt).get("variables").get("cause").asText()).isEqualTo("disk");
        assertThat(api.instance(prompt).get("variables").has("handedOver")).isFalse();
    }

    @Test
    void shouldTakeTheErrorBoundaryOfASubprocessWhoseErrorEndThrowsItsCode() {
        // given
        String id = deployed("""
                id: %s
                steps:
                  - id: order
                    subprocess:
                      steps:
                        - id: check
                          task: {set: {checked: "true"}}
                          next: decide
                        - id: decide
                          choice:
                            - when: "amount > 1000"
                              next: reject
                            - otherwise: accept
                        - id: reject
                          end: {error: ORDER_REJECTED}
                        - id: accept
                          end: {}
                    catch:
                      - error: ORDER_REJECTED
                        next: handle-rejection
                    next: book
                  - id: handle-rejection
                    task: {set: {rejected: "true"}}
                  - id: book
                    task: {set: {booked: "true"}}
                """.formatted(unique("error")));

        // when
        String rejected = api.start(id, "SO-1", Map.of("amount", 5000));
        String accepted = api.start(id, "SO-2", Map.of("amount", 10));

        // then
        awaitStatus(rejected, "COMPLETED");
        awaitStatus(accepted, "COMPLETED");
        assertThat(handoffs(rejected)).containsExactly("order WAITING", "check COMPLETED", "handle-rejection COMPLETED");
        assertThat(api.instance(rejected).get("variables").has("booked")).isFalse();
        assertThat(handoffs(accepted)).containsExactly("order WAITING", "check COMPLETED", "book COMPLETED");
        assertThat(api.instance(accepted).get("variables").has("rejected")).isFalse();
    }

    @Test
    void shouldCatchAPermanentCallFailureOnTheStepAndParkAnUncaughtErrorInAnIncident() {
        // given: the remote system does not know the order; a second process throws an error nobody catches
        remote.alwaysAnswer(404);
        String caughtId = deployed("""
                id: %s
                steps:
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 3, backoff: PT0.1S}
                    catch:
                      - error: BATON-HTTP-404
                        next: not-found
                    next: done
                  - id: not-found
                    task: {set: {missing: "true"}}
                  - id: done
                    task: {}
                """.formatted(unique("caught"), remote.url("/orders")));
        String uncaughtId = deployed("""
                id: %s
                steps:
                  - id: check
                    task: {}
                    next: reject
                  - id: reject
                    end: {error: ORDER_REJECTED}
                """.formatted(unique("uncaught")));

        // when
        String caught = api.start(caughtId, "N-1", Map.of());
        String uncaught = api.start(uncaughtId, "U-1", Map.of());

        // then: a permanent failure is not retried, and the catch takes it
        awaitStatus(caught, "COMPLETED");
        assertThat(remote.calls()).isEqualTo(1);
        assertThat(handoffs(caught)).containsExactly("notify CAUGHT", "not-found COMPLETED");
        assertThat(api.incidents()).noneMatch(i -> i.get("instanceId").asText().equals(caught));

        // and: the uncaught error fails the instance with an incident naming its code, which no retry can fix
        awaitStatus(uncaught, "FAILED");
        JsonNode incident = api.incidents().stream().filter(i -> i.get("instanceId").asText().equals(uncaught))
                .findFirst().orElseThrow();
        assertThat(incident.get("code").asText()).isEqualTo("ORDER_REJECTED");
        assertThat(incident.get("step").asText()).isEqualTo("reject");
        Api.Response retried = api.post("/api/incidents/" + incident.get("id").asText() + "/retry", TestUsers.OPERATOR,
                null, null);
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.body()).contains("ORDER_REJECTED");
        Api.Response cancelled = api.post("/api/instances/" + uncaught + "/cancel", TestUsers.OPERATOR, null, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(api.incidents()).noneMatch(i -> i.get("instanceId").asText().equals(uncaught));
    }

    @Test
    void shouldParkAPathInAnIncidentNamingAGatewayWhereNoConditionHoldsAndThereIsNoDefault() {
        // given: Zeebe's yes/no without default flow, after a step; and an inclusive gateway without default first
        String reviewId = unique("review");
        String notifyId = unique("notify");
        deployBpmn("""
                <process id="%s" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f0" sourceRef="s" targetRef="check"/>
                  <task id="check"/>
                  <sequenceFlow id="f1" sourceRef="check" targetRef="decide"/>
                  <exclusiveGateway id="decide" name="Review result?"/>
                  <sequenceFlow id="f2" sourceRef="decide" targetRef="merge-it">
                    <conditionExpression>= reviewResult = "approved"</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f3" sourceRef="decide" targetRef="close-it">
                    <conditionExpression>= reviewResult = "rejected"</conditionExpression>
                  </sequenceFlow>
                  <task id="merge-it"/>
                  <task id="close-it"/>
                </process>
                """.formatted(reviewId));
        deployBpmn("""
                <process id="%s" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f0" sourceRef="s" targetRef="how"/>
                  <inclusiveGateway id="how"/>
                  <sequenceFlow id="f1" sourceRef="how" targetRef="email">
                    <conditionExpression>${email}</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f2" sourceRef="how" targetRef="sms">
                    <conditionExpression>${sms}</conditionExpression>
                  </sequenceFlow>
                  <task id="email"/>
                  <task id="sms"/>
                  <sequenceFlow id="f3" sourceRef="email" targetRef="merged"/>
                  <sequenceFlow id="f4" sourceRef="sms" targetRef="merged"/>
                  <inclusiveGateway id="merged"/>
                  <sequenceFlow id="f5" sourceRef="merged" targetRef="archive"/>
                  <task id="archive"/>
                </process>
                """.formatted(notifyId));

        // when
        String approved = api.start(reviewId, "PR-1", Map.of("reviewResult", "approved"));
        String pending = api.start(reviewId, "PR-2", Map.of("reviewResult", "pending"));
        String both = api.start(notifyId, "N-1", Map.of("email", true, "sms", true));
        Api.Response none = api.postJson("/api/definitions/" + notifyId + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", "N-2", "variables", Map.of("email", false, "sms", false)));

        // then: a condition that holds routes as usual; both inclusive branches run before the join goes on
        awaitStatus(approved, "COMPLETED");
        assertThat(handoffs(approved)).containsExactly("check COMPLETED", "merge-it COMPLETED");
        awaitStatus(both, "COMPLETED");
        assertThat(handoffs(both)).hasSize(3).endsWith("archive COMPLETED")
                .contains("email COMPLETED", "sms COMPLETED");
        // and: no path at the start refuses the start, naming the gateway
        assertThat(none.status()).as(none.body()).isEqualTo(422);
        assertThat(none.body()).contains("BATON-ROUTE-002").contains("'how'");

        // and: no path after a step parks that step's token in an incident naming the gateway
        awaitStatus(pending, "FAILED");
        JsonNode incident = openIncidentOf(pending);
        assertThat(incident.get("code").asText()).isEqualTo("BATON-ROUTE-002");
        assertThat(incident.get("step").asText()).isEqualTo("check");
        assertThat(incident.get("error").asText()).contains("choice 'decide'");

        // when: an operator retries without changing anything
        Api.Response retried = api.post("/api/incidents/" + incident.get("id").asText() + "/retry", TestUsers.OPERATOR,
                null, null);

        // then: the step runs again, the gateway decides again, and it is an incident again
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(openIncidentOf(pending).get("id").asText())
                .isNotEqualTo(incident.get("id").asText()));
        assertThat(openIncidentOf(pending).get("code").asText()).isEqualTo("BATON-ROUTE-002");
        assertThat(api.status(pending)).isEqualTo("FAILED");
    }

    @Test
    void shouldLetTheFirstAlternativeOfARaceWinAndWithdrawTheOthers() {
        // given: Zeebe's pr-created: a review arrives, or a reminder goes out after a while
        String id = deployed("""
                id: %s
                steps:
                  - id: request-review
                    task: {}
                    next: wait-for-review
                  - id: wait-for-review
                    race: [reviewed, reminder-due]
                  - id: reviewed
                    wait: {message: test.review.received, into: review}
                    next: merge
                  - id: reminder-due
                    timer: {duration: PT3S}
                    next: remind
                  - id: merge
                    task: {set: {merged: "review.result"}}
                  - id: remind
                    task: {set: {reminded: "true"}}
                """.formatted(unique("race")));
        String byMessage = api.start(id, "PR-1", Map.of());
        String byTimer = api.start(id, "PR-2", Map.of());
        awaitStatus(byMessage, "WAITING");

        // when: the review of the first arrives; the second gets none
        Api.Response review = sendEvent("review-" + byMessage, "test.review.received", "PR-1",
                Map.of("result", "approved"));

        // then: the message won; its timer, when it fires, changes nothing
        assertThat(review.json().get("correlated")).hasSize(1);
        awaitStatus(byMessage, "COMPLETED");
        assertThat(api.instance(byMessage).get("variables").get("merged").asText()).isEqualTo("approved");
        List<String> messageWon = handoffs(byMessage);
        assertRaceEntered(messageWon);
        assertThat(messageWon.subList(3, messageWon.size())).containsExactly("reviewed COMPLETED", "merge COMPLETED");

        // and: the timer won the second race; its wait was withdrawn, so a late review correlates with nothing
        awaitStatus(byTimer, "COMPLETED");
        List<String> timerWon = handoffs(byTimer);
        assertRaceEntered(timerWon);
        assertThat(timerWon.subList(3, timerWon.size())).containsExactly("reminder-due COMPLETED", "remind COMPLETED");
        Api.Response lateReview = sendEvent("review-" + byTimer, "test.review.received", "PR-2",
                Map.of("result", "approved"));
        assertThat(lateReview.json().get("correlated")).isEmpty();
        assertThat(api.instance(byTimer).get("variables").has("merged")).isFalse();
        // the first instance's timer was due with the second's: it fires meanwhile, and is ignored
        await().during(Duration.ofSeconds(1)).atMost(WAIT).untilAsserted(() -> {
            assertThat(handoffs(byMessage)).isEqualTo(messageWon);
            assertThat(api.instance(byMessage).get("variables").has("reminded")).isFalse();
        });
    }

    /** The step before the race ran, then both alternatives started (in either order: they have their own queues). */
    private static void assertRaceEntered(List<String> handoffs) {
        assertThat(handoffs.get(0)).isEqualTo("request-review COMPLETED");
        assertThat(handoffs.subList(1, 3)).containsExactlyInAnyOrder("reviewed WAITING", "reminder-due WAITING");
    }

    // ---- helpers ----

    /** Deploys a BPMN process (the body of {@code definitions}) as a developer. */
    private void deployBpmn(String process) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<definitions"
                + " xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" id=\"d\" targetNamespace=\"t\">\n"
                + process + "</definitions>\n";
        Api.Response r = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml",
                xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** The instance's one open incident, once there is one. */
    private JsonNode openIncidentOf(String instance) {
        return await().atMost(WAIT).until(() -> api.incidents().stream()
                .filter(i -> i.get("instanceId").asText().equals(instance)).findFirst().orElse(null), i -> i != null);
    }


    private JsonNode awaitTask(String instance) {
        return await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).findFirst().orElse(null),
                t -> t != null);
    }

    /** The instance's hand-offs of steps, in the order they were recorded, as {@code step STATUS}. */
    private List<String> handoffs(String instance) {
        return Api.toList(api.instance(instance).get("handoffs")).stream()
                .filter(h -> !h.get("step").isNull())
                .map(h -> h.get("step").asText() + " " + h.get("status").asText()).toList();
    }

    private Api.Response sendEvent(String eventId, String type, String subject, Map<String, Object> data) {
        return api.event("tests", eventId, type, subject, data);
    }
}
