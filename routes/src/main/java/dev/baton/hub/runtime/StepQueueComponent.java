package dev.baton.hub.runtime;

import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

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
    private int defaultBatchSize = 200;
    private long receiveTimeoutMillis = 1000;

    public StepQueueComponent(ConnectionFactory connectionFactory, CommandCodec codec, DeliveryFailures failures) {
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

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    CommandCodec codec() {
        return codec;
    }

    DeliveryFailures failures() {
        return failures;
    }

    public void setDefaultBatchSize(int defaultBatchSize) {
        this.defaultBatchSize = defaultBatchSize;
    }

    public void setReceiveTimeoutMillis(long receiveTimeoutMillis) {
        this.receiveTimeoutMillis = receiveTimeoutMillis;
    }
}
