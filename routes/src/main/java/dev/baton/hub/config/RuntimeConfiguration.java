package dev.baton.hub.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.baton.connectors.http.HttpConnector;
import dev.baton.connectors.http.HttpProperties;
import dev.baton.hub.runtime.CommandCodec;
import dev.baton.hub.runtime.DeliveryFailures;
import dev.baton.hub.runtime.InterruptedDeliveries;
import dev.baton.hub.runtime.StepQueueComponent;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.ExpressionEvaluator;

/** The decision function, the step-queue component and the connectors, wired together. */
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

    /**
     * Settings of the HTTP connector, root {@code baton.connectors.http}.
     *
     * @param enabled           whether call steps may use {@code http.*}
     * @param timeout           connect and response timeout of a call unless the step sets one
     * @param retryableStatuses statuses after which another attempt may succeed
     */
    @ConfigurationProperties("baton.connectors.http")
    record HttpSettings(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration timeout,
                        @DefaultValue({"408", "425", "429", "500", "502", "503", "504"}) Set<Integer> retryableStatuses) {
    }

    @Bean
    @ConditionalOnProperty(prefix = "baton.connectors.http", name = "enabled", matchIfMissing = true)
    HttpConnector httpConnector(HttpSettings settings) {
        return new HttpConnector(new HttpProperties(settings.enabled(), settings.timeout(), settings.retryableStatuses()));
    }
}
