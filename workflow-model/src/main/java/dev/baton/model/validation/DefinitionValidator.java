package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.TOO_MANY_STEPS;

import java.util.List;
import java.util.regex.Pattern;

import dev.baton.model.definition.ProcessDefinition;

/**
 * Checks a definition before it is deployed and reports every problem at once, as values: nothing
 * is thrown and checking never stops at the first problem. Each {@link Problem} names its element
 * ({@code definition}, {@code step 'approve'}, {@code step 3} for a step without id, {@code trigger 2})
 * and carries the step's source line when known; its message is one of {@link ValidationMessages}.
 *
 * <p>The graph rules follow the engine's routing: a step leads to its {@code next} (work steps and
 * joins), a choice to its branches and default, a parallel step to its branches, a race to its
 * alternatives, a sub-process to its start, and any step to its timeout's escalation step and its
 * catches' steps. Steps inside a sub-process are checked with every other step (ids are unique across
 * the definition), and lead only to steps of the same sub-process. Stateless and thread-safe; the
 * ports are asked from memory only.
 *
 * <p>The checks live beside it, one concern each: {@link DefinitionChecks} (the definition's own fields
 * and its triggers), {@link StepChecks} (each step and what its kind requires), {@link GraphChecks} (how
 * steps lead to each other) and {@link FieldChecks} (texts, expressions, channels and retries, for all three).
 */
public final class DefinitionValidator {

    /** Ids name queues ({@code baton.<id>.<step>}), so no dots and no leading punctuation. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** A variable a multi-instance step names: one that every expression language reads as a plain name. */
    public static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A personal field: variable names joined by dots, {@code customer.email}; see {@code ProcessDefinition#personal}. */
    public static final Pattern PERSONAL_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /**
     * A channel, the {@code {channel}} of {@code /events/{channel}} (and of the credential
     * {@code integration:<channel>}) that a wait or message boundary may name in {@code source}.
     */
    public static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /**
     * The most steps a definition may have unless configured otherwise. Checking, compiling and drawing
     * a definition all walk its steps; a bound keeps a deployment's cost (and a caller's) in proportion.
     */
    public static final int DEFAULT_MAX_STEPS = 1_000;

    private final ConnectorCatalog catalog;
    private final ExpressionChecker checker;
    private final int maxSteps;

    public DefinitionValidator(ConnectorCatalog catalog, ExpressionChecker checker) {
        this(catalog, checker, DEFAULT_MAX_STEPS);
    }

    /** @param maxSteps the most steps a definition may have, those inside sub-processes included */
    public DefinitionValidator(ConnectorCatalog catalog, ExpressionChecker checker, int maxSteps) {
        this.catalog = catalog;
        this.checker = checker;
        this.maxSteps = maxSteps;
    }

    /**
     * @return every problem of the definition, definition-wide ones first, then triggers, then steps; empty
     *         when valid. A definition with more steps than allowed has that one problem and is not checked
     *         further.
     */
    public List<Problem> validate(ProcessDefinition def) {
        int steps = def.allSteps().size();
        if (steps > maxSteps) {
            return List.of(new Problem("definition", String.format(TOO_MANY_STEPS, maxSteps, steps), 0));
        }
        ValidationRun run = new ValidationRun(def);
        FieldChecks fields = new FieldChecks(run, checker);
        new DefinitionChecks(run, fields).check();
        new StepChecks(run, fields, catalog).check();
        new GraphChecks(run).check();
        return run.problems();
    }
}
