package dev.baton.model.parser;

import static dev.baton.model.parser.YamlNodes.describe;
import static dev.baton.model.parser.YamlNodes.isNull;
import static dev.baton.model.parser.YamlNodes.line;
import static dev.baton.model.validation.ValidationMessages.DUPLICATE_KEY;
import static dev.baton.model.validation.ValidationMessages.KEY_NOT_A_NAME;
import static dev.baton.model.validation.ValidationMessages.MISSING_FIELD;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_EXPRESSION;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_INSTANT;
import static dev.baton.model.validation.ValidationMessages.NOT_A_DURATION;
import static dev.baton.model.validation.ValidationMessages.NOT_PLAIN_DATA;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_FIELD;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE_KEY;
import static dev.baton.model.validation.ValidationMessages.WRONG_TYPE;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.baton.model.definition.Expression;
import dev.baton.model.validation.Problem;

/**
 * The entries of one YAML mapping, read field by field. Every getter returns null for an absent or
 * empty field and for a value it reports as wrong, so callers fall back to defaults.
 */
final class Fields {

    private final ParseRun run;
    private final Node node;
    private final String element;
    private final String owner;
    private final String prefix;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    Fields(ParseRun run, MappingNode node, String element, String owner, String prefix) {
        this.run = run;
        this.node = node;
        this.element = element;
        this.owner = owner;
        this.prefix = prefix;
        for (NodeTuple t : node.getValue()) {
            Node key = t.getKeyNode();
            if (!(key instanceof ScalarNode name) || isNull(key)) {
                problem(key, KEY_NOT_A_NAME, subject(), describe(key));
            } else if (entries.putIfAbsent(name.getValue(), t) != null) {
                problem(key, DUPLICATE_KEY, name.getValue(), subject());
            }
        }
    }

    Node node() {
        return node;
    }

    /** Who the fields belong to in messages: {@code the definition}, {@code step 'x'}, {@code trigger 2}. */
    String owner() {
        return owner;
    }

    Set<String> keys() {
        return entries.keySet();
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** Reports every key not in {@code known} and forgets it, so no getter reads it. */
    void allow(List<String> known) {
        for (String key : List.copyOf(entries.keySet())) {
            if (!known.contains(key)) {
                problem(entries.get(key).getKeyNode(), UNKNOWN_FIELD, subject(), String.join(", ", known), key);
                entries.remove(key);
            }
        }
    }

    /** The value, or null for an absent or empty field. */
    Node value(String key) {
        NodeTuple t = entries.get(key);
        return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
    }

    /** The value; reports it as missing (or empty) when there is none. */
    Node required(String key) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            problem(node, MISSING_FIELD, owner, path(key));
            return null;
        }
        Node value = value(key);
        if (value == null) {
            problem(t.getValueNode(), WRONG_TYPE, owner, path(key), "given", "empty");
        }
        return value;
    }

    String text(String key, String expected) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        return wrongType(value, path(key), expected);
    }

    Integer integer(String key) {
        Node value = value(key);
        if (value instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            try {
                return Integer.valueOf(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // an integer too large for int, or in a radix notation: wrong for a count
            }
        }
        return value == null ? null : wrongType(value, path(key), "an integer");
    }

    Double number(String key) {
        Node value = value(key);
        if (value instanceof ScalarNode scalar && (Tag.INT.equals(scalar.getTag()) || Tag.FLOAT.equals(scalar.getTag()))) {
            try {
                return Double.valueOf(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // .inf, .nan and the like: not a usable factor
            }
        }
        return value == null ? null : wrongType(value, path(key), "a number");
    }

    Boolean bool(String key) {
        Node value = value(key);
        if (value instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            return Set.of("true", "yes", "on").contains(scalar.getValue().toLowerCase());
        }
        return value == null ? null : wrongType(value, path(key), "true or false");
    }

    Duration duration(String key) {
        String text = text(key, "an ISO-8601 duration such as PT30S");
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            problem(value(key), NOT_A_DURATION, owner, path(key), text);
            return null;
        }
    }

    Instant instant(String key) {
        String text = text(key, "an ISO-8601 date-time such as 2026-12-01T09:00:00Z");
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                problem(value(key), NOT_AN_INSTANT, owner, path(key), text);
                return null;
            }
        }
    }

    /** A plain string in the definition's language, or {@code {language: text}}. */
    Expression expression(String key) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode scalar) {
            return new Expression(run.language(), scalar.getValue());
        }
        if (!(value instanceof MappingNode mapping) || mapping.getValue().size() != 1) {
            String what = value instanceof MappingNode m ? "a mapping with " + m.getValue().size() + " keys" : describe(value);
            problem(value, NOT_AN_EXPRESSION, owner, path(key), what);
            return null;
        }
        NodeTuple only = mapping.getValue().get(0);
        String language = only.getKeyNode() instanceof ScalarNode k ? k.getValue() : describe(only.getKeyNode());
        if (!Expression.LANGUAGES.contains(language)) {
            problem(only.getKeyNode(), UNKNOWN_LANGUAGE_KEY, owner, path(key),
                    String.join(", ", new TreeSet<>(Expression.LANGUAGES)), language);
            return null;
        }
        if (!(only.getValueNode() instanceof ScalarNode text) || isNull(text)) {
            return wrongType(only.getValueNode(), path(key) + "." + language, "an expression text");
        }
        return new Expression(language, text.getValue());
    }

    /** A mapping of names to expressions, in source order; an empty value is reported. */
    Map<String, Expression> expressions(String key) {
        Fields map = mapping(key);
        if (map == null) {
            return null;
        }
        Map<String, Expression> out = new LinkedHashMap<>();
        for (String name : map.keys()) {
            Expression e = map.expression(name);
            if (e != null) {
                out.put(name, e);
            } else if (map.value(name) == null) {
                map.problem(map.entries.get(name).getValueNode(), NOT_AN_EXPRESSION, owner, map.path(name), "empty");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The items of a list; an absent or empty field is an empty list. */
    List<Node> list(String key, String expected) {
        Node value = value(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        wrongType(value, path(key), expected);
        return List.of();
    }

    List<String> texts(String key, String expected) {
        Node value = value(key);
        if (value != null && !(value instanceof SequenceNode)) {
            wrongType(value, path(key), expected);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : list(key, expected)) {
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                out.add(scalar.getValue());
            } else {
                wrongType(item, path(key), expected);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Channel names ({@code /events/{channel}}): one as a string, or a non-empty list of them; an absent
     * field is an empty list (any channel). Whether each is a valid name is the validator's concern.
     */
    List<String> channels(String key) {
        Node value = value(key);
        String expected = "a channel name or a non-empty list of channel names";
        if (value instanceof ScalarNode scalar) {
            return List.of(scalar.getValue());
        }
        if (value instanceof SequenceNode sequence && sequence.getValue().isEmpty()) {
            // Read as "any channel" it would silently widen what the author meant to narrow.
            problem(value, WRONG_TYPE, owner, path(key), expected, "an empty list");
            return List.of();
        }
        return value == null ? List.of() : texts(key, expected);
    }

    /** A nested mapping whose fields are named {@code key.field}; null when absent or not a mapping. */
    Fields mapping(String key) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        if (value instanceof MappingNode mapping) {
            return nested(mapping, key);
        }
        return wrongType(value, path(key), "a mapping");
    }

    Fields nested(MappingNode mapping, String key) {
        return new Fields(run, mapping, element, owner, path(key) + ".");
    }

    /** Free-form settings: any YAML mapping, turned into maps, lists, strings, numbers and booleans. */
    Map<String, Object> plainData(String key) {
        Node value = value(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof MappingNode)) {
            return wrongType(value, path(key), "a mapping");
        }
        int before = run.problemCount();
        if (!isTree(value, path(key), Collections.newSetFromMap(new IdentityHashMap<>()),
                Collections.newSetFromMap(new IdentityHashMap<>())) || run.problemCount() > before) {
            return null;
        }
        try {
            if (!(new PlainData().construct(value) instanceof Map<?, ?> data)) {
                // the one mapping YAML turns into something else: !!set
                problem(value, NOT_PLAIN_DATA, owner, path(key), "it is a set");
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            data.forEach((k, v) -> out.put(String.valueOf(k), v));
            return Collections.unmodifiableMap(out);
        } catch (YAMLException e) {
            String why = e instanceof MarkedYAMLException marked ? describe(marked) : e.getMessage();
            problem(value, NOT_PLAIN_DATA, owner, path(key), why);
            return null;
        }
    }

    /**
     * Whether the data below {@code node} is a tree (aliases allowed, cycles not: they cannot become
     * JSON); reports duplicate keys on the way. Each node is visited once, so aliases cannot blow up.
     */
    private boolean isTree(Node node, String path, Set<Node> onPath, Set<Node> done) {
        if (onPath.contains(node)) {
            problem(node, NOT_PLAIN_DATA, owner, path, "it refers to itself");
            return false;
        }
        if (!done.add(node)) {
            return true;
        }
        onPath.add(node);
        boolean tree = true;
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                tree &= isTree(item, path, onPath, done);
            }
        } else if (node instanceof MappingNode mapping) {
            Set<String> seen = new LinkedHashSet<>();
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !seen.add(k.getValue())) {
                    problem(k, DUPLICATE_KEY, k.getValue(), owner + " field '" + path + "'");
                }
                tree &= isTree(t.getKeyNode(), path, onPath, done) && isTree(t.getValueNode(), path, onPath, done);
            }
        }
        onPath.remove(node);
        return tree;
    }

    /** Reports a value of the wrong type; returns null, typed for the caller's convenience. */
    <T> T wrongType(Node value, String path, String expected) {
        problem(value, WRONG_TYPE, owner, path, expected, describe(value));
        return null;
    }

    void problem(Node at, String template, Object... args) {
        run.add(new Problem(element, String.format(template, args), at == null ? 0 : line(at)));
    }

    String path(String key) {
        return prefix + key;
    }

    /** Who the fields belong to in messages: {@code step 'x'}, or {@code step 'x' field 'timeout'} when nested. */
    private String subject() {
        return prefix.isEmpty() ? owner : owner + " field '" + prefix.substring(0, prefix.length() - 1) + "'";
    }

    /** The names of both lists, in order, each once. */
    static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).distinct().toList();
    }

    /**
     * SnakeYAML's safe construction of standard YAML types only (maps, lists, strings, numbers,
     * booleans), reused so that free-form settings read exactly as YAML defines them.
     */
    private static final class PlainData extends SafeConstructor {
        PlainData() {
            super(YamlDefinitionParser.loaderOptions());
            // JSON has no date type: a timestamp stays the text it was written as.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }
}
