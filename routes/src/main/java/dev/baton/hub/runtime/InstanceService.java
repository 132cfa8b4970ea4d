package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.Transactions;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.Event;
import dev.baton.model.engine.ExpressionEvaluator.EvaluationException;
import dev.baton.model.engine.InstanceStatus;
import dev.baton.model.engine.Transition;

/** Starting and cancelling instances. */
@Service
public class InstanceService {

    /** What a start returns. */
    public record Started(String instanceId, String definitionId, int version, String traceId, InstanceStatus status) {
    }

    private final DefinitionRegistry definitions;
    private final Engine engine;
    private final Stores stores;
    private final CommandCodec codec;
    private final CommandSender sender;
    private final Transactions tx;
    private final Tracing tracing;
    private final InstanceEvents events;
    private final Clock clock;
    private final ChildInstances children;

    public InstanceService(DefinitionRegistry definitions, Engine engine, Stores stores, CommandCodec codec,
                           CommandSender sender, Transactions tx, Tracing tracing, InstanceEvents events,
                           Clock clock, ChildInstances children) {
        this.definitions = definitions;
        this.engine = engine;
        this.stores = stores;
        this.codec = codec;
        this.sender = sender;
        this.tx = tx;
        this.tracing = tracing;
        this.events = events;
        this.clock = clock;
        this.children = children;
    }

    /**
     * Starts an instance of the newest version of a definition. Returns once the instance and its
     * first commands are durable.
     */
    public Started start(String definitionId, String businessKey, Map<String, Object> variables, String startedBy) {
        CompiledDefinition def = deployed(definitionId);
        return tx.execute(status -> startInTransaction(def, businessKey, variables, startedBy));
    }

    /**
     * The newest version of a definition, to start.
     *
     * @throws ApiException 404 when no version is deployed
     */
    public CompiledDefinition deployed(String definitionId) {
        return definitions.latest(definitionId).orElseThrow(() -> new ApiException(
                HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND, "No definition '" + definitionId + "' is deployed"));
    }

    /** Starts an instance inside the caller's transaction (the events endpoint starts several in one). */
    public Started startInTransaction(CompiledDefinition def, String businessKey, Map<String, Object> variables,
                                      String startedBy) {
        return startInTransaction(def, Ids.timeOrdered(), businessKey, variables, startedBy);
    }

    /**
     * Starts an instance with a given id inside the caller's transaction.
     *
     * @throws org.springframework.dao.DuplicateKeyException when an instance with this id exists
     */
    public Started startInTransaction(CompiledDefinition def, String id, String businessKey,
                                      Map<String, Object> variables, String startedBy) {
        Instant now = clock.instant();
        // A business key marked personal stays off the span: spans leave the hub for collectors.
        Span span = tracing.startInstance(def.id(), def.version(), id,
                def.definition().personal().contains(ProcessDefinition.BUSINESS_KEY) ? null : businessKey);
        try {
            Transition t;
            try {
                t = engine.start(def.definition(), id, businessKey, variables, now);
            } catch (EvaluationException | Engine.RoutingLoopException e) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, HubCodes.expressionFailed(e),
                        "The instance could not be started: " + e.getMessage());
            } catch (Engine.NoPathException e) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, HubCodes.NO_PATH,
                        "The instance could not be started: " + e.getMessage());
            }
            String traceId = span.getSpanContext().getTraceId();
            InstanceRow row = new InstanceRow(t.state(), traceId, span.getSpanContext().getSpanId(), startedBy, now,
                    t.state().status().isFinal() ? now : null);
            TransitionWriter writer = new TransitionWriter(stores, codec, now, children);
            writer.start(row, t, new TransitionWriter.Source(null, null, now, span.getSpanContext().getSpanId(),
                    tracing.traceparent(span), startedBy, null));
            writer.flush();
            sender.sendAfterCommit(writer.outgoing());
            events.afterCommit(writer);
            return new Started(id, def.id(), def.version(), traceId, t.state().status());
        } finally {
            span.end();
        }
    }

    /** Cancels a running instance: its open tasks and waits are closed, its queued commands ignored. */
    public InstanceStatus cancel(String instanceId, String by) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            InstanceRow row = stores.instances().lock(List.of(instanceId)).get(instanceId);
            if (row == null) {
                throw new ApiException(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND, "No instance " + instanceId);
            }
            CompiledDefinition def = definitions.get(row.state().definitionId(), row.state().version())
                    .orElseThrow(() -> new IllegalStateException(HubCodes.UNKNOWN_DEFINITION + " "
                            + row.state().definitionId() + "@" + row.state().version()));
            Transition t = engine.apply(def.definition(), row.state(), new Event.Cancelled(by), now);
            if (t.isIgnored()) {
                throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT,
                        "Instance " + instanceId + " is " + row.state().status() + " and cannot be cancelled");
            }
            Span span = tracing.startAction("cancel instance", row.traceId(), row.rootSpanId(), instanceId);
            try {
                InstanceRow after = row.with(t.state(), now);
                TransitionWriter writer = new TransitionWriter(stores, codec, now, children);
                writer.update(row, after, t, new TransitionWriter.Source(null, null, now,
                        span.getSpanContext().getSpanId(), tracing.traceparent(span), by, null));
                writer.flush();
                stores.incidents().closeForInstance(instanceId, by, now);
                // a called instance tells its caller; the children it cancelled in turn tell nobody
                sender.sendAfterCommit(writer.outgoing());
                events.afterCommit(writer);
                return t.state().status();
            } finally {
                span.end();
            }
        });
    }
}
