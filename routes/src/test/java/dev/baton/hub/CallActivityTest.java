package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Call activities on the hub: a step that starts an instance of another definition, waits for it, and
 * takes back what its output maps; cancelling either side; calling what is not deployed yet.
 */
class CallActivityTest extends HubTestBase {

    @Test
    void theCallerWaitsForItsChildAndTakesBackWhatItsOutputMaps() {
        // given
        String child = deployed("""
                id: %s
                steps:
                  - {id: check, human: {roles: [engineering]}, next: grade}
                  - {id: grade, task: {set: {grade: "score > 5 ? 'good' : 'poor'", internal: "'x'"}}}
                """.formatted(unique("grading")));
        String caller = deployed("""
                id: %s
                steps:
                  - id: grade-it
                    process: {definition: %s, input: '{"score": points}', output: {result: "grade"}}
                    next: after
                  - {id: after, task: {set: {done: "true"}}}
                """.formatted(unique("exam"), child));

        // when
        String instance = api.start(caller, "EX-1", Map.of("points", 8, "name", "Ada"));

        // then: the child's task is the caller's business; completing it finishes both
        JsonNode task = taskOf(TestUsers.ENGINEER, instance, child);
        Api.Response done = api.postJson("/api/tasks/" + task.path("id").asText() + "/complete", TestUsers.ENGINEER,
                Map.of());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        awaitStatus(instance, "COMPLETED");
        JsonNode parent = api.instance(instance);
        assertThat(parent.path("variables").path("result").asText()).isEqualTo("good");
        assertThat(parent.path("variables").has("internal")).isFalse();
        assertThat(parent.path("variables").path("done").asBoolean()).isTrue();
        assertThat(Api.toList(parent.path("handoffs"))).extracting(h -> h.path("step").asText() + ":"
                + h.path("event").asText()).contains("grade-it:STEP_WAITING", "grade-it:CHILD_COMPLETED");
        JsonNode called = api.instance(Api.toList(parent.path("calledInstances")).get(0).path("id").asText());
        assertThat(called.path("variables").path("score").asInt()).isEqualTo(8);
        assertThat(called.path("variables").has("name")).isFalse();
        assertThat(called.path("startedBy").asText()).isEqualTo("instance:" + instance);
    }

    @Test
    void cancellingTheCallerCancelsItsChildAndCancellingAChildFailsItsCallersStep() {
        // given
        String child = deployed("""
                id: %s
                steps:
                  - {id: wait-for-it, human: {roles: [engineering]}}
                """.formatted(unique("slow")));
        String caller = deployed("""
                id: %s
                steps:
                  - id: call
                    process: {definition: %s}
                    catch: [{error: BATON-CALL-002, next: apologise}]
                  - {id: apologise, task: {set: {apologised: "true"}}}
                """.formatted(unique("impatient"), child));
        String first = api.start(caller, "C-1", Map.of());
        String second = api.start(caller, "C-2", Map.of());
        String firstChild = childOf(first);
        String secondChild = childOf(second);
        awaitStatus(firstChild, "WAITING");
        awaitStatus(secondChild, "WAITING");

        // when the operator cancels the first caller
        assertThat(api.post("/api/instances/" + first + "/cancel", TestUsers.OPERATOR, null, null).status())
                .isEqualTo(200);

        // then its child is cancelled with it, its task closed
        assertThat(api.status(firstChild)).isEqualTo("CANCELLED");
        assertThat(api.tasks(TestUsers.ENGINEER)).noneMatch(t -> t.path("instanceId").asText().equals(firstChild));

        // when the operator cancels the second child
        assertThat(api.post("/api/instances/" + secondChild + "/cancel", TestUsers.OPERATOR, null, null).status())
                .isEqualTo(200);

        // then its caller's step fails with BATON-CALL-002, which its catch takes
        awaitStatus(second, "COMPLETED");
        assertThat(api.instance(second).path("variables").path("apologised").asBoolean()).isTrue();
        assertThat(api.status(first)).isEqualTo("CANCELLED");
    }

    @Test
    void callingWhatIsNotDeployedIsAnIncidentThatARetrySolvesOnceItIs() {
        // given: a caller of a definition nobody deployed yet
        String missing = unique("later");
        String caller = deployed("""
                id: %s
                steps:
                  - {id: call, process: {definition: %s}}
                """.formatted(unique("early"), missing));
        String instance = api.start(caller, "E-1", Map.of("x", 1));

        // then
        awaitStatus(instance, "FAILED");
        JsonNode incident = api.incidents().stream().filter(i -> i.path("instanceId").asText().equals(instance))
                .findFirst().orElseThrow();
        assertThat(incident.path("code").asText()).isEqualTo("BATON-CALL-001");
        assertThat(incident.path("error").asText()).contains(missing, "not deployed");

        // when it is deployed and the incident retried
        deployed("""
                id: %s
                steps:
                  - {id: work, task: {set: {y: "x + 1"}}}
                """.formatted(missing));
        Api.Response retried = api.post("/api/incidents/" + incident.path("id").asText() + "/retry",
                TestUsers.OPERATOR, null, null);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);

        // then the child runs and hands back all its variables (no output mapping)
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).path("variables").path("y").asInt()).isEqualTo(2);
    }

    @Test
    void aChildThatEndsAtOnceResumesItsCallerAllTheSame() {
        // given: a called definition with nothing to do, so its instance completes in the transaction that starts it
        String child = deployed("""
                id: %s
                steps:
                  - {id: nothing, end: {}}
                """.formatted(unique("empty")));
        String caller = deployed("""
                id: %s
                steps:
                  - {id: call, process: {definition: %s}, next: after}
                  - {id: after, task: {set: {after: "true"}}}
                """.formatted(unique("eager"), child));

        // when
        String instance = api.start(caller, "Q-1", Map.of());

        // then
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).path("variables").path("after").asBoolean()).isTrue();
        assertThat(api.status(childOf(instance))).isEqualTo("COMPLETED");
    }

    @Test
    void anErrorTheChildDoesNotCatchGoesToItsCallersCatch() {
        // given: a credit check that throws REJECTED for small limits, called by an order that catches it
        String check = deployed("""
                id: %s
                steps:
                  - id: decide
                    choice:
                      - {when: "limit < 100", next: reject}
                      - otherwise: approve
                  - {id: reject, end: {error: REJECTED}}
                  - {id: approve, task: {set: {approved: "true"}}}
                """.formatted(unique("credit")));
        String order = deployed("""
                id: %s
                steps:
                  - id: check
                    process: {definition: %s}
                    catch: [{error: REJECTED, next: refuse}]
                    next: book
                  - {id: book, task: {set: {booked: "true"}}}
                  - {id: refuse, task: {set: {refused: "true"}}}
                """.formatted(unique("order"), check));

        // when
        String refused = api.start(order, "O-1", Map.of("limit", 50));
        String booked = api.start(order, "O-2", Map.of("limit", 500));

        // then: the error ended the child and took the caller's error path; no incident anywhere
        awaitStatus(refused, "COMPLETED");
        awaitStatus(booked, "COMPLETED");
        assertThat(api.instance(refused).path("variables").path("refused").asBoolean()).isTrue();
        assertThat(api.instance(refused).path("variables").has("booked")).isFalse();
        assertThat(api.instance(booked).path("variables").path("booked").asBoolean()).isTrue();
        String child = childOf(refused);
        assertThat(api.status(child)).isEqualTo("CANCELLED");
        assertThat(Api.toList(api.instance(child).path("handoffs"))).anySatisfy(h ->
                assertThat(h.path("error").asText()).contains("REJECTED", "calling instance"));
        assertThat(api.incidents()).noneMatch(i -> i.path("instanceId").asText().equals(child)
                || i.path("instanceId").asText().equals(refused));
    }

    private String childOf(String instance) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> Api.toList(api.instance(instance).path("calledInstances")), c -> c.size() == 1)
                .get(0).path("id").asText();
    }

    private JsonNode taskOf(String user, String caller, String childDefinition) {
        String child = childOf(caller);
        List<JsonNode> tasks = await().atMost(Duration.ofSeconds(20)).until(() -> api.tasks(user).stream()
                .filter(t -> t.path("instanceId").asText().equals(child)).toList(), t -> t.size() == 1);
        assertThat(tasks.get(0).path("definitionId").asText()).isEqualTo(childDefinition);
        return tasks.get(0);
    }
}
