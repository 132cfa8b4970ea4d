package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.baton.hub.runtime.Command;
import dev.baton.hub.runtime.CommandSender;
import dev.baton.hub.runtime.Outgoing;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;
import dev.baton.model.engine.Intent;

/**
 * Message boundaries on a running hub, through the public API only: a CloudEvent posted to
 * {@code /events/{source}} interrupts a human task, or starts a path beside it while it stays open.
 */
class MessageBoundaryTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private CommandSender sender;

    @Test
    void shouldCloseTheTaskAndTakeTheBoundaryPathWhenTheOrderIsCancelled() {
        // given: an approval that a cancellation of its order (correlated by the order id) interrupts
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve the order", roles: [sales-manager]}
                    messages:
                      - message: test.order.cancelled
                        key: "order.id"
                        next: cancel
                    next: book
                  - id: book
                    task: {set: {booked: "true"}}
                  - id: cancel
                    task: {set: {cancelled: "reason"}}
                """.formatted(unique("cancel")));
        String cancelled = api.start(id, "SO-1", Map.of("order", Map.of("id", "4711")));
        String other = api.start(id, "SO-2", Map.of("order", Map.of("id", "4712")));
        JsonNode task = awaitTask(cancelled);
        awaitTask(other);

        // when: the shop cancels the first order
        Api.Response answer = sendEvent("cancel-4711", "test.order.cancelled", "4711", Map.of("reason", "customer"));

        // then: its task is gone from the task list, the instance took the boundary's path with the event's data
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("correlated")).hasSize(1);
        awaitStatus(cancelled, "COMPLETED");
        assertThat(handoffs(cancelled)).containsExactly("approve WAITING", "approve COMPLETED", "cancel COMPLETED");
        assertThat(api.instance(cancelled).get("variables").get("cancelled").asText()).isEqualTo("customer");
        assertThat(api.instance(cancelled).get("variables").has("booked")).isFalse();
        assertThat(taskIds()).doesNotContain(task.get("id").asText());
        JsonNode closed = api.get("/api/tasks/" + task.get("id").asText(), TestUsers.MANAGER).json();
        assertThat(closed.get("status").asText()).isEqualTo("CLOSED");
        assertThat(closed.get("closeReason").asText()).isEqualTo("message test.order.cancelled for 'approve'");

        // and: the other order's approval still waits; the same cancellation again correlates with nothing
        assertThat(api.status(other)).isEqualTo("WAITING");
        Api.Response late = sendEvent("cancel-4711-again", "test.order.cancelled", "4711", Map.of());
        assertThat(late.json().get("correlated")).isEmpty();
    }

    @Test
    void shouldRunTheBoundaryPathOncePerMessageWhileTheTaskStaysOpen() {
        // given: every change of the order notifies someone; the approval goes on (keyed by business key)
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve the order", roles: [sales-manager]}
                    messages:
                      - {message: test.order.changed, next: notify, interrupting: false}
                    next: book
                  - id: book
                    task: {set: {booked: "true"}}
                  - id: notify
                    task: {set: {lastChange: "change"}}
                """.formatted(unique("change")));
        String instance = api.start(id, "SO-9", Map.of());
        JsonNode task = awaitTask(instance);

        // when: two changes arrive
        sendEvent("change-1", "test.order.changed", "SO-9", Map.of("change", "quantity"));
        await().atMost(WAIT).until(() -> handoffs(instance).contains("notify COMPLETED"));
        sendEvent("change-2", "test.order.changed", "SO-9", Map.of("change", "address"));

        // then: the notification ran twice, and the task is still open for its approver
        await().atMost(WAIT).until(() -> handoffs(instance).stream().filter("notify COMPLETED"::equals).count() == 2);
        assertThat(api.instance(instance).get("variables").get("lastChange").asText()).isEqualTo("address");
        assertThat(api.status(instance)).isEqualTo("WAITING");
        assertThat(taskIds()).contains(task.get("id").asText());

        // when: the task is completed
        Api.Response done = api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of()));

        // then: the main path goes on, and a later change finds nobody listening
        assertThat(done.status()).isEqualTo(200);
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).get("variables").get("booked").asBoolean()).isTrue();
        assertThat(sendEvent("change-3", "test.order.changed", "SO-9", Map.of()).json().get("correlated")).isEmpty();
    }

    @Test
    void shouldStartANonInterruptingPathOnceWhenTheBrokerDeliversItsCommandAgain() throws Exception {
        // given: a change of the order ran its notification
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve the order", roles: [sales-manager]}
                    messages:
                      - {message: test.order.changed, next: notify, interrupting: false}
                  - id: notify
                    task: {set: {lastChange: "change"}}
                """.formatted(unique("again")));
        String instance = api.start(id, "SO-10", Map.of());
        awaitTask(instance);
        sendEvent("change-10", "test.order.changed", "SO-10", Map.of("change", "quantity"));
        await().atMost(WAIT).until(() -> notifications(instance) == 1);
        String token = Api.toList(api.instance(instance).get("openSteps")).stream()
                .filter(s -> s.get("step").asText().equals("approve")).findFirst().orElseThrow().get("token").asText();

        // when: the broker delivers that correlation (number 1) again, as after a crash between the database's
        // commit and the broker's, and then a second change arrives
        sender.send(List.of(new Outgoing(new Command(instance, id, 1, "approve", token, 1, Intent.CORRELATE_MESSAGE,
                "{\"change\":\"replayed\"}", null, null, "test.order.changed"), 0)));
        sendEvent("change-11", "test.order.changed", "SO-10", Map.of("change", "address"));

        // then: the second change notified; the redelivery started nothing
        await().atMost(WAIT).until(() -> notifications(instance) == 2);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).untilAsserted(() -> {
            assertThat(notifications(instance)).isEqualTo(2);
            assertThat(api.instance(instance).get("variables").get("lastChange").asText()).isEqualTo("address");
        });
    }

    // ---- helpers ----

    private long notifications(String instance) {
        return handoffs(instance).stream().filter("notify COMPLETED"::equals).count();
    }

    private JsonNode awaitTask(String instance) {
        return await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).findFirst().orElse(null),
                t -> t != null);
    }

    private List<String> taskIds() {
        return api.tasks(TestUsers.MANAGER).stream().map(t -> t.get("id").asText()).toList();
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
