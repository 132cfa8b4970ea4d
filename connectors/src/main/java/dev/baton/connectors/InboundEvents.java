package dev.baton.connectors;

import java.time.Instant;

/** The hub's intake for events a connector's inbound routes receive (a change event) or find (a poll). */
public interface InboundEvents {

    /**
     * One event from a connected system, shaped as a CloudEvent.
     *
     * @param id      unique within {@code source}; the same change must always get the same id, so a
     *                replayed or re-polled change is recognised and taken in once
     * @param source  where it came from, a URI reference
     * @param type    e.g. {@code sap.s4.beh.salesorder.v1.SalesOrder.Created.v1}
     * @param subject the record it names, or null
     * @param time    when it happened, or null
     * @param data    JSON-shaped payload
     */
    record Event(String id, String source, String type, String subject, Instant time, Object data) {
    }

    /**
     * Takes in an event on {@code channel} (the name {@code /events/{channel}} would have). Returns once
     * the event is durably taken in, or recognised as taken in before; throws when it could not be, so
     * the inbound route keeps its position and the event comes again.
     */
    void accept(String channel, Event event);
}
