package dev.baton.model.definition;

import java.util.Map;

/**
 * A unit of work with no external call: it sets variables from expressions (or nothing at all).
 *
 * @param set variable name → expression over the instance's variables
 */
public record TaskStep(StepInfo info, Map<String, Expression> set) implements Step {
    @Override
    public String kind() {
        return "task";
    }
}
