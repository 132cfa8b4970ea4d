package dev.baton.model.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployable process. Immutable; the runtime assigns {@code version} at deployment (1, 2, ...):
 * new instances take the newest version, running ones keep theirs.
 *
 * @param id                 stable identifier, also the queue prefix ({@code baton.<id>.<step>})
 * @param version            assigned at deployment; 0 before
 * @param name               human-readable name
 * @param owner              team or person accountable for it
 * @param sla                target start-to-end time, or null
 * @param expressionLanguage language of expressions written as plain strings
 * @param start              the first step
 * @param defaultRetry       retry policy of steps that state none
 * @param triggers           events and schedules that start instances
 * @param steps              the top-level steps in source order; a {@link SubprocessStep} holds its own
 * @param personal           paths of the variables that hold personal data ({@code customer.email}: dotted
 *                           into nested maps, through lists of maps), and {@code businessKey} when the
 *                           business key itself is personal; masked for callers without clearance, never
 *                           logged, erased on request
 */
public record ProcessDefinition(String id, int version, String name, String owner, Duration sla,
                                String expressionLanguage, String start, RetryPolicy defaultRetry,
                                List<Trigger> triggers, List<Step> steps, List<String> personal) {

    /** The path that marks the business key itself as personal. */
    public static final String BUSINESS_KEY = "businessKey";

    public ProcessDefinition {
        triggers = List.copyOf(triggers);
        steps = List.copyOf(steps);
        personal = personal == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(personal));
    }

    /** A definition without personal fields. */
    public ProcessDefinition(String id, int version, String name, String owner, Duration sla,
                             String expressionLanguage, String start, RetryPolicy defaultRetry,
                             List<Trigger> triggers, List<Step> steps) {
        this(id, version, name, owner, sla, expressionLanguage, start, defaultRetry, triggers, steps, List.of());
    }

    /** Every step, those inside sub-processes included, depth-first in source order (a sub-process before its steps). */
    public List<Step> allSteps() {
        List<Step> all = new ArrayList<>(steps.size());
        addAll(steps, all);
        return Collections.unmodifiableList(all);
    }

    private static void addAll(List<Step> level, List<Step> into) {
        for (Step s : level) {
            into.add(s);
            if (s instanceof SubprocessStep sub) {
                addAll(sub.steps(), into);
            }
        }
    }

    /** Every step by id, sub-processes' included; with duplicate ids (an invalid definition) the first wins. */
    public Map<String, Step> stepsById() {
        Map<String, Step> byId = new LinkedHashMap<>();
        for (Step s : allSteps()) {
            byId.putIfAbsent(s.id(), s);
        }
        return Collections.unmodifiableMap(byId);
    }

    /** The step with this id, at any depth. */
    public Optional<Step> step(String stepId) {
        return Optional.ofNullable(find(steps, stepId));
    }

    private static Step find(List<Step> level, String stepId) {
        for (Step s : level) {
            if (s.id() != null && s.id().equals(stepId)) {
                return s;
            }
        }
        for (Step s : level) {
            if (s instanceof SubprocessStep sub) {
                Step inside = find(sub.steps(), stepId);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /** The sub-process whose own steps include this step; empty for a top-level (or unknown) step. */
    public Optional<SubprocessStep> enclosing(String stepId) {
        return Optional.ofNullable(enclosing(steps, null, stepId));
    }

    private static SubprocessStep enclosing(List<Step> level, SubprocessStep owner, String stepId) {
        for (Step s : level) {
            if (s.id() != null && s.id().equals(stepId)) {
                return owner;
            }
            if (s instanceof SubprocessStep sub) {
                SubprocessStep found = enclosing(sub.steps(), sub, stepId);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The retry policy that applies to a step. */
    public RetryPolicy retryOf(Step step) {
        RetryPolicy own = step.info().retry();
        return own != null ? own : (defaultRetry != null ? defaultRetry : RetryPolicy.DEFAULT);
    }

    public ProcessDefinition withVersion(int newVersion) {
        return new ProcessDefinition(id, newVersion, name, owner, sla, expressionLanguage, start, defaultRetry,
                triggers, steps, personal);
    }
}
