package dev.baton.model.parser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.yaml.snakeyaml.nodes.MappingNode;

import dev.baton.model.definition.Expression;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.Trigger;
import dev.baton.model.validation.Problem;

/**
 * One parse of a document: reads its top level, the definition's own fields, and hands its triggers to a
 * {@link TriggerReader} and its steps to a {@link StepReader}. Holds what every field read depends on:
 * the problems found so far and the default expression language.
 */
final class ParseRun {

    private static final List<String> DEFINITION_FIELDS = List.of("id", "name", "owner", "sla", "expressionLanguage",
            "retry", "triggers", "start", "steps", "personal");
    private static final List<String> RETRY_FIELDS = List.of("attempts", "backoff", "multiplier", "maxBackoff");

    private final List<Problem> problems = new ArrayList<>();
    private String language = Expression.JSONATA;

    /** The definition {@code root} holds, as far as it can be read; what cannot be read is in {@link #problems()}. */
    ProcessDefinition definition(MappingNode root) {
        Fields def = new Fields(this, root, "definition", "the definition", "");
        def.allow(DEFINITION_FIELDS);
        String id = def.text("id", "a process id");
        String name = def.text("name", "a string");
        String owner = def.text("owner", "a string");
        Duration sla = def.duration("sla");
        String declared = def.text("expressionLanguage", "an expression language");
        if (declared != null) {
            language = declared;
        }
        RetryPolicy retry = retry(def, RetryPolicy.DEFAULT);
        List<String> personal = def.texts("personal", "a list of variable paths");
        List<Trigger> triggers = new TriggerReader(this).triggers(def);
        List<Step> steps = new StepReader(this).steps(def, retry != null ? retry : RetryPolicy.DEFAULT);
        String start = def.text("start", "a step id");
        if (start == null && !steps.isEmpty()) {
            start = steps.get(0).id();
        }
        return new ProcessDefinition(id, 0, name != null ? name : id, owner, sla, language, start, retry,
                triggers, steps, personal);
    }

    /** A {@code retry} mapping of {@code owner}, its absent fields taken from {@code base}; null when there is none. */
    RetryPolicy retry(Fields owner, RetryPolicy base) {
        Fields r = owner.mapping("retry");
        if (r == null) {
            return null;
        }
        r.allow(RETRY_FIELDS);
        Integer attempts = r.integer("attempts");
        Duration backoff = r.duration("backoff");
        Double multiplier = r.number("multiplier");
        Duration maxBackoff = r.duration("maxBackoff");
        return new RetryPolicy(attempts != null ? attempts : base.maxAttempts(),
                backoff != null ? backoff : base.initialBackoff(),
                multiplier != null ? multiplier : base.multiplier(),
                maxBackoff != null ? maxBackoff : base.maxBackoff());
    }

    /** The language of expressions written as plain strings: the definition's, once its field is read. */
    String language() {
        return language;
    }

    void add(Problem problem) {
        problems.add(problem);
    }

    int problemCount() {
        return problems.size();
    }

    /** What could not be read, in the order found. */
    List<Problem> problems() {
        return List.copyOf(problems);
    }
}
