package dev.baton.model.engine;

import dev.baton.model.definition.Expression;

/**
 * Port: evaluates an expression in its language against JSON-shaped data. Implemented by the
 * runtime through Camel. Implementations must be pure computation: no I/O, no clock.
 */
public interface ExpressionEvaluator {

    /**
     * @param context JSON-shaped root the expression sees (maps, lists, strings, numbers, booleans)
     * @return a JSON-shaped result (null when the expression yields nothing)
     * @throws EvaluationException when the expression cannot be evaluated
     */
    Object evaluate(Expression expression, Object context);

    /** Evaluates a condition: true only for {@code Boolean.TRUE} or the string {@code "true"}. */
    default boolean test(Expression expression, Object context) {
        Object v = evaluate(expression, context);
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }

    /** An expression that could not be evaluated, with the reason its language gave. */
    final class EvaluationException extends RuntimeException {
        public EvaluationException(Expression expression, String reason, Throwable cause) {
            super("Could not evaluate " + expression.language() + " expression '" + expression.text() + "': "
                    + reason, cause);
        }
    }
}
