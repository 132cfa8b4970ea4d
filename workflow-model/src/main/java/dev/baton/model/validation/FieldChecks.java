package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.INVALID_EXPRESSION;
import static dev.baton.model.validation.ValidationMessages.RETRY_ATTEMPTS;
import static dev.baton.model.validation.ValidationMessages.RETRY_BACKOFF;
import static dev.baton.model.validation.ValidationMessages.RETRY_MULTIPLIER;
import static dev.baton.model.validation.ValidationMessages.SOURCE_NOT_A_CHANNEL;
import static dev.baton.model.validation.ValidationMessages.TOO_LONG;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.baton.model.definition.Expression;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;

/**
 * The checks of single values that the definition, its triggers and its steps share: text lengths
 * ({@link dev.baton.model.definition.TextLimits}), expressions (a known language, and compiling as the
 * {@link ExpressionChecker} port says), channel names and retry policies.
 */
final class FieldChecks {

    private final ValidationRun run;
    private final ExpressionChecker checker;

    FieldChecks(ValidationRun run, ExpressionChecker checker) {
        this.run = run;
        this.checker = checker;
    }

    void checkLength(String text, int max, String what, String element, int line) {
        if (text != null && text.length() > max) {
            run.report(element, line, TOO_LONG, what, max, text.length());
        }
    }

    void checkRetry(RetryPolicy retry, String element, String owner, int line) {
        if (retry == null) {
            return;
        }
        if (retry.maxAttempts() < 1) {
            run.report(element, line, RETRY_ATTEMPTS, owner, retry.maxAttempts());
        }
        if (retry.multiplier() < 1) {
            run.report(element, line, RETRY_MULTIPLIER, owner, retry.multiplier());
        }
        checkBackoff(retry.initialBackoff(), "backoff", element, owner, line);
        checkBackoff(retry.maxBackoff(), "maxBackoff", element, owner, line);
    }

    private void checkBackoff(Duration backoff, String field, String element, String owner, int line) {
        if (backoff == null || backoff.isNegative()) {
            run.report(element, line, RETRY_BACKOFF, field, owner, backoff);
        }
    }

    /** Each source a channel name ({@link DefinitionValidator#CHANNEL}); {@code field} names the list. */
    void checkChannels(List<String> sources, String field, Step step, String element, int line) {
        for (String source : sources) {
            if (source == null || !DefinitionValidator.CHANNEL.matcher(source).matches()) {
                run.report(element, line, SOURCE_NOT_A_CHANNEL, step.id(), field, source);
            }
        }
    }

    /** Each expression of a name-to-expression map, named {@code 'prefix<name>'} in problems. */
    void checkExpressions(Map<String, Expression> expressions, String prefix, String element, int line) {
        if (expressions == null) {
            return;
        }
        for (Map.Entry<String, Expression> e : expressions.entrySet()) {
            checkExpression(e.getValue(), "'" + prefix + e.getKey() + "'", element, line);
        }
    }

    void checkExpression(Expression expression, String field, String element, int line) {
        if (expression == null) {
            return;
        }
        if (!Expression.LANGUAGES.contains(expression.language())) {
            // An unknown default language is reported once, on the definition, not on every expression.
            if (!expression.language().equals(run.def().expressionLanguage())) {
                run.report(element, line, UNKNOWN_LANGUAGE, "the " + field + " expression of " + element,
                        knownLanguages(), expression.language());
            }
            return;
        }
        String reason = checker.check(expression);
        if (reason != null) {
            run.report(element, line, INVALID_EXPRESSION, field, element, reason);
        }
    }

    /** The expression languages, sorted and joined by commas, for messages. */
    static String knownLanguages() {
        return String.join(", ", new TreeSet<>(Expression.LANGUAGES));
    }
}
