package dev.baton.hub.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding;
import org.apache.activemq.artemis.core.security.SecurityAuth;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerQueuePlugin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.baton.hub.runtime.Queues;

/**
 * {@code baton_queue_depth{queue, state}}: the commands in each Baton queue of the embedded broker, by
 * state: {@code ready} (due, waiting for a consumer), {@code scheduled} (timers, retry back-offs: not due
 * yet), {@code delivering} (in a consumer's open batch). Read from the broker's own counters when
 * Prometheus scrapes, never on the hand-off path; a queue's gauges come and go with the queue (a broker
 * plugin tells). With an external broker ({@code baton.broker.url}) there is no such gauge: the broker
 * exports its own metrics (Artemis' Prometheus plugin).
 */
@Component
public class QueueDepthMetrics implements ActiveMQServerQueuePlugin {

    private static final String NAME = "baton.queue.depth";

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    public QueueDepthMetrics(MeterRegistry registry, ObjectProvider<EmbeddedActiveMQ> embedded) {
        this.registry = registry;
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        if (broker != null) {
            ActiveMQServer server = broker.getActiveMQServer();
            // the plugin first, so that no queue created meanwhile is missed; adding one twice is harmless
            server.registerBrokerPlugin(this);
            server.getPostOffice().getAllBindings()
                    .filter(LocalQueueBinding.class::isInstance)
                    .forEach(b -> add(((LocalQueueBinding) b).getQueue()));
        }
    }

    @Override
    public void afterCreateQueue(Queue queue) {
        add(queue);
    }

    @Override
    public void afterDestroyQueue(Queue queue, SimpleString address, SecurityAuth session, boolean checkConsumerCount,
                                  boolean removeConsumers, boolean autoDeleteAddress) {
        List<Meter> gone = meters.remove(queue.getName().toString());
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }

    private void add(Queue queue) {
        String name = queue.getName().toString();
        if (!name.startsWith(Queues.PREFIX)) {
            return;
        }
        meters.computeIfAbsent(name, n -> List.of(
                gauge(queue, "ready", q -> Math.max(0, q.getMessageCount() - q.getScheduledCount()
                        - q.getDeliveringCount())),
                gauge(queue, "scheduled", Queue::getScheduledCount),
                gauge(queue, "delivering", Queue::getDeliveringCount)));
    }

    private Meter gauge(Queue queue, String state, ToDoubleFunction<Queue> value) {
        return Gauge.builder(NAME, queue, value)
                .description("Commands in a Baton queue of the embedded broker: ready (due), scheduled (not due yet),"
                        + " delivering (in a consumer's open batch)")
                .tag("queue", queue.getName().toString()).tag("state", state)
                .register(registry);
    }
}
