package dev.baton.hub.expression;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import com.dashjoin.jsonata.Jsonata;

/**
 * What Baton refuses in a JSONata expression at deploy, decided on the library's own syntax tree. JSONata
 * calls no methods and reads no files, but two of its constructs escape the evaluation bounds: a regular
 * expression applied as a function ({@code /re/("text")}, or handed to {@code $map}) is matched by the library
 * where nothing can stop it, and {@code $eval} turns data into an expression. So a regular expression may
 * only be a whole argument of {@code $match}, {@code $contains}, {@code $split} or {@code $replace}, which
 * Baton runs under the clock ({@link JsonataFunctions}); those names may only be called (not rebound, so a
 * call always reaches Baton's version); {@code $eval} may not appear.
 *
 * <p>The tree's fields are package-private in com.dashjoin:jsonata 0.9.9 and read by reflection; the walk
 * follows every field that holds a node, so a construct it does not know is still visited.
 */
final class JsonataPolicy {

    /** The functions Baton runs under the clock, by their JSONata names (without {@code $}). */
    static final Set<String> GUARDED = Set.of("match", "contains", "split", "replace");

    /** %d: the character position of the regular expression. */
    static final String REGEX_OUTSIDE_GUARDED_CALL = "it uses a regular expression (at character %d) other than"
            + " as an argument of $match, $contains, $split or $replace, the only places Baton can stop one"
            + " that backtracks without end";
    /** %s: the function's name. */
    static final String GUARDED_NOT_CALLED = "it binds or passes $%s instead of calling it: Baton runs $match,"
            + " $contains, $split and $replace under its time limit only where they are called";
    static final String EVAL = "it uses $eval, which would evaluate data as an expression";

    private static final Class<?> SYMBOL;
    private static final Field AST;
    private static final Field TYPE;
    private static final Field VALUE;
    private static final Field POSITION;
    private static final Field PROCEDURE;
    private static final Field ARGUMENTS;
    private static final List<Field> CHILDREN = new ArrayList<>();

    static {
        try {
            SYMBOL = Class.forName("com.dashjoin.jsonata.Parser$Symbol");
            AST = accessible(Jsonata.class.getDeclaredField("ast"));
            TYPE = accessible(SYMBOL.getDeclaredField("type"));
            VALUE = accessible(SYMBOL.getDeclaredField("value"));
            POSITION = accessible(SYMBOL.getDeclaredField("position"));
            PROCEDURE = accessible(SYMBOL.getDeclaredField("procedure"));
            ARGUMENTS = accessible(SYMBOL.getDeclaredField("arguments"));
            for (Field f : SYMBOL.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                    CHILDREN.add(accessible(f));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("com.dashjoin:jsonata's syntax tree is not the one Baton checks: "
                    + e);
        }
    }

    private JsonataPolicy() {
    }

    /** @return null when the compiled expression is allowed, else why not (to follow "but") */
    static String refusal(Jsonata compiled) {
        try {
            Object root = AST.get(compiled);
            List<Object> nodes = nodes(root);
            Set<Object> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object node : nodes) {
                Object procedure = PROCEDURE.get(node);
                if (("function".equals(TYPE.get(node)) || "partial".equals(TYPE.get(node))) && procedure != null
                        && "variable".equals(TYPE.get(procedure))) {
                    allowed.add(procedure);
                    if (GUARDED.contains(String.valueOf(VALUE.get(procedure))) && ARGUMENTS.get(node) != null) {
                        allowed.addAll((List<?>) ARGUMENTS.get(node));
                    }
                }
            }
            for (Object node : nodes) {
                String type = (String) TYPE.get(node);
                Object value = VALUE.get(node);
                if ("regex".equals(type) && !allowed.contains(node)) {
                    return String.format(REGEX_OUTSIDE_GUARDED_CALL, POSITION.getInt(node));
                }
                if ("variable".equals(type) && "eval".equals(value)) {
                    return EVAL;
                }
                if ("variable".equals(type) && GUARDED.contains(String.valueOf(value)) && !allowed.contains(node)) {
                    return String.format(GUARDED_NOT_CALLED, value);
                }
                // a path's focus (@$x) and index (#$i) bindings are names, not nodes
                for (String name : List.of(String.valueOf(fieldOf(node, "focus")),
                        String.valueOf(fieldOf(node, "index")))) {
                    if ("eval".equals(name)) {
                        return EVAL;
                    }
                    if (GUARDED.contains(name)) {
                        return String.format(GUARDED_NOT_CALLED, name);
                    }
                }
            }
            return null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every node of the tree, each once (the tree links parents back). */
    private static List<Object> nodes(Object root) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> out = new ArrayList<>();
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            out.add(node);
            for (Field f : CHILDREN) {
                collect(f.get(node), todo);
            }
        }
        return out;
    }

    private static void collect(Object value, Deque<Object> todo) {
        if (SYMBOL.isInstance(value)) {
            todo.push(value);
        } else if (value instanceof Iterable<?> items) {
            items.forEach(item -> collect(item, todo));
        } else if (value instanceof Object[] items) {
            for (Object item : items) {
                collect(item, todo);
            }
        }
    }

    private static Object fieldOf(Object node, String name) throws IllegalAccessException {
        for (Field f : CHILDREN) {
            if (f.getName().equals(name)) {
                return f.get(node);
            }
        }
        return null;
    }

    private static Field accessible(Field f) {
        f.setAccessible(true);
        return f;
    }
}
