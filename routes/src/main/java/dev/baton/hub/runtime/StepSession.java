package dev.baton.hub.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.hub.HubCodes;

/**
 * One transacted JMS session on a step queue, and what a step consumer does with the messages it took
 * in it, whichever way it took them: hand the batch to the route, send the commands the route produced,
 * commit; on failure roll back, and the broker delivers the batch again after its redelivery delay. A
 * redelivered command (or a copy of one a restart re-sent) runs under a marker
 * ({@link InterruptedDeliveries}); taken by the pooled consumer, a redelivered one runs alone. Not thread-safe: one batch at a time.
 */
final class StepSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StepSession.class);

    private final DefaultConsumer consumer;
    private final StepQueueEndpoint endpoint;
    private final Session session;
    private final MessageProducer producer;
    private final Map<String, Queue> destinations = new HashMap<>();

    StepSession(DefaultConsumer consumer, StepQueueEndpoint endpoint, Session session) throws JMSException {
        this.consumer = consumer;
        this.endpoint = endpoint;
        this.session = session;
        this.producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    Session session() {
        return session;
    }

    /**
     * Runs one batch in one JMS transaction, committed or rolled back on return.
     *
     * @throws JMSException when the session itself failed (the caller starts a new one)
     */
    void process(List<Message> messages) throws JMSException {
        StepQueueComponent component = endpoint.getComponent();
        CommandCodec codec = component.codec();
        List<Command> commands = new ArrayList<>(messages.size());
        Map<Command, StepBatch.Delivery> deliveries = new IdentityHashMap<>(messages.size() * 2);
        List<Command> redelivered = new ArrayList<>(1);
        for (Message m : messages) {
            try {
                Command c = codec.fromMessage(m);
                commands.add(c);
                deliveries.put(c, deliveryOf(m));
                if (isRedelivery(m)) {
                    redelivered.add(c);
                }
            } catch (RuntimeException e) {
                deadLetter(m, e.getMessage());
            }
        }
        InterruptedDeliveries.Marks marks;
        try {
            if (redelivered.size() < commands.size()) {
                List<Command> first = new ArrayList<>(commands);
                redelivered.forEach(r -> first.removeIf(c -> c == r));
                redelivered.addAll(component.interrupted().markedEarlier(first));
            }
            marks = component.interrupted().begin(redelivered, endpoint.getQueue());
        } catch (RuntimeException e) {
            rollback(commands, e); // the markers could not be written (database down): try again later
            return;
        }
        try {
            for (Command parked : marks.parked()) {
                commands.removeIf(c -> c == parked); // an incident now: acknowledged without running
            }
            run(messages, commands, deliveries);
        } finally {
            component.interrupted().end(marks);
        }
    }

    private void run(List<Message> messages, List<Command> commands, Map<Command, StepBatch.Delivery> deliveries)
            throws JMSException {
        CommandCodec codec = endpoint.getComponent().codec();
        Instant pickedUp = Instant.now();
        for (Message m : messages) {
            handoffLatency(m, pickedUp);
        }
        StepBatch batch = new StepBatch(endpoint.getQueue(), commands, pickedUp, deliveries);
        Exchange exchange = consumer.createExchange(false);
        try {
            exchange.getMessage().setBody(batch);
            if (!commands.isEmpty()) {
                consumer.getProcessor().process(exchange);
            }
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            for (Outgoing out : batch.outgoing()) {
                String name = out.command().queue();
                Queue destination = destinations.computeIfAbsent(name, this::queue);
                producer.send(destination, codec.toMessage(session, out));
            }
            session.commit();
        } catch (Exception e) {
            rollback(commands, e);
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    private void rollback(List<Command> commands, Exception cause) throws JMSException {
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        LOG.warn("{} batch of {} command(s) on {} rolled back; the broker delivers it again: {}",
                HubCodes.BATCH_ROLLED_BACK, commands.size(), endpoint.getQueue(), reason, cause);
        for (Command c : commands) {
            endpoint.getComponent().failures().record(c, reason);
        }
        session.rollback();
    }

    private void deadLetter(Message m, String reason) throws JMSException {
        LOG.error("{} message {} on {} is not a Baton command and goes to {}: {}", HubCodes.NOT_A_COMMAND,
                m.getJMSMessageID(), endpoint.getQueue(), Queues.DEAD_LETTER, reason);
        TextMessage copy = session.createTextMessage(m instanceof TextMessage t ? t.getText() : null);
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMSX") && !name.startsWith("_AMQ")) {
                copy.setObjectProperty(name, m.getObjectProperty(name));
            }
        }
        copy.setStringProperty("batonError", HubCodes.NOT_A_COMMAND + ": " + reason);
        copy.setStringProperty("batonOriginalQueue", endpoint.getQueue());
        producer.send(queue(Queues.DEAD_LETTER), copy);
    }

    /**
     * From when a command was due (sent, or its scheduled time: a timer or a retry's back-off) to when a
     * consumer picked it up: how long hand-offs wait in the queue.
     */
    private void handoffLatency(Message m, Instant pickedUp) {
        try {
            long due = m.getJMSTimestamp();
            if (m.propertyExists(CommandCodec.SCHEDULED_DELIVERY)) {
                due = Math.max(due, m.getLongProperty(CommandCodec.SCHEDULED_DELIVERY));
            }
            if (due > 0 && !isRedelivery(m)) {
                endpoint.getComponent().metrics().handoffLatency(endpoint.getQueue(),
                        Duration.ofMillis(Math.max(0, pickedUp.toEpochMilli() - due)));
            }
        } catch (JMSException e) {
            // a message without its header: nothing to measure
        }
    }

    private static StepBatch.Delivery deliveryOf(Message m) {
        try {
            long sent = m.getJMSTimestamp();
            Instant scheduled = m.propertyExists(CommandCodec.SCHEDULED_DELIVERY)
                    ? Instant.ofEpochMilli(m.getLongProperty(CommandCodec.SCHEDULED_DELIVERY)) : null;
            return new StepBatch.Delivery(sent > 0 ? Instant.ofEpochMilli(sent) : null, scheduled, isRedelivery(m));
        } catch (JMSException e) {
            return null; // a message without its headers: its span simply has no wait before it
        }
    }

    /**
     * Whether the broker delivered this message before: after a rolled-back attempt, or (delivery counts
     * being persisted before delivery) to a hub that stopped before acknowledging it.
     */
    static boolean isRedelivery(Message m) throws JMSException {
        return m.getJMSRedelivered();
    }

    private Queue queue(String name) {
        try {
            return session.createQueue(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (JMSException e) {
            LOG.debug("Closing a step session of {} failed", endpoint.getQueue(), e);
        }
    }
}
