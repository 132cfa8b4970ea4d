package dev.baton.model.engine;

import dev.baton.model.definition.Expression;

/**
 * Port: evaluates an expression in its language against JSON-shaped data. Implemented by the
 * runtime through Camel. Implementations must be pure computation: no I/O, no clock.
 */
public interface ExpressionEvaluator {

    /**
     * The code of an evaluation stopped at one of the evaluator's bounds (time, depth, size, memory): the
     * expression or the bound must change, so a step failing with it is not retried.
     */
    String LIMIT_EXCEEDED = "BATON-EXPR-002";

    /**
     * @param context JSON-shaped root the expression sees (maps, lists, strings, numbers, booleans)
     * @return a JSON-shaped result (null when the expression yields nothing)
     * @throws EvaluationException when the expression cannot be evaluated ({@link LimitExceeded} when it
     *                             reached one of the evaluator's bounds)
     */
    Object evaluate(Expression expression, Object context);

    /** Evaluates a condition: true only for {@code Boolean.TRUE} or the string {@code "true"}. */
    default boolean test(Expression expression, Object context) {
        Object v = evaluate(expression, context);
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }

    /** An expression that could not be evaluated, with the reason its language gave. */
    sealed class EvaluationException extends RuntimeException permits LimitExceeded {
        public EvaluationException(Expression expression, String reason, Throwable cause) {
            super("Could not evaluate " + expression.language() + " expression '" + expression.text() + "': "
                    + reason, cause);
        }
    }

    /**
     * An evaluation the evaluator stopped at one of its bounds; the reason names the bound and its limit.
     * Its code is {@link #LIMIT_EXCEEDED}.
     */
    final class LimitExceeded extends EvaluationException {
        public LimitExceeded(Expression expression, String reason, Throwable cause) {
            super(expression, LIMIT_EXCEEDED + " " + reason, cause);
        }
    }
}
