package dev.baton.hub.trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.Trigger;

/**
 * A camel-quartz route per cron or timer trigger of each definition's newest version. Every node fires; the
 * event id carries the scheduled fire time, so the events table lets only one start through.
 */
@Component
public class CronTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(CronTriggers.class);
    /** Milliseconds before a timer's Quartz trigger may first fire: after camel-quartz has registered its endpoint. */
    private static final long TIMER_START_DELAY = 1500;

    private final CamelContext camel;
    private final EventService events;
    private final Map<String, List<String>> routesByDefinition = new ConcurrentHashMap<>();

    public CronTriggers(CamelContext camel, @Lazy EventService events) {
        this.camel = camel;
        this.events = events;
    }

    /** Replaces the cron routes of a definition by those of this version, timing its timer triggers from now. */
    public synchronized void schedule(ProcessDefinition definition) throws Exception {
        schedule(definition, Instant.now());
    }

    /**
     * Replaces the cron and timer routes of a definition by those of this version, deployed at
     * {@code deployedAt}: the instant from which its timer triggers count, the same on every node.
     */
    public synchronized void schedule(ProcessDefinition definition, Instant deployedAt) throws Exception {
        for (String routeId : routesByDefinition.getOrDefault(definition.id(), List.of())) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
        List<String> routeIds = new ArrayList<>();
        int n = 0;
        for (Trigger trigger : definition.triggers()) {
            n++;
            if (trigger instanceof TimerTrigger timer) {
                String routeId = "baton.cron." + definition.id() + "." + n;
                if (scheduleTimer(definition.id(), n, timer, deployedAt, routeId)) {
                    routeIds.add(routeId);
                }
                continue;
            }
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
                                EventService.Answer answer = events.fire(EventService.HUB_CHANNEL_PREFIX + "cron",
                                        event, definitionId);
                                LOG.info("Cron trigger {} of {} fired for {}: {}", triggerNumber, definitionId, at,
                                        answer.duplicate() ? "already started by another node" : answer.instances());
                            });
                }
            });
            routeIds.add(routeId);
        }
        routesByDefinition.put(definition.id(), routeIds);
    }

    /**
     * A camel-quartz simple trigger from the timer's next fire time, every interval, for the fires left.
     * Fire times count from the deployment instant (to the millisecond, as every node reads it back), so each
     * node computes the same ones and names its start by the same event id. The n-th time Quartz fires the
     * route is the n-th fire left, however late it comes (a first fire due within 1.5 s comes that late, as
     * the trigger starts after the endpoint exists, and Quartz may fire late under load).
     *
     * @return false when no fire is left (a date already past), so no route is added
     */
    private boolean scheduleTimer(String definitionId, int triggerNumber, TimerTrigger timer, Instant deployed,
                                  String routeId) throws Exception {
        Instant deployedAt = deployed.truncatedTo(ChronoUnit.MILLIS);
        Instant now = Instant.now();
        long next = timer.nextIndex(deployedAt, now);
        if (next < 0) {
            LOG.info("Timer trigger {} of {} has no fire left after {}; not scheduled", triggerNumber, definitionId,
                    now);
            return false;
        }
        long delay = Math.max(TIMER_START_DELAY, Duration.between(now, timer.fireTime(deployedAt, next)).toMillis());
        long left = timer.fires() - next;
        long interval = timer.every() == null ? 1000 : Math.max(1, timer.every().toMillis());
        long repeatCount = left > Integer.MAX_VALUE ? -1 : left - 1; // -1: Quartz repeats without end
        AtomicLong nextFire = new AtomicLong(next);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("quartz://baton/" + definitionId + "-" + triggerNumber + "?triggerStartDelay=" + delay
                        + "&trigger.repeatInterval=" + interval + "&trigger.repeatCount=" + repeatCount)
                        .routeId(routeId)
                        .process(exchange -> {
                            Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
                            Instant due = timer.fireTime(deployedAt, nextFire.get());
                            if (scheduled != null && scheduled.toInstant().plusSeconds(1).isBefore(due)) {
                                LOG.warn("Timer trigger {} of {} fired at {}, before its fire at {}; ignored",
                                        triggerNumber, definitionId, scheduled.toInstant(), due);
                                return;
                            }
                            long index = nextFire.getAndIncrement();
                            if (index >= timer.fires()) {
                                return;
                            }
                            Instant at = timer.fireTime(deployedAt, index);
                            String id = "timer:" + definitionId + ":" + triggerNumber + ":" + at;
                            CloudEvent event = new CloudEvent(id, "baton:timer/" + definitionId, "dev.baton.timer",
                                    "1.0", null, at.toString(), null, Map.of("scheduledFireTime", at.toString()));
                            EventService.Answer answer = events.fire(EventService.HUB_CHANNEL_PREFIX + "timer",
                                    event, definitionId);
                            LOG.info("Timer trigger {} of {} fired for {}: {}", triggerNumber, definitionId, at,
                                    answer.duplicate() ? "already started by another node" : answer.instances());
                        });
            }
        });
        return true;
    }
}
