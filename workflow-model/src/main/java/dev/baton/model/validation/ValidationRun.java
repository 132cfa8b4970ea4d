package dev.baton.model.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.SubprocessStep;

/**
 * One validation run, shared by its checks: the definition, its steps by id and where each sits, and the
 * problems found so far, in the order they were found. Not thread-safe; one run per {@code validate} call.
 */
final class ValidationRun {

    private final ProcessDefinition def;
    private final List<Step> steps;
    /** The first step of each id, in source order. */
    private final Map<String, Step> byId;
    private final Map<String, Integer> sourceIndex = new HashMap<>();
    /** The sub-process each step id is directly inside; absent for top-level steps. */
    private final Map<String, String> enclosing = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    ValidationRun(ProcessDefinition def) {
        this.def = def;
        this.steps = def.allSteps();
        recordEnclosing(def.steps(), null);
        Map<String, Step> ids = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.id() != null && ids.putIfAbsent(s.id(), s) == null) {
                sourceIndex.put(s.id(), i);
            }
        }
        this.byId = Collections.unmodifiableMap(ids);
    }

    private void recordEnclosing(List<Step> level, String owner) {
        for (Step s : level) {
            if (s.id() != null && owner != null) {
                enclosing.putIfAbsent(s.id(), owner);
            }
            if (s instanceof SubprocessStep sub) {
                recordEnclosing(sub.steps(), sub.id());
            }
        }
    }

    ProcessDefinition def() {
        return def;
    }

    /** Every step, those inside sub-processes included, in source order. */
    List<Step> steps() {
        return steps;
    }

    /** The first step with this id; null for an id no step has. */
    Step step(String id) {
        return byId.get(id);
    }

    boolean has(String id) {
        return byId.containsKey(id);
    }

    /** The first step of each id, in source order. */
    Collection<Step> distinctSteps() {
        return byId.values();
    }

    /** The ids of the steps, in source order. */
    Collection<String> ids() {
        return byId.keySet();
    }

    /** Where the first step of this id is in {@link #steps()}. */
    int sourceIndex(String id) {
        return sourceIndex.get(id);
    }

    /** The sub-process the step is directly inside; null at the top level. */
    String enclosing(String stepId) {
        return enclosing.get(stepId);
    }

    /** {@code sub-process 'fix'} or {@code the top level}, for messages. */
    String where(String stepId) {
        String owner = enclosing.get(stepId);
        return owner == null ? "the top level" : "sub-process '" + owner + "'";
    }

    void report(String element, int line, String template, Object... args) {
        problems.add(new Problem(element, String.format(template, args), line));
    }

    List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** How problems name a step: {@code step 'approve'}, or {@code step 3} for the third, which has no id. */
    static String element(Step step, int number) {
        return step.id() != null ? "step '" + step.id() + "'" : "step " + number;
    }
}
