package dev.baton.governance.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The personal fields of one definition (its {@code personal:} list) and what follows from them for
 * an instance's variables: a masked copy for callers without clearance, the personal values present,
 * and a {@link Scrubber} that removes those values from free text.
 *
 * <p>A path is variable names joined by dots, {@code customer.email}. It goes into nested maps; a list
 * met on the way is entered element by element, so {@code customer.addresses.street} reaches the
 * street of every address. What a path reaches is personal as a whole: a scalar is replaced by
 * {@link #MASK}, a map or list keeps its shape with every scalar inside replaced. Nulls stay null.
 * The path {@code businessKey} also marks the instance's business key. Immutable and thread-safe.
 */
public final class PersonalFields {

    /** What a personal value is replaced by. */
    public static final String MASK = "***";
    /** The path that marks the business key as personal. */
    public static final String BUSINESS_KEY = "businessKey";
    /** A definition without personal fields. */
    public static final PersonalFields NONE = new PersonalFields(List.of());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final List<String> paths;
    private final List<List<String>> segments;

    private PersonalFields(List<String> paths) {
        this.paths = List.copyOf(paths);
        List<List<String>> split = new ArrayList<>(paths.size());
        for (String p : paths) {
            split.add(List.of(p.split("\\.")));
        }
        this.segments = List.copyOf(split);
    }

    /**
     * @param paths a definition's personal paths; null, blank and repeated ones are left out (the
     *              validator reports them before a definition is deployed)
     */
    public static PersonalFields of(Collection<String> paths) {
        if (paths == null || paths.isEmpty()) {
            return NONE;
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String p : paths) {
            if (p != null && !p.isBlank()) {
                kept.add(p.strip());
            }
        }
        return kept.isEmpty() ? NONE : new PersonalFields(new ArrayList<>(kept));
    }

    public List<String> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    public boolean coversBusinessKey() {
        return paths.contains(BUSINESS_KEY);
    }

    /** The business key as a caller without clearance sees it. */
    public String maskBusinessKey(String businessKey) {
        return businessKey != null && coversBusinessKey() ? MASK : businessKey;
    }

    /** A deep copy of the variables with every personal value masked; the variables are not changed. */
    public Map<String, Object> mask(Map<String, Object> variables) {
        if (variables == null || isEmpty()) {
            return variables;
        }
        JsonNode tree = JSON.valueToTree(variables);
        return JSON.convertValue(maskTree(tree), MAP);
    }

    /** A deep copy of a JSON tree of variables with every personal value masked. */
    public JsonNode maskTree(JsonNode variables) {
        if (variables == null) {
            return null;
        }
        JsonNode copy = variables.deepCopy();
        for (List<String> path : segments) {
            visit(copy, path, 0, (parent, key) -> {
                JsonNode value = parent.get(key);
                if (value.isContainerNode()) {
                    maskInPlace(value);
                } else if (!value.isNull()) {
                    parent.set(key, TextNode.valueOf(MASK));
                }
            });
        }
        return copy;
    }

    /**
     * The personal values present in the variables, as text (numbers as written in JSON), plus the
     * business key when it is personal. Booleans and nulls are not values anyone could be found by.
     */
    public Set<String> valuesIn(Map<String, Object> variables, String businessKey) {
        Set<String> values = new LinkedHashSet<>();
        if (businessKey != null && coversBusinessKey()) {
            values.add(businessKey);
        }
        if (variables != null && !isEmpty()) {
            JsonNode tree = JSON.valueToTree(variables);
            for (List<String> path : segments) {
                visit(tree, path, 0, (parent, key) -> collect(parent.get(key), values));
            }
        }
        return values;
    }

    /** The personal values present in the variables. */
    public Set<String> valuesIn(Map<String, Object> variables) {
        return valuesIn(variables, null);
    }

    /** Scrubs the personal values of these variables (and business key) from text. */
    public Scrubber scrubber(Map<String, Object> variables, String businessKey) {
        return isEmpty() ? Scrubber.NONE : Scrubber.of(valuesIn(variables, businessKey));
    }

    @Override
    public String toString() {
        return "PersonalFields" + paths;
    }

    @FunctionalInterface
    private interface AtField {
        void accept(ObjectNode parent, String key);
    }

    /**
     * Follows a path from {@code node}: into the field of an object, into every element of an array;
     * {@code atField} gets each object holding the path's last segment.
     */
    private static void visit(JsonNode node, List<String> path, int at, AtField atField) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                visit(element, path, at, atField);
            }
            return;
        }
        if (!node.isObject() || !node.has(path.get(at))) {
            return;
        }
        ObjectNode object = (ObjectNode) node;
        if (at == path.size() - 1) {
            atField.accept(object, path.get(at));
        } else {
            visit(object.get(path.get(at)), path, at + 1, atField);
        }
    }

    /** Replaces every non-null scalar inside a container, keeping its shape. */
    private static void maskInPlace(JsonNode container) {
        if (container instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> scalars = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getValue().isContainerNode()) {
                    maskInPlace(f.getValue());
                } else if (!f.getValue().isNull()) {
                    scalars.add(f.getKey());
                }
            }
            scalars.forEach(k -> object.set(k, TextNode.valueOf(MASK)));
        } else if (container instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element instanceof ContainerNode<?>) {
                    maskInPlace(element);
                } else if (!element.isNull()) {
                    array.set(i, TextNode.valueOf(MASK));
                }
            }
        }
    }

    private static void collect(JsonNode node, Set<String> values) {
        if (node == null || node.isNull() || node.isBoolean() || node.isMissingNode()) {
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collect(child, values));
        } else if (!node.asText().isBlank()) {
            values.add(node.asText());
        }
    }
}
