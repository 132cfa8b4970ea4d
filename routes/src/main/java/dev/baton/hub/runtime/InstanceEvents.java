package dev.baton.hub.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

import dev.baton.model.engine.InstanceState;

/**
 * Tells listeners (metrics, the benchmark) about instances that ended, after the transaction that
 * ended them has committed. In-process only; the database is the record.
 */
@Component
public class InstanceEvents {

    /** Called on the thread that committed; must be quick and must not throw. */
    @FunctionalInterface
    public interface Listener {
        void ended(InstanceState state);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    void ended(List<InstanceState> states) {
        if (listeners.isEmpty()) {
            return;
        }
        for (InstanceState s : states) {
            for (Listener l : listeners) {
                l.ended(s);
            }
        }
    }
}
