package dev.baton.hub.expression;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * <p>Expressions are data, not code: what could reach methods, beans, files, SQL, the environment or
 * system properties, or escape the bounds, is refused when the expression is checked (at deploy), see
 * {@link CamelLanguagePolicy} and {@link JsonataPolicy}. Every evaluation runs under a {@link Budget} of
 * {@link ExpressionProperties} (time, depth, size, allocation); one that reaches a bound throws
 * {@link LimitExceeded} naming it, whatever the library did with the signal on its way out.
 *
 * <p>Context: the expression sees JSON-shaped data. For Simple it is the message body (and each
 * top-level field is also an exchange variable: {@code ${variable.amount}}); for JSONPath and
 * JSONata it is the root document.
 */
@Component
public class CamelExpressions implements ExpressionEvaluator, ExpressionChecker {

    private interface Compiled {
        Object evaluate(Object context, Budget budget);

        boolean test(Object context, Budget budget);
    }

    private final CamelContext camel;
    private final ExpressionProperties limits;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Expression, Compiled> cache = new ConcurrentHashMap<>();

    public CamelExpressions(CamelContext camel, ExpressionProperties limits) {
        this.camel = camel;
        this.limits = limits;
    }

    @Override
    public Object evaluate(Expression expression, Object context) {
        Compiled compiled = compiled(expression);
        Budget budget = Budget.start(limits);
        try {
            Object result = compiled.evaluate(context, budget);
            // what a caller will store or serialize: a value built by sharing one sub-value many times is
            // small in memory and enormous as JSON
            budget.measure(result);
            throwIfExceeded(expression, budget, null);
            return result;
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(expression, budget, e);
        }
    }

    @Override
    public boolean test(Expression expression, Object context) {
        Compiled compiled = compiled(expression);
        Budget budget = Budget.start(limits);
        try {
            boolean result = compiled.test(context, budget);
            throwIfExceeded(expression, budget, null);
            return result;
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(expression, budget, e);
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

    private static EvaluationException failure(Expression expression, Budget budget, Throwable e) {
        if (e instanceof EvaluationException already) {
            return already;
        }
        if (e instanceof StackOverflowError) {
            budget.stackOverflowed();
        }
        throwIfExceeded(expression, budget, e);
        return new EvaluationException(expression, reason(e), e);
    }

    private static void throwIfExceeded(Expression expression, Budget budget, Throwable cause) {
        if (budget.exceeded() != null) {
            throw new LimitExceeded(expression, budget.exceeded().getMessage(), cause);
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
                BoundedJsonata jsonata = BoundedJsonata.compile(e.text());
                return new Compiled() {
                    @Override
                    public Object evaluate(Object context, Budget budget) {
                        return jsonata.evaluate(context, budget);
                    }

                    @Override
                    public boolean test(Object context, Budget budget) {
                        return Jsonata.boolize(evaluate(context, budget));
                    }
                };
            }
            case Expression.SIMPLE:
            case Expression.JSONPATH: {
                boolean simple = Expression.SIMPLE.equals(e.language());
                String refusal = simple ? CamelLanguagePolicy.simple(camel, e.text())
                        : CamelLanguagePolicy.jsonPath(e.text());
                if (refusal != null) {
                    throw new Refused(refusal);
                }
                Language language = camel.resolveLanguage(e.language());
                org.apache.camel.Expression expr = language.createExpression(e.text());
                expr.init(camel);
                Predicate predicate = language.createPredicate(e.text());
                predicate.init(camel);
                return new Compiled() {
                    @Override
                    public Object evaluate(Object context, Budget budget) {
                        Exchange exchange = exchange(simple ? context : document(context), budget);
                        return BoundedView.unwrap(expr.evaluate(exchange, Object.class));
                    }

                    @Override
                    public boolean test(Object context, Budget budget) {
                        return predicate.matches(exchange(simple ? context : document(context), budget));
                    }
                };
            }
            default:
                throw new IllegalArgumentException("unknown language '" + e.language() + "' (known: "
                        + Expression.LANGUAGES + ")");
        }
    }

    /**
     * JSONPath reads a string root as a JSON text (as Camel would): parsed here, so it is read through the
     * bounded views too.
     */
    private Object document(Object context) {
        if (!(context instanceof String text)) {
            return context;
        }
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the value is a string that is not JSON: " + e.getOriginalMessage());
        }
    }

    private Exchange exchange(Object context, Budget budget) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(BoundedView.of(context, budget));
        if (context instanceof Map<?, ?> map) {
            map.forEach((k, v) -> exchange.setVariable(String.valueOf(k), BoundedView.of(v, budget)));
        }
        return exchange;
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
