package dev.baton.hub.runtime;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsMessage;
import org.springframework.stereotype.Component;

import dev.baton.hub.config.HubProperties;

/**
 * Turns every dead-lettered command into an incident (camel-jms, transacted: a message leaves the
 * dead-letter queue only once its incident is stored).
 */
@Component
public class DeadLetterRoute extends RouteBuilder {

    private final IncidentService incidents;
    private final CommandCodec codec;
    private final DeliveryFailures failures;
    private final int maxDeliveries;

    public DeadLetterRoute(IncidentService incidents, CommandCodec codec, DeliveryFailures failures,
                           HubProperties properties) {
        this.incidents = incidents;
        this.codec = codec;
        this.failures = failures;
        this.maxDeliveries = properties.broker().maxDeliveryAttempts();
    }

    @Override
    public void configure() {
        from("jms:queue:" + Queues.DEAD_LETTER + "?transacted=true&cacheLevelName=CACHE_CONSUMER")
                .routeId("baton.dead-letters")
                .process(exchange -> {
                    Message m = exchange.getMessage(JmsMessage.class).getJmsMessage();
                    Command c;
                    try {
                        c = codec.fromMessage(m);
                    } catch (IllegalArgumentException notACommand) {
                        String queue = m.getStringProperty("batonOriginalQueue");
                        String error = m.getStringProperty("batonError");
                        incidents.unreadable(queue == null ? m.getStringProperty("_AMQ_ORIG_QUEUE") : queue,
                                m instanceof TextMessage t ? t.getText() : null,
                                error == null ? notACommand.getMessage() : error);
                        return;
                    }
                    String lastError = failures.lastErrorOf(c.instanceId(), c.token(), c.attempt(), c.intent().code());
                    incidents.deadLettered(c, maxDeliveries, lastError);
                });
    }
}
