package dev.baton.hub.config;

import java.time.Clock;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.baton.hub.runtime.CommandCodec;
import dev.baton.hub.runtime.DeliveryFailures;
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
                                          dev.baton.hub.metrics.HubMetrics metrics) {
        StepQueueComponent component = new StepQueueComponent(batonBrokerConnections, codec, failures, metrics);
        component.setDefaultBatchSize(properties.engine().batchSize());
        component.setReceiveTimeoutMillis(properties.engine().receiveTimeout().toMillis());
        return component;
    }
}
