package dev.baton.hub.expression;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.dashjoin.jsonata.Jsonata;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.spi.Language;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

import dev.baton.model.definition.Expression;
import dev.baton.model.engine.ExpressionEvaluator;
import dev.baton.model.validation.ExpressionChecker;

/**
 * Evaluates the model's expressions. Simple and JSONPath run through Camel's {@link Language} SPI;
 * JSONata through the library camel-jsonata itself uses (com.dashjoin:jsonata), because Camel's
 * jsonata endpoint parses its expression again on every message, and conditions and mappings run on
 * every hand-off. Each expression is compiled once.
 *
 * <p>Context: the expression sees JSON-shaped data. For Simple it is the message body (and each
 * top-level field is also an exchange variable: {@code ${variable.amount}}); for JSONPath and
 * JSONata it is the root document.
 */
@Component
public class CamelExpressions implements ExpressionEvaluator, ExpressionChecker {

    private interface Compiled {
        Object evaluate(Object context);

        boolean test(Object context);
    }

    private final CamelContext camel;
    private final Map<Expression, Compiled> cache = new ConcurrentHashMap<>();

    public CamelExpressions(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public Object evaluate(Expression expression, Object context) {
        Compiled compiled = compiled(expression);
        try {
            return compiled.evaluate(context);
        } catch (RuntimeException e) {
            throw new EvaluationException(expression, reason(e), e);
        }
    }

    @Override
    public boolean test(Expression expression, Object context) {
        Compiled compiled = compiled(expression);
        try {
            return compiled.test(context);
        } catch (RuntimeException e) {
            throw new EvaluationException(expression, reason(e), e);
        }
    }

    @Override
    public String check(Expression expression) {
        try {
            compiled(expression);
            return null;
        } catch (EvaluationException e) {
            return e.getCause() == null ? e.getMessage() : reason(e.getCause());
        }
    }

    private Compiled compiled(Expression expression) {
        Compiled c = cache.get(expression);
        if (c == null) {
            try {
                c = compile(expression);
            } catch (RuntimeException e) {
                throw new EvaluationException(expression, reason(e), e);
            }
            cache.put(expression, c);
        }
        return c;
    }

    private Compiled compile(Expression e) {
        switch (e.language()) {
            case Expression.JSONATA: {
                Jsonata jsonata = Jsonata.jsonata(e.text());
                return new Compiled() {
                    @Override
                    public Object evaluate(Object context) {
                        // A compiled Jsonata keeps per-evaluation state in fields: one evaluation at a time.
                        synchronized (jsonata) {
                            return jsonata.evaluate(context);
                        }
                    }

                    @Override
                    public boolean test(Object context) {
                        return Jsonata.boolize(evaluate(context));
                    }
                };
            }
            case Expression.SIMPLE:
            case Expression.JSONPATH: {
                Language language = camel.resolveLanguage(e.language());
                org.apache.camel.Expression expr = language.createExpression(e.text());
                expr.init(camel);
                Predicate predicate = language.createPredicate(e.text());
                predicate.init(camel);
                return new Compiled() {
                    @Override
                    public Object evaluate(Object context) {
                        return expr.evaluate(exchange(context), Object.class);
                    }

                    @Override
                    public boolean test(Object context) {
                        return predicate.matches(exchange(context));
                    }
                };
            }
            default:
                throw new IllegalArgumentException("unknown language '" + e.language() + "' (known: "
                        + Expression.LANGUAGES + ")");
        }
    }

    private Exchange exchange(Object context) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(context);
        if (context instanceof Map<?, ?> map) {
            map.forEach((k, v) -> exchange.setVariable(String.valueOf(k), v));
        }
        return exchange;
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
