package dev.baton.hub.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.hub.HubCodes;

/**
 * Consumes a step queue with {@code consumers} threads. Each thread owns a transacted JMS session
 * and repeats: receive a command (blocking), take what else is already buffered up to
 * {@code batchSize}, hand the batch to the route, send the commands the route produced, commit. If
 * the route fails the session rolls back and the broker delivers the batch again after its
 * redelivery delay; redelivered commands are then processed one per transaction, so that one poison
 * command cannot hold back the others, and after its last attempt it is dead-lettered.
 */
final class StepQueueConsumer extends DefaultConsumer implements ShutdownPrepared {

    private static final Logger LOG = LoggerFactory.getLogger(StepQueueConsumer.class);
    private static final long STOP_WAIT_SECONDS = 30;

    private final StepQueueEndpoint endpoint;
    private volatile boolean running;
    private Connection connection;
    private ExecutorService executor;

    StepQueueConsumer(StepQueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.getComponent().connectionFactory().createConnection();
        connection.start();
        running = true;
        endpoint.getComponent().register(this);
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "baton-step " + endpoint.getQueue(), endpoint.getConsumers());
        for (int i = 0; i < endpoint.getConsumers(); i++) {
            executor.submit(this::loop);
        }
    }

    /**
     * Graceful shutdown: stop taking new batches at once; the batches in hand finish and commit (or
     * roll back to their queue) in {@link #doStop()}.
     */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        running = false;
    }

    /** Stop taking batches; the ones in hand go on. */
    void stopTaking() {
        running = false;
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        endpoint.getComponent().unregister(this);
        if (executor != null) {
            executor.shutdown();
            // Let each thread finish (and commit) the batch in hand; what remains is rolled back by closing.
            if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(executor);
        }
        if (connection != null) {
            connection.close();
        }
        super.doStop();
    }

    private void loop() {
        while (running) {
            try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
                consume(session);
            } catch (Exception e) {
                if (running) {
                    LOG.error("{} consumer of {} lost its session; reconnecting in 1 s", HubCodes.BATCH_ROLLED_BACK,
                            endpoint.getQueue(), e);
                    pause();
                }
            }
        }
    }

    private void consume(Session session) throws JMSException {
        Queue queue = session.createQueue(endpoint.getQueue());
        Map<String, Queue> destinations = new HashMap<>();
        CommandCodec codec = endpoint.getComponent().codec();
        try (MessageConsumer consumer = session.createConsumer(queue);
             MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            while (running) {
                Message first = consumer.receive(endpoint.getReceiveTimeout());
                if (first == null) {
                    continue;
                }
                List<Message> messages = new ArrayList<>();
                messages.add(first);
                if (!isRedelivery(first)) {
                    while (messages.size() < endpoint.getBatchSize()) {
                        Message next = consumer.receiveNoWait();
                        if (next == null) {
                            break;
                        }
                        messages.add(next);
                    }
                }
                List<Command> commands = new ArrayList<>(messages.size());
                Map<Command, StepBatch.Delivery> deliveries = new IdentityHashMap<>(messages.size() * 2);
                for (Message m : messages) {
                    try {
                        Command c = codec.fromMessage(m);
                        commands.add(c);
                        deliveries.put(c, deliveryOf(m));
                    } catch (RuntimeException e) {
                        deadLetter(session, producer, m, e.getMessage());
                    }
                }
                Instant pickedUp = Instant.now();
                for (Message m : messages) {
                    handoffLatency(m, pickedUp);
                }
                StepBatch batch = new StepBatch(endpoint.getQueue(), commands, pickedUp, deliveries);
                Exchange exchange = createExchange(false);
                try {
                    exchange.getMessage().setBody(batch);
                    if (!commands.isEmpty()) {
                        getProcessor().process(exchange);
                    }
                    if (exchange.getException() != null) {
                        throw exchange.getException();
                    }
                    for (Outgoing out : batch.outgoing()) {
                        String name = out.command().queue();
                        Queue destination = destinations.computeIfAbsent(name, n -> queue(session, n));
                        producer.send(destination, codec.toMessage(session, out));
                    }
                    session.commit();
                } catch (Exception e) {
                    rollback(session, commands, e);
                } finally {
                    releaseExchange(exchange, false);
                }
            }
        }
    }

    private void rollback(Session session, List<Command> commands, Exception cause) throws JMSException {
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        LOG.warn("{} batch of {} command(s) on {} rolled back; the broker delivers it again: {}",
                HubCodes.BATCH_ROLLED_BACK, commands.size(), endpoint.getQueue(), reason, cause);
        for (Command c : commands) {
            endpoint.getComponent().failures().record(c, reason);
        }
        session.rollback();
    }

    private void deadLetter(Session session, MessageProducer producer, Message m, String reason) throws JMSException {
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
        producer.send(queue(session, Queues.DEAD_LETTER), copy);
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
                        java.time.Duration.ofMillis(Math.max(0, pickedUp.toEpochMilli() - due)));
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

    private static boolean isRedelivery(Message m) throws JMSException {
        return m.getJMSRedelivered();
    }

    private static Queue queue(Session session, String name) {
        try {
            return session.createQueue(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
