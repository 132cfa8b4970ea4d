package dev.baton.hub.expression;

import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;

/**
 * A JSONata expression compiled once and evaluated under a {@link Budget}, by any number of threads at once.
 *
 * <p>How com.dashjoin:jsonata 0.9.9 keeps state (read in its bytecode): the syntax tree is not changed by an
 * evaluation; the working fields (input, current frame) live in a per-thread instance the library picks from
 * a thread-local, which its constructor sets to the instance just built. An evaluation given a frame of its
 * own ({@link Jsonata#evaluate(Object, Frame)}) binds into a fresh child of the expression's environment, so
 * evaluations of one expression do not meet, and no lock is needed, as long as the compiled expression is
 * never some thread's per-thread instance: that one's environment field is overwritten by every evaluation
 * on its thread, and the next evaluation's frame hangs below it, a chain that grows without end. So a scratch
 * instance is built after each compile to take that place.
 *
 * <p>The frame's entry and exit callbacks run for every node the evaluator enters and leaves: on entry the
 * depth, clock and allocation bounds are checked, on exit the value the node produced is measured against the
 * size bounds (a range like {@code [1..10000000]} is lazy and stopped there, before anything walks it).
 */
final class BoundedJsonata {

    /** Read-only once built; the library copies its bindings into a fresh frame per evaluation. */
    private static final Frame BOUNDS = bounds();

    private final Jsonata jsonata;

    private BoundedJsonata(Jsonata jsonata) {
        this.jsonata = jsonata;
    }

    /**
     * @throws com.dashjoin.jsonata.JException when the text is not JSONata
     * @throws Refused                         when it uses what Baton does not allow ({@link JsonataPolicy})
     */
    static BoundedJsonata compile(String text) {
        Jsonata jsonata = Jsonata.jsonata(text);
        Jsonata.jsonata("$"); // the scratch instance, see the class comment
        String refusal = JsonataPolicy.refusal(jsonata);
        if (refusal != null) {
            throw new Refused(refusal);
        }
        JsonataFunctions.REPLACEMENTS.forEach(jsonata::registerFunction);
        // The library would walk the whole input before every evaluation to check that it holds only JSON
        // types, outside any bound. Baton's inputs are parsed JSON (variables, events); the exit callback
        // measures what the expression actually reaches.
        jsonata.setValidateInput(false);
        return new BoundedJsonata(jsonata);
    }

    /** Evaluates with the budget current on this thread; a bound reached surfaces as {@link Budget#exceeded()}. */
    Object evaluate(Object input, Budget budget) {
        try (Budget.Scope scope = budget.activate()) {
            return jsonata.evaluate(input, BOUNDS);
        }
    }

    private static Frame bounds() {
        Frame frame = Jsonata.jsonata("$").createFrame();
        Jsonata.jsonata("$"); // the scratch instance
        frame.setEvaluateEntryCallback((node, input, env) -> {
            Budget budget = Budget.current();
            if (budget != null) {
                budget.enter();
            }
        });
        frame.setEvaluateExitCallback((node, input, env, result) -> {
            Budget budget = Budget.current();
            if (budget != null) {
                budget.exit();
                budget.measure(result);
            }
        });
        return frame;
    }
}
