package dev.baton.hub.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import org.springframework.stereotype.Component;

import dev.baton.hub.HubCodes;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.Effect;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.Event;
import dev.baton.model.engine.InstanceStatus;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Transition;

/**
 * Call activities at run time: the child instance a caller's step starts is written in the caller's
 * transaction (so a redelivered command cannot start a second one); leaving the step cancels the child
 * in that same transaction; the child's end goes back to the caller as a {@link Intent#COMPLETE_CHILD}
 * command on the caller's step queue, sent with the transaction that ended the child.
 *
 * <p>The child keeps the caller's business key and runs in the caller's trace, its root span a child of
 * the caller's hand-off. Locks go caller first, then child, never the other way: a child's end reaches
 * its caller through the queue, not by locking it.
 */
@Component
public class ChildInstances {

    /** Who the audit trail and {@code startedBy} name for an instance a call activity started. */
    static final String CALLER_PREFIX = "instance:";

    private final DefinitionRegistry definitions;
    private final Engine engine;
    private final JsonColumns columns;
    private final Tracing tracing;

    public ChildInstances(DefinitionRegistry definitions, Engine engine, JsonColumns columns, Tracing tracing) {
        this.definitions = definitions;
        this.engine = engine;
        this.columns = columns;
        this.tracing = tracing;
    }

    /** The definition a call activity starts: the version it names, else the newest deployed. */
    public CompiledDefinition called(String definitionId, Integer version) {
        return (version == null ? definitions.latest(definitionId) : definitions.get(definitionId, version))
                .orElseThrow(() -> new IllegalStateException(HubCodes.CALLED_NOT_DEPLOYED + " definition '"
                        + definitionId + "'" + (version == null ? "" : " version " + version) + " is not deployed"));
    }

    /** Starts the child of a caller's step in the writer's transaction. */
    List<Outgoing> start(TransitionWriter writer, InstanceRow caller, Effect.StartChild e,
                         TransitionWriter.Source source) {
        CompiledDefinition def = called(e.definition(), e.version());
        String id = Ids.timeOrdered();
        String businessKey = caller.state().businessKey();
        ProcessDefinition model = def.definition();
        Span span = tracing.startCalledInstance(def.id(), def.version(), id,
                model.personal().contains(ProcessDefinition.BUSINESS_KEY) ? null : businessKey,
                tracing.parentOf(source.traceparent()));
        try {
            Transition t = engine.start(model, id, businessKey, e.variables(), writer.now(), true);
            InstanceRow.Parent parent = new InstanceRow.Parent(caller.id(), caller.state().definitionId(),
                    caller.state().version(), e.step(), e.token(), e.attempt());
            InstanceRow row = new InstanceRow(t.state(), caller.traceId(), span.getSpanContext().getSpanId(),
                    CALLER_PREFIX + caller.id(), writer.now(), t.state().status().isFinal() ? writer.now() : null, parent);
            return writer.start(row, t, new TransitionWriter.Source(null, null, writer.now(),
                    span.getSpanContext().getSpanId(), tracing.traceparent(span), null, null));
        } finally {
            span.end();
        }
    }

    /** Cancels the running child of a caller's step that the caller left (deadline, cancellation, error path). */
    void cancel(TransitionWriter writer, InstanceRow caller, Effect.CancelChild e, TransitionWriter.Source source) {
        String childId = writer.stores().instances().runningChild(caller.id(), e.token()).orElse(null);
        if (childId == null) {
            return; // it ended already: its end finds the caller's step left and is ignored
        }
        InstanceRow child = writer.stores().instances().lock(List.of(childId)).get(childId);
        CompiledDefinition def = definitions.get(child.state().definitionId(), child.state().version())
                .orElseThrow(() -> new IllegalStateException(HubCodes.UNKNOWN_DEFINITION + " "
                        + child.state().definitionId() + "@" + child.state().version()));
        Transition t = engine.apply(def.definition(), child.state(), new Event.Cancelled(CALLER_PREFIX + caller.id()),
                writer.now());
        if (!t.isIgnored()) {
            writer.update(child, child.with(t.state(), writer.now()), t, new TransitionWriter.Source(null, null,
                    writer.now(), source.spanId(), source.traceparent(), CALLER_PREFIX + caller.id(), null));
        }
    }

    /**
     * The command that tells the caller its child ended, or null when the caller itself cancelled it (it
     * has left the step already).
     *
     * @param error the code of the error the child threw to its caller, or null
     */
    Outgoing ended(InstanceRow child, TransitionWriter.Source source, String error) {
        InstanceRow.Parent p = child.parent();
        if ((CALLER_PREFIX + p.instanceId()).equals(source.actor())) {
            return null;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("child", child.id());
        payload.put("completed", child.state().status() == InstanceStatus.COMPLETED);
        payload.put("variables", child.state().variables());
        if (error != null) {
            payload.put("error", error);
        }
        return new Outgoing(new Command(p.instanceId(), p.definitionId(), p.version(), p.step(), p.token(),
                p.attempt(), Intent.COMPLETE_CHILD, columns.write(payload), null, source.traceparent()), 0);
    }

    /** The event a {@link Intent#COMPLETE_CHILD} command carries. */
    @SuppressWarnings("unchecked")
    Event.ChildEnded event(Command c) {
        Map<String, Object> payload = columns.readMap(c.payload());
        Object variables = payload.get("variables");
        return new Event.ChildEnded(c.step(), c.token(), c.attempt(), String.valueOf(payload.get("child")),
                Boolean.TRUE.equals(payload.get("completed")),
                variables instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
                payload.get("error") == null ? null : String.valueOf(payload.get("error")));
    }
}
