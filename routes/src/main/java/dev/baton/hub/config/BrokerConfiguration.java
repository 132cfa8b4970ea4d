package dev.baton.hub.config;

import java.nio.file.Path;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.baton.hub.runtime.Queues;

/**
 * The broker: an embedded Artemis with its persistent journal under the data dir and a CORE
 * acceptor on loopback, or an external one when {@code baton.broker.url} is set; and the connection
 * factories the hub uses. The hub starts the embedded broker itself rather than through Boot's
 * Artemis support, which backs off entirely once the application defines a connection factory.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnExpression("'${baton.broker.url:}'.isBlank()")
    EmbeddedActiveMQ embeddedBroker(HubProperties properties) throws Exception {
        HubProperties.Broker broker = properties.broker();
        Path dir = properties.dataDir().resolve("artemis").toAbsolutePath().normalize();
        Configuration configuration = new ConfigurationImpl()
                .setName("baton")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setJournalBufferTimeout_NIO((int) broker.journalBufferTimeout().toNanos())
                .setJournalBufferTimeout_AIO((int) broker.journalBufferTimeout().toNanos())
                // A message a dead hub had taken comes back as a redelivery, not as new: what lets the hub run it
                // alone and recognise a command that kills it (InterruptedDeliveries). An external broker needs
                // <persist-delivery-count-before-delivery>true</persist-delivery-count-before-delivery> likewise.
                .setPersistDeliveryCountBeforeDelivery(true);
        configuration.addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(),
                Map.of(org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants.SERVER_ID_PROP_NAME,
                        broker.serverId()),
                "in-vm"));
        String acceptor = broker.acceptor();
        if (acceptor != null && !acceptor.isBlank()) {
            int colon = acceptor.lastIndexOf(':');
            String host = colon < 0 ? "127.0.0.1" : acceptor.substring(0, colon);
            String port = colon < 0 ? acceptor : acceptor.substring(colon + 1);
            if ("5672".equals(port)) {
                throw new IllegalStateException("baton.broker.acceptor must not use port 5672 (AMQP's port, taken by"
                        + " RabbitMQ on these machines)");
            }
            configuration.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(),
                    Map.of(TransportConstants.HOST_PROP_NAME, host, TransportConstants.PORT_PROP_NAME, port,
                            TransportConstants.PROTOCOLS_PROP_NAME, "CORE"), "baton-core"));
        }
        configuration.addAddressSetting(Queues.PREFIX + "#", new AddressSettings()
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false)
                .setRedeliveryDelay(broker.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(broker.redeliveryMultiplier())
                .setMaxRedeliveryDelay(broker.maxRedeliveryDelay().toMillis())
                .setMaxDeliveryAttempts(broker.maxDeliveryAttempts())
                .setDeadLetterAddress(SimpleString.of(Queues.DEAD_LETTER))
                // Commands never expire; naming an address keeps the broker from warning about each queue.
                .setExpiryAddress(SimpleString.of(Queues.DEAD_LETTER)));
        // The dead-letter queue never dead-letters: its consumer retries until the incident is stored.
        configuration.addAddressSetting(Queues.DEAD_LETTER, new AddressSettings()
                .setAutoCreateQueues(true)
                .setAutoDeleteQueues(false)
                .setMaxDeliveryAttempts(-1)
                .setExpiryAddress(SimpleString.of(Queues.DEAD_LETTER))
                .setRedeliveryDelay(broker.redeliveryDelay().toMillis()));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(configuration);
        return server;
    }

    /**
     * Raw connections: the dedicated step consumers' long-lived sessions (the pooled ones open factories of
     * their own, whose thread pools they own: StepQueueComponent), and the pool below.
     */
    @Bean(destroyMethod = "close")
    ActiveMQConnectionFactory batonBrokerConnections(HubProperties properties,
                                                     ObjectProvider<EmbeddedActiveMQ> embedded) {
        if (!properties.broker().external()) {
            embedded.getObject(); // the in-VM acceptor exists once the embedded broker has started
        }
        return connections(properties.broker());
    }

    /** A new connection factory to the hub's broker: the external one, or the embedded one in-VM. */
    static ActiveMQConnectionFactory connections(HubProperties.Broker broker) {
        return new ActiveMQConnectionFactory(broker.external() ? broker.url() : "vm://" + broker.serverId());
    }

    /** Pooled connections and sessions: short sends from API calls, camel-jms routes. */
    @Bean(name = "jmsConnectionFactory", destroyMethod = "stop")
    @Primary
    ConnectionFactory jmsConnectionFactory(ActiveMQConnectionFactory batonBrokerConnections) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(batonBrokerConnections);
        pool.setMaxConnections(4);
        pool.setMaxSessionsPerConnection(100);
        return pool;
    }
}
