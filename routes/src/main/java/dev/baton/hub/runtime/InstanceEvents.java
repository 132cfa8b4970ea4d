package dev.baton.hub.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.metrics.HubMetrics;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.InstanceStatus;

/**
 * After a transaction that changed instances has committed: records the metrics ({@link HubMetrics}) and
 * tells listeners (the benchmark) about instances that ended. In-process only; the database is the record.
 */
@Component
public class InstanceEvents {

    /** Called on the thread that committed; must be quick and must not throw. */
    @FunctionalInterface
    public interface Listener {
        void ended(InstanceState state);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final HubMetrics metrics;
    private final DefinitionRegistry definitions;

    public InstanceEvents(HubMetrics metrics, DefinitionRegistry definitions) {
        this.metrics = metrics;
        this.definitions = definitions;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** {@link #committed} once the caller's transaction commits; nothing if it rolls back. */
    void afterCommit(TransitionWriter writer) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                committed(writer);
            }
        });
    }

    /** What a committed writer did: metrics, then the listeners of ended instances. */
    void committed(TransitionWriter writer) {
        for (InstanceRow r : writer.started()) {
            metrics.started(r.state().definitionId());
        }
        for (InstanceRow r : writer.failed()) {
            metrics.failed(r.state().definitionId());
        }
        for (TransitionWriter.StepTiming s : writer.steps()) {
            metrics.step(s.definitionId(), s.step(), s.status(), s.duration());
        }
        for (InstanceRow r : writer.ended()) {
            metrics.ended(r.state().definitionId(), r.state().status().name(), r.startedAt(), r.endedAt());
            Duration sla = definitions.get(r.state().definitionId(), r.state().version())
                    .map(d -> d.definition().sla()).orElse(null);
            if (sla != null && r.state().status() == InstanceStatus.COMPLETED
                    && r.startedAt() != null && r.endedAt() != null) {
                metrics.sla(r.state().definitionId(),
                        Duration.between(r.startedAt(), r.endedAt()).compareTo(sla) <= 0);
            }
        }
        ended(writer.ended().stream().map(InstanceRow::state).toList());
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
