package dev.baton.hub.config;

import java.time.Clock;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.baton.hub.runtime.CommandCodec;
import dev.baton.hub.runtime.DeliveryFailures;
import dev.baton.hub.runtime.InterruptedDeliveries;
import dev.baton.hub.runtime.StepQueueComponent;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.ExpressionEvaluator;

/** The decision function and the step-queue component, wired together (the HTTP connector: {@code connect.HttpConfiguration}). */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Engine engine(ExpressionEvaluator expressions) {
        return new Engine(expressions);
    }

    /** Registered under the name step routes use in their URIs. */
    @Bean("baton-step")
    StepQueueComponent stepQueueComponent(ActiveMQConnectionFactory batonBrokerConnections, CommandCodec codec,
                                          DeliveryFailures failures, HubProperties properties,
                                          dev.baton.hub.metrics.HubMetrics metrics,
                                          InterruptedDeliveries interrupted) {
        StepQueueComponent component = new StepQueueComponent(batonBrokerConnections, codec, failures, metrics,
                interrupted);
        component.setDefaultBatchSize(properties.engine().batchSize());
        component.setReceiveTimeoutMillis(properties.engine().receiveTimeout().toMillis());
        component.setMode(properties.engine().consumerMode());
        component.setPoolThreads(StepQueueComponent.Pool.STEPS, properties.engine().consumerThreads());
        component.setPoolThreads(StepQueueComponent.Pool.CALLS, properties.engine().callConsumerThreads());
        // batonBrokerConnections is built once the embedded broker runs, so the in-VM acceptor exists.
        component.setPoolFactories(() -> BrokerConfiguration.connections(properties.broker()));
        return component;
    }
}
