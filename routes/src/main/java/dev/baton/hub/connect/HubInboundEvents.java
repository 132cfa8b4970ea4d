package dev.baton.hub.connect;

import java.time.format.DateTimeFormatter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.baton.connectors.InboundEvents;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.trigger.CloudEvent;
import dev.baton.hub.trigger.EventService;

/**
 * Hands events from connectors' inbound routes to the same intake as {@code POST /events/{source}}:
 * de-duplicated by channel, source and id, starting and resuming instances in one transaction.
 */
@Component
class HubInboundEvents implements InboundEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HubInboundEvents.class);

    private final EventService events;

    HubInboundEvents(EventService events) {
        this.events = events;
    }

    @Override
    public void accept(String channel, Event event) {
        CloudEvent cloudEvent = new CloudEvent(event.id(), event.source(), event.type(), "1.0", event.subject(),
                event.time() == null ? null : DateTimeFormatter.ISO_INSTANT.format(event.time()), "application/json",
                event.data());
        try {
            events.receive(channel, cloudEvent, "connector:" + channel);
        } catch (ApiException refused) {
            // A trigger's expression failed on this event: asking again cannot help. The caller of
            // /events would get this as a 422; here the operator finds it in the log, with the event.
            LOG.error("Event {} from {} ({}) was refused: {}", event.id(), channel, event.type(), refused.getMessage());
        }
    }
}
