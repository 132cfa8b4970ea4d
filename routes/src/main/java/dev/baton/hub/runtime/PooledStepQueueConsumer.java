package dev.baton.hub.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.MessageHandler;
import org.apache.activemq.artemis.core.client.impl.ClientConsumerInternal;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.hub.HubCodes;

/**
 * The pooled consumer (the default): a step queue costs sessions, not threads. Each of its
 * {@code consumers} is a transacted session on its pool's shared connection with an asynchronous
 * handler; the broker's client runs the handlers of all sessions of a pool on that pool's bounded
 * threads ({@link StepQueueComponent.Pool}), one batch at a time per session. A handler acknowledges
 * each message in the session's transaction and runs the batch once the session's buffer holds no more
 * (or the batch is full): a batch is what a blocking consumer would have taken with
 * {@code receiveNoWait()}, one JMS and one database transaction. A redelivered message is run alone.
 *
 * <p>A pool thread serves a session while its buffer has messages, as a dedicated thread would: with
 * more step queues busy at the same time than the pool has threads, a queue waits until a busy one
 * drains. Call steps have a pool of their own, so a remote system that answers slowly never holds up
 * routing.
 */
final class PooledStepQueueConsumer extends DefaultConsumer implements ShutdownPrepared, StepQueueComponent.Taking {

    private static final Logger LOG = LoggerFactory.getLogger(PooledStepQueueConsumer.class);
    private static final long RECONNECT_MILLIS = 1000;

    private final StepQueueEndpoint endpoint;
    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Future<?> subscribing;

    PooledStepQueueConsumer(StepQueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        endpoint.getComponent().register(this);
        subscribing = endpoint.getComponent().subscribe(this::subscribeOrRetry);
    }

    /**
     * Opens the sessions (the first creates the queue if it does not exist yet), on the component's
     * subscribing threads: a broker round trip or three per session, which for a definition of thousands
     * of steps is most of its deployment, so they run in parallel rather than one route start after another.
     */
    private void subscribeOrRetry() {
        try {
            subscribe();
        } catch (Exception e) {
            LOG.error("{} consumers of {} could not subscribe; trying again in 1 s", HubCodes.BATCH_ROLLED_BACK,
                    endpoint.getQueue(), e);
            closeSlots();
            endpoint.getComponent().later(this::resubscribe, RECONNECT_MILLIS);
        }
    }

    private void subscribe() throws JMSException, ActiveMQException {
        Connection connection = endpoint.getComponent().pooledConnection(endpoint.getPool());
        for (int i = 0; i < endpoint.getConsumers() && running; i++) {
            slots.add(new Slot(connection, i == 0));
        }
    }

    /** Stop taking batches at once; a batch in hand finishes (commits or rolls back) first. */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        stopTaking();
    }

    @Override
    public void stopTaking() {
        running = false;
        slots.forEach(Slot::stopTaking);
    }

    @Override
    protected void doStop() throws Exception {
        stopTaking();
        endpoint.getComponent().unregister(this);
        if (subscribing != null) {
            try { // a subscription under way stops opening sessions (running is false); those it opened close below
                subscribing.get(30, TimeUnit.SECONDS);
            } catch (CancellationException | ExecutionException | TimeoutException e) {
                // never ran, or failed: nothing more to wait for
            }
        }
        closeSlots();
        super.doStop();
    }

    private void closeSlots() {
        slots.forEach(Slot::close);
        slots.clear();
    }

    StepQueueComponent.Pool pool() {
        return endpoint.getPool();
    }

    /** The pool's connection failed: its sessions are gone; subscribe again on a new one until that works. */
    void connectionLost() {
        closeSlots();
        endpoint.getComponent().later(this::resubscribe, RECONNECT_MILLIS);
    }

    private void resubscribe() {
        if (!running || !isRunAllowed()) {
            return;
        }
        subscribeOrRetry();
    }

    /** One session on the queue and the batch its handler is gathering. */
    private final class Slot implements MessageHandler {

        private final StepSession session;
        private final ClientSession core;
        private final ClientConsumerInternal consumer;
        /** First deliveries acknowledged in the open transaction and not run yet. */
        private final List<Message> gathered = new ArrayList<>();
        private volatile boolean taking = true;

        Slot(Connection connection, boolean createQueue) throws JMSException, ActiveMQException {
            Session jms = connection.createSession(true, Session.SESSION_TRANSACTED);
            this.core = ((ActiveMQSession) jms).getCoreSession();
            this.session = new StepSession(PooledStepQueueConsumer.this, endpoint, jms);
            try {
                SimpleString queue = SimpleString.of(endpoint.getQueue());
                if (createQueue) {
                    try { // as the JMS client creates a queue it consumes (the broker's address settings allow it)
                        core.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                                .setDurable(true).setAutoCreated(true));
                    } catch (ActiveMQQueueExistsException exists) {
                        // deployed before, or created by a node that deployed it
                    }
                }
                this.consumer = (ClientConsumerInternal) core.createConsumer(queue);
                consumer.setMessageHandler(this);
            } catch (ActiveMQException | RuntimeException e) {
                session.close();
                throw e;
            }
        }

        /** Runs on a thread of the pool, one message at a time per session, in the order the buffer holds them. */
        @Override
        public void onMessage(ClientMessage message) {
            synchronized (this) {
                try {
                    ActiveMQMessage m = ActiveMQMessage.createMessage(message, core);
                    m.doBeforeReceive();
                    if (message.getDeliveryCount() > 1) {
                        runGathered();
                        message.acknowledge();
                        session.process(List.of(m));
                        return;
                    }
                    message.acknowledge();
                    gathered.add(m);
                    if (gathered.size() >= endpoint.getBatchSize() || consumer.getBufferSize() == 0 || !taking) {
                        runGathered();
                    }
                } catch (Exception e) {
                    failed(e);
                }
            }
        }

        private void runGathered() throws JMSException {
            if (gathered.isEmpty()) {
                return;
            }
            List<Message> batch = new ArrayList<>(gathered);
            gathered.clear();
            session.process(batch);
        }

        private void failed(Exception e) {
            gathered.clear();
            LOG.error("{} a consumer of {} failed; its uncommitted batch goes back to the queue", HubCodes.BATCH_ROLLED_BACK,
                    endpoint.getQueue(), e);
            try {
                session.session().rollback();
            } catch (JMSException rollbackFailed) {
                LOG.debug("Rolling back after a failure failed too", rollbackFailed);
            }
        }

        /**
         * Stops delivery to this session: returns once a batch in hand has finished; a batch still being
         * gathered (its session stopped before its last message arrived) runs now.
         */
        void stopTaking() {
            if (!taking) {
                return;
            }
            taking = false;
            try {
                core.stop();
            } catch (ActiveMQException e) {
                LOG.debug("Stopping a session of {} failed", endpoint.getQueue(), e);
            }
            synchronized (this) {
                try {
                    runGathered();
                } catch (Exception e) {
                    failed(e);
                }
            }
        }

        void close() {
            taking = false;
            synchronized (this) {
                gathered.clear(); // acknowledged but not committed: closing rolls them back to the queue
                session.close();
            }
        }
    }
}
