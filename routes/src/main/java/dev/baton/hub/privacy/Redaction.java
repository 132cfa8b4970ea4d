package dev.baton.hub.privacy;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.governance.privacy.PersonalFields;
import dev.baton.governance.privacy.Scrubber;

/**
 * What one caller may see of one instance's personal data: nothing changes for a cleared caller
 * ({@link #NONE}); for anyone else personal fields are masked and their values scrubbed from texts.
 *
 * @param fields   the definition's personal fields, masked in variables and the business key
 * @param scrubber the instance's personal values, scrubbed from error texts and stored commands
 */
public record Redaction(PersonalFields fields, Scrubber scrubber) {

    /** What a cleared caller gets: everything as stored. */
    public static final Redaction NONE = new Redaction(PersonalFields.NONE, Scrubber.NONE);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The variables with the personal fields masked, and the personal values scrubbed from every other
     * text too: a greeting built from a name is as personal as the name.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> variables(Map<String, Object> variables) {
        if (variables == null || fields.isEmpty()) {
            return variables;
        }
        JsonNode tree = JSON.valueToTree(variables);
        return JSON.convertValue(scrubber.scrubTree(fields.maskTree(tree)), Map.class);
    }

    /**
     * Any JSON-shaped value (a multi-instance step's elements and results) with the personal values scrubbed:
     * its paths are not the definition's, so only the values can be recognised.
     */
    public Object value(Object value) {
        if (value == null || scrubber.isEmpty()) {
            return value;
        }
        return JSON.convertValue(scrubber.scrubTree(JSON.valueToTree(value)), Object.class);
    }

    public String businessKey(String businessKey) {
        return fields.maskBusinessKey(businessKey);
    }

    public String text(String text) {
        return scrubber.scrub(text);
    }

    /** A JSON document (a stored command) with the personal values scrubbed; still well-formed. */
    public String json(String json) {
        if (json == null || scrubber.isEmpty()) {
            return json;
        }
        try {
            return JSON.writeValueAsString(scrubber.scrubTree(JSON.readTree(json)));
        } catch (JsonProcessingException notJson) {
            return scrubber.scrub(json);
        }
    }

    /** The same, scrubbing more values too (a command's payload that is not in the variables yet). */
    public Redaction and(Scrubber more) {
        return this == NONE ? NONE : new Redaction(fields, scrubber.and(more));
    }
}
