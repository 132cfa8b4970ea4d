package dev.baton.model.definition;

import java.util.Objects;
import java.util.Set;

/**
 * An expression held with its language. Baton has no expression language of its own: the text is
 * evaluated by the runtime through Camel's implementation of {@link #language()}.
 *
 * @param language one of {@link #LANGUAGES}
 * @param text     the expression, as written
 */
public record Expression(String language, String text) {

    public static final String JSONATA = "jsonata";
    public static final String SIMPLE = "simple";
    public static final String JSONPATH = "jsonpath";

    /** The languages Baton evaluates, all shipped by Camel. */
    public static final Set<String> LANGUAGES = Set.of(JSONATA, SIMPLE, JSONPATH);

    public Expression {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(text, "text");
    }

    public static Expression jsonata(String text) {
        return new Expression(JSONATA, text);
    }

    @Override
    public String toString() {
        return language + ":" + text;
    }
}
