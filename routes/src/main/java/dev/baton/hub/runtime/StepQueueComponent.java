package dev.baton.hub.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.hub.HubCodes;
import dev.baton.hub.config.HubProperties.ConsumerMode;
import dev.baton.hub.metrics.HubMetrics;

/**
 * {@code baton-step:<queue>?consumers=1&batchSize=200&pool=steps}: consumes a step queue in batches, each
 * batch one JMS transaction in which the commands the batch produces are sent before the commit.
 *
 * <p>Why not camel-jms: its consumer (Spring's listener container) runs one transaction per
 * message, and every JMS commit waits for the broker's journal to fsync. Batching the consume, the
 * database transaction and the sends is what lets a hand-off be durable and cheap at once.
 *
 * <p>In the default pooled mode the component owns a connection and a bounded thread pool per
 * {@link Pool}, shared by every step queue of that pool ({@link PooledStepQueueConsumer}); in the
 * dedicated mode each consumer has a connection and threads of its own ({@link StepQueueConsumer}).
 */
public class StepQueueComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(StepQueueComponent.class);
    /** Consumers subscribing at the same time: their broker round trips (and queue creations) overlap. */
    private static final int SUBSCRIBING_THREADS = 8;
    private static final long SUBSCRIBE_WAIT_SECONDS = 120;

    /** The thread pools of the pooled mode. */
    public enum Pool {
        /** Every step queue but those of call steps. */
        STEPS,
        /** Call steps' queues: their batches wait on remote systems. */
        CALLS
    }

    /** A consumer that can be told to stop taking batches. */
    interface Taking {
        void stopTaking();
    }

    private final ConnectionFactory connectionFactory;
    private final CommandCodec codec;
    private final DeliveryFailures failures;
    private final HubMetrics metrics;
    private final InterruptedDeliveries interrupted;
    private int defaultBatchSize = 200;
    private long receiveTimeoutMillis = 1000;
    private ConsumerMode mode = ConsumerMode.POOLED;
    private final Map<Pool, Integer> poolThreads = new EnumMap<>(Map.of(Pool.STEPS, 16, Pool.CALLS, 32));
    private final Set<Taking> consumers = ConcurrentHashMap.newKeySet();
    private final Map<Pool, Shared> shared = new EnumMap<>(Pool.class);
    private ScheduledExecutorService retries;
    private ThreadPoolExecutor subscribing;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private Supplier<ActiveMQConnectionFactory> poolFactories;

    /** A pool's connection factory, its threads, and its connection once a consumer needed it. */
    private record Shared(ActiveMQConnectionFactory factory, ExecutorService threads, ScheduledExecutorService scheduled,
                          ExecutorService flowControl, Connection[] connection) {
    }

    public StepQueueComponent(ConnectionFactory connectionFactory, CommandCodec codec, DeliveryFailures failures,
                              HubMetrics metrics, InterruptedDeliveries interrupted) {
        this.metrics = metrics;
        this.connectionFactory = connectionFactory;
        this.codec = codec;
        this.failures = failures;
        this.interrupted = interrupted;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StepQueueEndpoint endpoint = new StepQueueEndpoint(uri, this, remaining);
        endpoint.setBatchSize(defaultBatchSize);
        endpoint.setReceiveTimeout(receiveTimeoutMillis);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * When the context starts to stop, every consumer stops taking batches at once. Camel stops routes
     * one by one, and a dedicated consumer waits out its blocking receive (up to the receive timeout):
     * told together, they wind down together instead of one receive timeout per step queue in a row.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        retries = new ScheduledThreadPoolExecutor(1, threads("baton-step-reconnect"));
        subscribing = new ThreadPoolExecutor(SUBSCRIBING_THREADS, SUBSCRIBING_THREADS, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("baton-step-subscribe"));
        subscribing.allowCoreThreadTimeOut(true);
        SimpleEventNotifierSupport stopping = new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                consumers.forEach(Taking::stopTaking);
            }
        };
        getCamelContext().getManagementStrategy().addEventNotifier(stopping);
        ServiceHelper.startService(stopping);
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (shared) {
            for (Shared s : shared.values()) {
                if (s.connection()[0] != null) {
                    try {
                        s.connection()[0].close();
                    } catch (JMSException e) {
                        LOG.debug("Closing a step pool's connection failed", e);
                    }
                }
                s.factory().close();
                s.threads().shutdown();
                s.scheduled().shutdown();
                s.flowControl().shutdown();
            }
            shared.clear();
        }
        if (retries != null) {
            retries.shutdownNow();
        }
        if (subscribing != null) {
            subscribing.shutdownNow();
        }
        super.doStop();
    }

    /**
     * The shared connection of a pool, opened on first use. Its sessions' asynchronous deliveries run on
     * the pool's threads: the broker client's thread pool is the pool (injected, so the hub names, bounds
     * and stops it), with one scheduler thread and one flow-control thread beside it.
     */
    Connection pooledConnection(Pool pool) throws JMSException {
        synchronized (shared) {
            Shared s = shared.computeIfAbsent(pool, this::newPool);
            if (s.connection()[0] == null) {
                Connection connection = s.factory().createConnection();
                connection.setExceptionListener(e -> lost(pool, connection, e));
                connection.start();
                s.connection()[0] = connection;
            }
            return s.connection()[0];
        }
    }

    private Shared newPool(Pool pool) {
        String name = "baton-" + pool.name().toLowerCase();
        int n = poolThreads.get(pool);
        ThreadPoolExecutor threads = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(name));
        threads.allowCoreThreadTimeOut(true); // an idle hub holds no consumer threads
        ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1, threads(name + "-scheduler"));
        ThreadPoolExecutor flowControl = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(name + "-flow"));
        flowControl.allowCoreThreadTimeOut(true);
        ActiveMQConnectionFactory factory = poolFactories.get();
        factory.getServerLocator().setThreadPools(threads, scheduled, flowControl);
        return new Shared(factory, threads, scheduled, flowControl, new Connection[1]);
    }

    private void lost(Pool pool, Connection connection, JMSException cause) {
        synchronized (shared) {
            Shared s = shared.get(pool);
            if (s == null || s.connection()[0] != connection) {
                return;
            }
            s.connection()[0] = null;
        }
        LOG.error("{} the connection of the {} step pool failed; its consumers subscribe again", HubCodes.BATCH_ROLLED_BACK,
                pool, cause);
        try {
            connection.close();
        } catch (JMSException e) {
            LOG.debug("Closing the failed connection failed", e);
        }
        for (Taking consumer : consumers) {
            if (consumer instanceof PooledStepQueueConsumer pooled && pooled.pool() == pool) {
                pooled.connectionLost();
            }
        }
    }

    /** Runs a consumer's subscription on the subscribing threads; {@link #awaitSubscriptions} waits for it. */
    Future<?> subscribe(Runnable subscription) {
        CompletableFuture<Void> f = CompletableFuture.runAsync(subscription, subscribing);
        pending.add(f);
        f.whenComplete((ok, failed) -> pending.remove(f));
        return f;
    }

    /**
     * Returns once every consumer started so far has subscribed (or failed to, and retries on its own):
     * what a deployment waits for before it answers.
     */
    public void awaitSubscriptions() {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(SUBSCRIBE_WAIT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{} step consumers are still subscribing or failed to; they go on trying", HubCodes.BATCH_ROLLED_BACK,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a task once, later, off the consumers' threads. */
    void later(Runnable task, long delayMillis) {
        ScheduledExecutorService r = retries;
        if (r != null && !r.isShutdown()) {
            r.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    void register(Taking consumer) {
        consumers.add(consumer);
    }

    void unregister(Taking consumer) {
        consumers.remove(consumer);
    }

    ConsumerMode mode() {
        return mode;
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    CommandCodec codec() {
        return codec;
    }

    DeliveryFailures failures() {
        return failures;
    }

    HubMetrics metrics() {
        return metrics;
    }

    InterruptedDeliveries interrupted() {
        return interrupted;
    }

    public void setDefaultBatchSize(int defaultBatchSize) {
        this.defaultBatchSize = defaultBatchSize;
    }

    public void setReceiveTimeoutMillis(long receiveTimeoutMillis) {
        this.receiveTimeoutMillis = receiveTimeoutMillis;
    }

    /** A new connection factory to the broker (pooled mode: each pool has one of its own, for its threads). */
    public void setPoolFactories(Supplier<ActiveMQConnectionFactory> poolFactories) {
        this.poolFactories = poolFactories;
    }

    /** Pooled (the default) or dedicated consumers. */
    public void setMode(ConsumerMode mode) {
        this.mode = mode;
    }

    /** Threads of a pool (pooled mode): the most batches of its step queues that run at the same time. */
    public void setPoolThreads(Pool pool, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("A step pool needs at least one thread, not " + threads);
        }
        poolThreads.put(pool, threads);
    }
}
