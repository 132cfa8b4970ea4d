package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import dev.baton.hub.runtime.Queues;
import dev.baton.hub.runtime.StepRunner;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;
import dev.baton.model.engine.Intent;

/**
 * What reaches a step queue without being a command Baton sent: it is never dropped silently, and
 * never stops the queue's consumer.
 */
class DeadLetterTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    @Qualifier("jmsConnectionFactory")
    private ConnectionFactory jms;

    private final Captured stepRunnerLog = new Captured();

    @BeforeEach
    void captureStepRunnerLog() {
        stepRunnerLog.start();
        ((Logger) LoggerFactory.getLogger(StepRunner.class)).addAppender(stepRunnerLog);
    }

    @AfterEach
    void releaseStepRunnerLog() {
        ((Logger) LoggerFactory.getLogger(StepRunner.class)).detachAppender(stepRunnerLog);
        stepRunnerLog.stop();
    }

    @Test
    void shouldTurnAMessageThatIsNotACommandIntoAnIncidentNamingItsQueue() throws JMSException {
        // given: a definition whose human step has a consumer on its queue
        String id = deployedApproval();
        String queue = Queues.stepQueue(id, "approve");

        // when: something else puts a plain text message on that queue
        send(queue, session -> {
            TextMessage m = session.createTextMessage("{\"hello\": \"not a command\"}");
            m.setStringProperty("origin", "a script");
            return m;
        });

        // then: it becomes an open incident, with what it held, that says why
        JsonNode incident = awaitIncidentOn(queue);
        assertThat(incident.get("code").asText()).isEqualTo(HubCodes.NOT_A_COMMAND);
        assertThat(incident.get("status").asText()).isEqualTo("OPEN");
        assertThat(incident.get("error").asText()).contains(HubCodes.NOT_A_COMMAND).contains("Not a Baton command")
                .contains("batonInstance");
        assertThat(incident.get("details")).singleElement()
                .satisfies(d -> assertThat(d.asText()).isEqualTo("{\"hello\": \"not a command\"}"));
        assertThat(incident.get("instanceId").isNull()).isTrue();
        await().atMost(WAIT).until(() -> depth(queue) == 0 && depth(Queues.DEAD_LETTER) == 0);

        // when: an operator retries it
        Api.Response retried = api.post("/api/incidents/" + incident.get("id").asText() + "/retry",
                TestUsers.OPERATOR, null, null);

        // then: there is no command to re-queue, and the incident stays open for a person to look at
        assertThat(retried.status()).as(retried.body()).isEqualTo(409);
        assertThat(retried.text("code")).isEqualTo(HubCodes.CONFLICT);
        assertThat(retried.text("error")).contains("nothing to retry");
        assertThat(api.get("/api/incidents/" + incident.get("id").asText(), TestUsers.OPERATOR).text("status"))
                .isEqualTo("OPEN");
        assertThatTheHubStillCompletesAnInstanceOf(id);
    }

    @Test
    void shouldTurnANonTextMessageIntoAnIncidentToo() throws JMSException {
        // given
        String id = deployedApproval();
        String queue = Queues.stepQueue(id, "approve");

        // when: a bytes message with none of Baton's properties
        send(queue, session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(new byte[] {1, 2, 3});
            return m;
        });

        // then
        JsonNode incident = awaitIncidentOn(queue);
        assertThat(incident.get("code").asText()).isEqualTo(HubCodes.NOT_A_COMMAND);
        assertThat(incident.get("details")).isEmpty();
        await().atMost(WAIT).until(() -> depth(queue) == 0 && depth(Queues.DEAD_LETTER) == 0);
        assertThatTheHubStillCompletesAnInstanceOf(id);
    }

    @Test
    void shouldDropACommandForAnInstanceThatDoesNotExistOnceAndKeepWorking() throws JMSException {
        // given
        String id = deployedApproval();
        String queue = Queues.stepQueue(id, "book");
        String ghost = UUID.randomUUID().toString();

        // when: a well-formed command names an instance the database does not have
        send(queue, session -> {
            TextMessage m = session.createTextMessage(null);
            m.setStringProperty("batonInstance", ghost);
            m.setStringProperty("batonDefinition", id);
            m.setIntProperty("batonVersion", 1);
            m.setStringProperty("batonStep", "book");
            m.setStringProperty("batonToken", UUID.randomUUID().toString());
            m.setIntProperty("batonAttempt", 1);
            m.setIntProperty("batonIntent", Intent.EXECUTE_STEP.code());
            return m;
        });

        // then: it is processed exactly once (no rollback, no redelivery), dropped with its code,
        // and raises no incident
        await().atMost(WAIT).until(() -> unknownInstanceWarnings(ghost) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> unknownInstanceWarnings(ghost) == 1);
        assertThat(depth(queue)).isZero();
        assertThat(depth(Queues.DEAD_LETTER)).isZero();
        assertThat(Api.toList(api.get("/api/incidents?status=all", TestUsers.OPERATOR).json()))
                .noneMatch(i -> ghost.equals(i.get("instanceId").asText()));
        assertThat(api.get("/api/instances/" + ghost, TestUsers.OPERATOR).status()).isEqualTo(404);
        assertThatTheHubStillCompletesAnInstanceOf(id);
    }

    @Test
    void shouldTurnAMessageWithABatonPropertyOfTheWrongTypeIntoAnIncident() throws JMSException {
        // given
        String id = deployedApproval();
        String queue = Queues.stepQueue(id, "approve");

        // when: every Baton property is there, but the version is a boolean
        send(queue, session -> {
            TextMessage m = session.createTextMessage("typed wrong");
            m.setStringProperty("batonInstance", UUID.randomUUID().toString());
            m.setStringProperty("batonDefinition", id);
            m.setBooleanProperty("batonVersion", true);
            m.setStringProperty("batonStep", "approve");
            m.setStringProperty("batonToken", UUID.randomUUID().toString());
            m.setIntProperty("batonAttempt", 1);
            m.setIntProperty("batonIntent", Intent.COMPLETE_TASK.code());
            return m;
        });

        // then
        JsonNode incident = awaitIncidentOn(queue);
        assertThat(incident.get("code").asText()).isEqualTo(HubCodes.NOT_A_COMMAND);
        assertThat(incident.get("error").asText()).contains("batonVersion");
        await().atMost(WAIT).until(() -> depth(queue) == 0 && depth(Queues.DEAD_LETTER) == 0);
        assertThatTheHubStillCompletesAnInstanceOf(id);
    }

    // ---- helpers ----

    /** A definition with a human step ({@code approve}) and a task step ({@code book}). */
    private String deployedApproval() {
        Api.Response r = api.deploy("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve", roles: [sales-manager]}
                    next: book
                  - id: book
                    task: {set: {booked: "true"}}
                """.formatted(unique("dead-letter")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private void assertThatTheHubStillCompletesAnInstanceOf(String definition) {
        String instance = api.start(definition, "DL-" + UUID.randomUUID(), Map.of());
        await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .anyMatch(t -> t.get("instanceId").asText().equals(instance)));
        JsonNode task = api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).findFirst().orElseThrow();
        Api.Response done = api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", true)));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(api.status(instance)).isEqualTo("COMPLETED"));
        assertThat(api.instance(instance).get("variables").get("booked").asBoolean()).isTrue();
    }

    private JsonNode awaitIncidentOn(String queue) {
        await().atMost(WAIT).until(() -> incidentsOn(queue).size() == 1);
        return incidentsOn(queue).get(0);
    }

    private List<JsonNode> incidentsOn(String queue) {
        return api.incidents().stream().filter(i -> queue.equals(i.get("queue").asText())).toList();
    }

    private long unknownInstanceWarnings(String instance) {
        return stepRunnerLog.events.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith(HubCodes.UNKNOWN_INSTANCE) && m.contains(instance))
                .count();
    }

    @FunctionalInterface
    private interface MessageFactory {
        Message create(Session session) throws JMSException;
    }

    private void send(String queue, MessageFactory message) throws JMSException {
        try (Connection connection = jms.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(message.create(session));
        }
    }

    private int depth(String queue) throws JMSException {
        try (Connection connection = jms.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            connection.start();
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    /** Log events of one logger, readable while the hub's threads append. */
    private static final class Captured extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    }
}
