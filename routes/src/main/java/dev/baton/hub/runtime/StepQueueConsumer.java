package dev.baton.hub.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.hub.HubCodes;

/**
 * The dedicated consumer ({@code baton.engine.consumer-mode=dedicated}): consumes a step queue with
 * {@code consumers} threads of its own. Each thread owns a transacted JMS session and repeats: receive a
 * command (blocking), take what else is already buffered up to {@code batchSize}, and run the batch
 * ({@link StepSession}). Redelivered commands are processed one per transaction, so that one poison
 * command cannot hold back the others. Costs a thread per consumer of every step queue; the default
 * is {@link PooledStepQueueConsumer}.
 */
final class StepQueueConsumer extends DefaultConsumer implements ShutdownPrepared, StepQueueComponent.Taking {

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

    @Override
    public void stopTaking() {
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
            try (StepSession session = new StepSession(this, endpoint,
                    connection.createSession(true, Session.SESSION_TRANSACTED))) {
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

    private void consume(StepSession session) throws JMSException {
        try (MessageConsumer consumer = session.session().createConsumer(
                session.session().createQueue(endpoint.getQueue()))) {
            while (running) {
                Message first = consumer.receive(endpoint.getReceiveTimeout());
                if (first == null) {
                    continue;
                }
                List<Message> messages = new ArrayList<>();
                messages.add(first);
                if (!StepSession.isRedelivery(first)) {
                    while (messages.size() < endpoint.getBatchSize()) {
                        Message next = consumer.receiveNoWait();
                        if (next == null) {
                            break;
                        }
                        messages.add(next);
                    }
                }
                session.process(messages);
            }
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
