package dev.baton.hub.runtime;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A step queue, consumed by {@link StepQueueConsumer}. Consumer only: commands are sent in the consumer's transaction. */
public class StepQueueEndpoint extends DefaultEndpoint {

    private final String queue;
    private int consumers = 1;
    private int batchSize = 200;
    private long receiveTimeout = 1000;

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
        StepQueueConsumer consumer = new StepQueueConsumer(this, processor);
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

    /** Concurrent consumers (threads, each with its own JMS session). */
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

    public long getReceiveTimeout() {
        return receiveTimeout;
    }

    /** Milliseconds an idle consumer blocks before it checks whether to stop. */
    public void setReceiveTimeout(long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }
}
