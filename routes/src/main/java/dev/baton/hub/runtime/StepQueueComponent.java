package dev.baton.hub.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;

import dev.baton.hub.metrics.HubMetrics;

/**
 * {@code baton-step:<queue>?consumers=1&batchSize=200}: consumes a step queue in batches, each batch
 * one JMS transaction in which the commands the batch produces are sent before the commit.
 *
 * <p>Why not camel-jms: its consumer (Spring's listener container) runs one transaction per
 * message, and every JMS commit waits for the broker's journal to fsync. Batching the consume, the
 * database transaction and the sends is what lets a hand-off be durable and cheap at once.
 */
public class StepQueueComponent extends DefaultComponent {

    private final ConnectionFactory connectionFactory;
    private final CommandCodec codec;
    private final DeliveryFailures failures;
    private final HubMetrics metrics;
    private int defaultBatchSize = 200;
    private long receiveTimeoutMillis = 1000;
    private final Set<StepQueueConsumer> consumers = ConcurrentHashMap.newKeySet();

    public StepQueueComponent(ConnectionFactory connectionFactory, CommandCodec codec, DeliveryFailures failures,
                              HubMetrics metrics) {
        this.metrics = metrics;
        this.connectionFactory = connectionFactory;
        this.codec = codec;
        this.failures = failures;
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
     * one by one, and each consumer waits out its blocking receive (up to the receive timeout): told
     * together, they wind down together instead of one receive timeout per step queue in a row.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SimpleEventNotifierSupport stopping = new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                consumers.forEach(StepQueueConsumer::stopTaking);
            }
        };
        getCamelContext().getManagementStrategy().addEventNotifier(stopping);
        ServiceHelper.startService(stopping);
    }

    void register(StepQueueConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(StepQueueConsumer consumer) {
        consumers.remove(consumer);
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

    public void setDefaultBatchSize(int defaultBatchSize) {
        this.defaultBatchSize = defaultBatchSize;
    }

    public void setReceiveTimeoutMillis(long receiveTimeoutMillis) {
        this.receiveTimeoutMillis = receiveTimeoutMillis;
    }
}
