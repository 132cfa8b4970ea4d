package dev.baton.hub.trigger;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;

/**
 * Reads CloudEvents 1.0 in structured mode ({@code application/cloudevents+json}) and binary mode
 * ({@code ce-*} headers, the body as {@code data}). Every missing or invalid required attribute is
 * reported at once, which the CloudEvents SDK's readers (stopping at the first) do not do.
 */
@Component
public class CloudEventReader {

    /** One problem with an event, as the 400 answer lists it. */
    public record Problem(String attribute, String message) {
    }

    /** The longest id, source and type kept: the widths of the columns that record events. */
    public static final int MAX_ATTRIBUTE = 250;

    private final ObjectMapper json;

    public CloudEventReader(ObjectMapper json) {
        this.json = json;
    }

    public CloudEvent structured(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (Exception e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_EVENT,
                    "Expected a CloudEvent as a JSON object, but the body is not JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_EVENT,
                    "Expected a CloudEvent as a JSON object, but the body is " + (root == null ? "empty" : root.getNodeType()));
        }
        Object data = null;
        if (root.has("data")) {
            data = json.convertValue(root.get("data"), Object.class);
        } else if (root.has("data_base64")) {
            data = root.get("data_base64").asText();
        }
        return validated(name -> {
            JsonNode n = root.get(name);
            return n == null || n.isNull() ? null : (n.isTextual() ? n.asText() : n.toString());
        }, name -> root.has(name) && !root.get(name).isNull() && !root.get(name).isTextual(), data);
    }

    /**
     * @param headers lower-case header names
     */
    public CloudEvent binary(Map<String, String> headers, String contentType, byte[] body) {
        Object data = null;
        if (body != null && body.length > 0) {
            if (contentType == null || contentType.contains("json")) {
                try {
                    data = json.readValue(body, Object.class);
                } catch (Exception e) {
                    throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_EVENT,
                            "Expected the event data to be JSON (Content-Type " + contentType + "), but it is not: "
                                    + firstLine(e));
                }
            } else {
                data = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        final Object payload = data;
        return validated(name -> {
            if (name.equals("datacontenttype")) {
                return contentType;
            }
            return headers.get("ce-" + name);
        }, name -> false, payload);
    }

    private CloudEvent validated(Function<String, String> attribute, Function<String, Boolean> notAString, Object data) {
        List<Problem> problems = new ArrayList<>();
        String specversion = required(attribute, notAString, "specversion", problems);
        String id = required(attribute, notAString, "id", problems);
        String source = required(attribute, notAString, "source", problems);
        String type = required(attribute, notAString, "type", problems);
        if (specversion != null && !"1.0".equals(specversion)) {
            problems.add(new Problem("specversion", "Expected specversion '1.0', but it is '" + specversion + "'"));
        }
        if (source != null) {
            try {
                URI.create(source);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("source", "Expected source to be a URI-reference, but it is '" + source + "'"));
            }
        }
        String time = attribute.apply("time");
        if (time != null) {
            try {
                OffsetDateTime.parse(time);
            } catch (DateTimeParseException e) {
                problems.add(new Problem("time", "Expected time in RFC 3339 form, but it is '" + time + "'"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_EVENT,
                    "The CloudEvent is not valid: " + problems.size() + " problem(s)", problems);
        }
        return new CloudEvent(id, source, type, specversion, attribute.apply("subject"), time,
                attribute.apply("datacontenttype"), data);
    }

    private static String required(Function<String, String> attribute, Function<String, Boolean> notAString,
                                   String name, List<Problem> problems) {
        if (notAString.apply(name)) {
            problems.add(new Problem(name, "Expected attribute '" + name + "' to be a string, but it is not"));
            return null;
        }
        String value = attribute.apply(name);
        if (value == null || value.isBlank()) {
            problems.add(new Problem(name, "Expected required attribute '" + name + "', but it is missing"));
            return null;
        }
        if (value.length() > MAX_ATTRIBUTE) {
            problems.add(new Problem(name, "Expected attribute '" + name + "' to have at most " + MAX_ATTRIBUTE
                    + " characters, but it has " + value.length()));
            return null;
        }
        return value;
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
