package dev.baton.hub.runtime;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

import dev.baton.hub.config.HubProperties.ConsumerMode;

/**
 * A step queue, consumed by a {@link PooledStepQueueConsumer} or, in the dedicated mode, a
 * {@link StepQueueConsumer}. Consumer only: commands are sent in the consumer's transaction.
 */
public class StepQueueEndpoint extends DefaultEndpoint {

    private final String queue;
    private int consumers = 1;
    private int batchSize = 200;
    private long receiveTimeout = 1000;
    private StepQueueComponent.Pool pool = StepQueueComponent.Pool.STEPS;

    StepQueueEndpoint(String uri, StepQueueComponent component, String queue) {
        super(uri, component);
        this.queue = queue;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("baton-step endpoints only consume; commands are sent by the consumer"
                + " in its own JMS transaction");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DefaultConsumer consumer = getComponent().mode() == ConsumerMode.DEDICATED
                ? new StepQueueConsumer(this, processor) : new PooledStepQueueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public StepQueueComponent getComponent() {
        return (StepQueueComponent) super.getComponent();
    }

    public String getQueue() {
        return queue;
    }

    public int getConsumers() {
        return consumers;
    }

    /** Concurrent consumers: sessions, each running one batch at a time (dedicated mode: a thread each). */
    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Most commands per transaction. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public StepQueueComponent.Pool getPool() {
        return pool;
    }

    /** Which pool's threads run this queue's batches (pooled mode). */
    public void setPool(StepQueueComponent.Pool pool) {
        this.pool = pool;
    }

    public long getReceiveTimeout() {
        return receiveTimeout;
    }

    /** Milliseconds an idle dedicated consumer blocks before it checks whether to stop. */
    public void setReceiveTimeout(long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }
}
