package dev.baton.model.validation;

import dev.baton.model.definition.Expression;

/**
 * Port: compiles an expression in its language without evaluating it. Implemented by the runtime
 * through Camel; pure computation, no I/O.
 */
public interface ExpressionChecker {

    /** Accepts everything: for callers that check expressions elsewhere. */
    ExpressionChecker NONE = e -> null;

    /** @return null when the expression compiles, else the compiler's reason */
    String check(Expression expression);
}
