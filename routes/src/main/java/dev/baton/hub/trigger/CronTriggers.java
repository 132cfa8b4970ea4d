package dev.baton.hub.trigger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Trigger;

/**
 * A camel-quartz route per cron trigger of each definition's newest version. Every node fires; the
 * event id carries the scheduled fire time, so the events table lets only one start through.
 */
@Component
public class CronTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(CronTriggers.class);

    private final CamelContext camel;
    private final EventService events;
    private final Map<String, List<String>> routesByDefinition = new ConcurrentHashMap<>();

    public CronTriggers(CamelContext camel, @Lazy EventService events) {
        this.camel = camel;
        this.events = events;
    }

    /** Replaces the cron routes of a definition by those of this version. */
    public synchronized void schedule(ProcessDefinition definition) throws Exception {
        for (String routeId : routesByDefinition.getOrDefault(definition.id(), List.of())) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
        List<String> routeIds = new ArrayList<>();
        int n = 0;
        for (Trigger trigger : definition.triggers()) {
            n++;
            if (!(trigger instanceof CronTrigger cron)) {
                continue;
            }
            String routeId = "baton.cron." + definition.id() + "." + n;
            String definitionId = definition.id();
            int triggerNumber = n;
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // Start the trigger after the endpoint exists: a first fire that is due at once
                    // otherwise races the endpoint's registration and Quartz deletes the job.
                    from("quartz://baton/" + definitionId + "-" + triggerNumber + "?triggerStartDelay=1500&cron="
                            + cron.cron().trim().replace(' ', '+'))
                            .routeId(routeId)
                            .process(exchange -> {
                                Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
                                Instant at = scheduled == null ? Instant.now() : scheduled.toInstant();
                                String id = "cron:" + definitionId + ":" + triggerNumber + ":" + at;
                                CloudEvent event = new CloudEvent(id, "baton:cron/" + definitionId, "dev.baton.cron",
                                        "1.0", null, at.toString(), null, Map.of("scheduledFireTime", at.toString()));
                                EventService.Answer answer = events.fire("cron", event, definitionId);
                                LOG.info("Cron trigger {} of {} fired for {}: {}", triggerNumber, definitionId, at,
                                        answer.duplicate() ? "already started by another node" : answer.instances());
                            });
                }
            });
            routeIds.add(routeId);
        }
        routesByDefinition.put(definition.id(), routeIds);
    }
}
