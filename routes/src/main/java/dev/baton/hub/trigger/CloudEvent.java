package dev.baton.hub.trigger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CloudEvent 1.0 as received, in either content mode.
 *
 * @param id              required
 * @param source          required, a URI-reference
 * @param type            required
 * @param specversion     required, "1.0"
 * @param subject         optional; the default business and correlation key
 * @param time            optional, RFC 3339 as sent
 * @param datacontenttype optional
 * @param data            the payload as JSON-shaped data, or null
 */
public record CloudEvent(String id, String source, String type, String specversion, String subject, String time,
                         String datacontenttype, Object data) {

    /** The event as trigger and correlation expressions see it: its attributes and {@code data}. */
    public Map<String, Object> asJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("specversion", specversion);
        json.put("id", id);
        json.put("source", source);
        json.put("type", type);
        if (subject != null) {
            json.put("subject", subject);
        }
        if (time != null) {
            json.put("time", time);
        }
        if (datacontenttype != null) {
            json.put("datacontenttype", datacontenttype);
        }
        json.put("data", data);
        return json;
    }
}
