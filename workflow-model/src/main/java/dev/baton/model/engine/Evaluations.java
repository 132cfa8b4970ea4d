package dev.baton.model.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.engine.Engine.NoPathException;

/**
 * What a decision computes through the {@link ExpressionEvaluator} port over the variables a path sees:
 * the paths a choice or an inclusive split takes, and the values its effects carry (correlation keys,
 * assignees, the variables a call activity hands its child and takes back), each text bounded to what
 * the hub stores. Pure: the caller passes the view; an expression that fails throws its
 * {@link ExpressionEvaluator.EvaluationException}.
 */
final class Evaluations {

    private final ExpressionEvaluator expressions;
    private final String businessKey;

    /** @param businessKey the instance's, the correlation key of a wait or boundary that names none */
    Evaluations(ExpressionEvaluator expressions, String businessKey) {
        this.expressions = expressions;
        this.businessKey = businessKey;
    }

    /** The first branch of a choice whose condition holds, else its default; {@link NoPathException} when none. */
    String choose(ChoiceStep choice, Map<String, Object> view) {
        for (ChoiceStep.Branch b : choice.branches()) {
            if (expressions.test(b.when(), view)) {
                return b.next();
            }
        }
        if (choice.otherwise() == null) {
            throw new NoPathException(choice);
        }
        return choice.otherwise();
    }

    /** Every branch of an inclusive split whose condition holds, else its default; never empty. */
    List<String> takenBranches(InclusiveStep inclusive, Map<String, Object> variables) {
        List<String> taken = new ArrayList<>(inclusive.branches().size());
        for (ChoiceStep.Branch b : inclusive.branches()) {
            if (expressions.test(b.when(), variables)) {
                taken.add(b.next());
            }
        }
        if (taken.isEmpty()) {
            if (inclusive.otherwise() == null) {
                throw new NoPathException(inclusive);
            }
            taken.add(inclusive.otherwise());
        }
        return taken;
    }

    /** A correlation key over the view; a null expression: the business key. */
    String correlationKey(Expression keyExpression, Map<String, Object> view) {
        if (keyExpression == null) {
            return businessKey;
        }
        Object key = expressions.evaluate(keyExpression, view);
        return bounded(keyExpression, key == null ? null : String.valueOf(key), TextLimits.CORRELATION_KEY,
                "a correlation key");
    }

    /** The user a task is assigned to: its assignee expression's value as text, or null. */
    String assignee(HumanTaskStep task, Map<String, Object> view) {
        if (task.assignee() == null) {
            return null;
        }
        Object who = expressions.evaluate(task.assignee(), view);
        return who == null || String.valueOf(who).isBlank() ? null
                : bounded(task.assignee(), String.valueOf(who), TextLimits.ASSIGNEE, "an assignee");
    }

    /** The variables a call activity hands its child: its input over the caller's view, else all of them. */
    @SuppressWarnings("unchecked")
    Map<String, Object> childVariables(CallActivityStep call, Map<String, Object> view) {
        if (call.input() == null) {
            return new LinkedHashMap<>(view);
        }
        Object value = expressions.evaluate(call.input(), view);
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ExpressionEvaluator.EvaluationException(call.input(), "it gave "
                    + value.getClass().getSimpleName() + ", not an object of variables for the instance that"
                    + " call activity '" + call.id() + "' starts", null);
        }
        return new LinkedHashMap<>((Map<String, Object>) map);
    }

    /**
     * What a completed child hands back: the call activity's output expressions over the child's final
     * variables, or all of them when it has none.
     */
    Map<String, Object> childOutputs(CallActivityStep call, Map<String, Object> childFinal) {
        Map<String, Object> childVariables = childFinal == null ? Map.of() : childFinal;
        if (call.output() == null) {
            return childVariables;
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, Expression> o : call.output().entrySet()) {
            outputs.put(o.getKey(), expressions.evaluate(o.getValue(), childVariables));
        }
        return outputs;
    }

    /** A computed text the hub stores, refused as a failed evaluation when it is longer than it keeps. */
    private static String bounded(Expression expression, String value, int max, String what) {
        if (value != null && value.length() > max) {
            throw new ExpressionEvaluator.EvaluationException(expression, "it gave " + what + " of "
                    + value.length() + " characters, but at most " + max + " are kept", null);
        }
        return value;
    }
}
