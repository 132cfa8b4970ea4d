package dev.baton.hub.api;

import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.HubCodes;
import dev.baton.hub.trigger.CloudEvent;
import dev.baton.hub.trigger.CloudEventReader;
import dev.baton.hub.trigger.EventService;

/**
 * {@code POST /events/{source}}: CloudEvents 1.0, structured or binary mode. The path's {@code source} is the
 * channel the caller's credential was checked against ({@code integration:<source>}); the CloudEvent's own
 * {@code source} attribute is the sender's claim, namespaced by the channel (see {@link EventService}).
 */
@RestController
public class EventController {

    private final CloudEventReader reader;
    private final EventService events;

    public EventController(CloudEventReader reader, EventService events) {
        this.reader = reader;
        this.events = events;
    }

    @PostMapping("/events/{source}")
    public ResponseEntity<Map<String, Object>> receive(@PathVariable String source,
                                                       @RequestBody(required = false) byte[] body,
                                                       HttpServletRequest request, Principal caller) {
        if (!source.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_EVENT,
                    "Expected a source name of letters, digits, '.', '_' or '-', but it is '" + source + "'");
        }
        String contentType = request.getContentType();
        CloudEvent event;
        if (contentType != null && contentType.toLowerCase().startsWith("application/cloudevents+json")) {
            event = reader.structured(body == null ? new byte[0] : body);
        } else if (request.getHeader("ce-specversion") != null || request.getHeader("ce-id") != null
                || request.getHeader("ce-type") != null || request.getHeader("ce-source") != null) {
            Map<String, String> headers = new HashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.put(name.toLowerCase(), request.getHeader(name));
            }
            event = reader.binary(headers, contentType, body);
        } else if (contentType != null && contentType.toLowerCase().contains("json")) {
            // Structured mode sent as plain JSON: accepted, as most webhook senders cannot set the media type.
            event = reader.structured(body == null ? new byte[0] : body);
        } else {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HubCodes.INVALID_EVENT,
                    "Expected a CloudEvent: application/cloudevents+json (structured mode) or ce-* headers"
                            + " (binary mode), but Content-Type is '" + contentType + "' and there are no ce-* headers");
        }
        EventService.Answer answer = events.receive(source, event, caller.getName());
        Map<String, Object> body2 = new LinkedHashMap<>();
        body2.put("eventId", answer.eventId());
        // The event's identity is the channel's as well as its source's: say on which the hub took it.
        body2.put("channel", source);
        body2.put("source", event.source());
        body2.put("instances", answer.instances());
        body2.put("correlated", answer.correlated());
        body2.put("duplicate", answer.duplicate());
        return ResponseEntity.status(answer.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(body2);
    }
}
