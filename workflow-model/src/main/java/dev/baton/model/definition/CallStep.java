package dev.baton.model.definition;

import java.util.Map;

/**
 * A call of a connector operation.
 *
 * @param operation {@code <connector>.<operation>}, e.g. {@code http.post}
 * @param with      static settings of the operation (URL, headers, ...)
 * @param input     expression over the variables that yields the request, or null for none
 * @param output    variable name → expression over the response, merged into the variables
 */
public record CallStep(StepInfo info, String operation, Map<String, Object> with, Expression input,
                       Map<String, Expression> output) implements Step {
    @Override
    public String kind() {
        return "call";
    }
}
