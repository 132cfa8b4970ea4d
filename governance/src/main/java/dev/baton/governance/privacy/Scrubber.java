package dev.baton.governance.privacy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Removes known personal values from free text (error messages, log lines, span status) and from JSON
 * trees: each occurrence becomes {@link PersonalFields#MASK}. A value is found as written, in any
 * letter case, JSON-escaped (as it appears inside a JSON document) and URL-encoded (as it appears in
 * a query string). Values shorter than {@link #MIN_LENGTH} characters are left in text: replacing
 * every "a" or "7" would destroy the text without protecting anyone. Immutable and thread-safe.
 */
public final class Scrubber {

    /** The shortest value scrubbed from text. */
    public static final int MIN_LENGTH = 2;
    /** Scrubs nothing. */
    public static final Scrubber NONE = new Scrubber(Set.of(), null);

    private final Set<String> values;
    private final Pattern pattern;

    private Scrubber(Set<String> values, Pattern pattern) {
        this.values = values;
        this.pattern = pattern;
    }

    /** A scrubber of these values; blank and too short ones are left out. */
    public static Scrubber of(Collection<String> values) {
        Set<String> kept = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank() && v.length() >= MIN_LENGTH) {
                    kept.add(v);
                }
            }
        }
        if (kept.isEmpty()) {
            return NONE;
        }
        Set<String> forms = new LinkedHashSet<>();
        for (String v : kept) {
            forms.add(v);
            forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(v)));
            forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
            forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        // Longest first, so a value containing another is replaced whole.
        List<String> ordered = new ArrayList<>(forms);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        Pattern pattern = Pattern.compile(ordered.stream().map(Pattern::quote).collect(Collectors.joining("|")),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new Scrubber(Set.copyOf(kept), pattern);
    }

    public boolean isEmpty() {
        return pattern == null;
    }

    /** A scrubber of the values of both. */
    public Scrubber and(Scrubber other) {
        if (other == null || other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Set<String> both = new LinkedHashSet<>(values);
        both.addAll(other.values);
        return of(both);
    }

    /** The text with every personal value masked; null stays null. */
    public String scrub(String text) {
        if (text == null || pattern == null || text.isEmpty()) {
            return text;
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(Matcher.quoteReplacement(PersonalFields.MASK)) : text;
    }

    /**
     * A deep copy of a JSON tree with every string scrubbed (object keys included) and every number
     * that equals a personal value masked; so a JSON document stays well-formed where scrubbing its
     * text could break a number.
     */
    public JsonNode scrubTree(JsonNode tree) {
        if (tree == null || pattern == null) {
            return tree;
        }
        return scrubNode(tree.deepCopy());
    }

    private JsonNode scrubNode(JsonNode node) {
        if (node.isTextual()) {
            String scrubbed = scrub(node.textValue());
            return scrubbed.equals(node.textValue()) ? node : TextNode.valueOf(scrubbed);
        }
        if (node.isNumber()) {
            return values.contains(node.asText()) ? TextNode.valueOf(PersonalFields.MASK) : node;
        }
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            object.removeAll();
            for (Map.Entry<String, JsonNode> f : fields) {
                object.set(scrub(f.getKey()), scrubNode(f.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, scrubNode(array.get(i)));
            }
        }
        return node;
    }

    @Override
    public String toString() {
        // Never the values: a scrubber must not become the leak it prevents.
        return "Scrubber[" + values.size() + " value(s)]";
    }
}
