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
 * @param steps              in source order
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

    /** The steps by id; with duplicate ids (an invalid definition) the first wins. */
    public Map<String, Step> stepsById() {
        Map<String, Step> byId = new LinkedHashMap<>();
        for (Step s : steps) {
            byId.putIfAbsent(s.id(), s);
        }
        return Collections.unmodifiableMap(byId);
    }

    public Optional<Step> step(String stepId) {
        for (Step s : steps) {
            if (s.id().equals(stepId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
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
