package dev.baton.model.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-instance step running: the elements its collection gave when it was entered, how many instances
 * started and completed, and what they gave for the step's {@code collect} variable. Held by the token of the
 * step's body (see {@link Engine}).
 *
 * @param step      the multi-instance step
 * @param elements  the collection as evaluated on entry, one instance per element
 * @param started   instances started so far (all of them at once when parallel, one after the other when sequential)
 * @param completed instances completed so far
 * @param results   per element, in collection order: the instance's result, null until it completes
 */
public record LoopState(String step, List<Object> elements, int started, int completed, List<Object> results) {

    public LoopState {
        elements = elements == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(elements));
        results = results == null ? Collections.nCopies(elements.size(), null)
                : Collections.unmodifiableList(new ArrayList<>(results));
    }

    /** Instances started and not completed. */
    public int active() {
        return started - completed;
    }

    /**
     * The counters the body's scope holds for its instances and its completion condition, under both
     * vendors' names ({@link Engine#NR_OF_INSTANCES}, {@link Engine#NUMBER_OF_INSTANCES}, ...).
     */
    Map<String, Object> counters() {
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put(Engine.NR_OF_INSTANCES, elements.size());
        counters.put(Engine.NR_OF_ACTIVE_INSTANCES, active());
        counters.put(Engine.NR_OF_COMPLETED_INSTANCES, completed);
        counters.put(Engine.NUMBER_OF_INSTANCES, elements.size());
        counters.put(Engine.NUMBER_OF_ACTIVE_INSTANCES, active());
        counters.put(Engine.NUMBER_OF_COMPLETED_INSTANCES, completed);
        return counters;
    }

    LoopState start(int more) {
        return new LoopState(step, elements, started + more, completed, results);
    }

    LoopState complete(int index, Object result) {
        List<Object> out = new ArrayList<>(results);
        out.set(index, result);
        return new LoopState(step, elements, started, completed + 1, out);
    }
}
