package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.governance.privacy.Scrubber;
import dev.baton.hub.HubCodes;
import dev.baton.hub.compile.ActionFailure;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.compile.ConnectorCall;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.compile.StepAction;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.privacy.PersonalData;
import dev.baton.hub.privacy.ScrubbedException;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.Step;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.Event;
import dev.baton.model.engine.ExpressionEvaluator.EvaluationException;
import dev.baton.model.engine.Failure;
import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Token;
import dev.baton.model.engine.TokenStatus;
import dev.baton.model.engine.Transition;

/**
 * The processor of every step route. For a batch of commands from one step queue:
 * <ol>
 * <li>runs the actions of execute commands (connector calls, mappings) against a snapshot of each
 * instance, outside any lock, skipping commands already handled;</li>
 * <li>in one database transaction, locks the instances, applies each command to the decision
 * function, and stores new states, step history, tasks, subscriptions and incidents;</li>
 * <li>leaves the commands to send on the batch, for the consumer to send before it commits.</li>
 * </ol>
 * A redelivered command whose transition is already stored changes nothing and re-sends what that
 * transition sent, so effects happen once although transport is at-least-once.
 *
 * <p>Failure texts it logs or puts on spans are scrubbed of the instance's personal values first
 * ({@link PersonalData}); the step history and incidents keep them, for cleared callers.
 */
@Component
public class StepRunner implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    /** OpenTelemetry's attribute for the class of error an operation ended with: here the failure's code. */
    private static final AttributeKey<String> ERROR_TYPE = Tracing.ERROR_TYPE;

    private record Outcome(Map<String, Object> outputs, Failure failure, List<ConnectorCall> calls) {
    }

    private final DefinitionRegistry definitions;
    private final Engine engine;
    private final Stores stores;
    private final CommandCodec codec;
    private final JsonColumns columns;
    /**
     * Plain transactions, not {@code Transactions}: a consumer does not wait for H2 to write its
     * commit before acknowledging the broker. If the process dies in between, the database comes back
     * behind the broker, and {@link Recovery} re-sends the commands of the tokens it has queued; token
     * ids are numbered per instance, so the re-run transitions produce the same tokens again.
     */
    private final TransactionTemplate tx;
    private final Tracing tracing;
    private final InstanceEvents events;
    private final PersonalData personal;
    private final Clock clock;
    private final ChildInstances children;

    public StepRunner(DefinitionRegistry definitions, Engine engine, Stores stores, CommandCodec codec,
                      JsonColumns columns, TransactionTemplate tx, Tracing tracing, InstanceEvents events,
                      PersonalData personal, Clock clock, ChildInstances children) {
        this.definitions = definitions;
        this.engine = engine;
        this.stores = stores;
        this.codec = codec;
        this.columns = columns;
        this.tx = tx;
        this.tracing = tracing;
        this.events = events;
        this.personal = personal;
        this.clock = clock;
        this.children = children;
    }

    @Override
    public void process(Exchange exchange) {
        StepBatch batch = exchange.getMessage().getBody(StepBatch.class);
        batch.setOutgoing(run(batch));
    }

    List<Outgoing> run(StepBatch batch) {
        List<Command> commands = batch.commands();
        Map<Command, Span> spans = new IdentityHashMap<>(commands.size() * 2);
        for (Command c : commands) {
            spans.put(c, startSpan(batch, c));
        }
        // Every instance state met on the way, for scrubbing personal values from a failure of the batch.
        List<InstanceState> seen = new ArrayList<>();
        try {
            Map<Command, Outcome> outcomes = runActions(commands, spans, seen);
            TransitionWriter writer = tx.execute(status -> decide(batch, outcomes, spans, seen));
            events.committed(writer);
            return writer.outgoing();
        } catch (RuntimeException e) {
            Scrubber scrubber = Scrubber.NONE;
            for (InstanceState state : seen) {
                scrubber = scrubber.and(personal.scrubberOf(state));
            }
            for (Command c : commands) {
                scrubber = scrubber.and(personal.payloadScrubber(c.definitionId(), c.version(), c.intent(), c.step(),
                        c.payload()));
            }
            String reason = scrubber.scrub(String.valueOf(e.getMessage()));
            spans.values().forEach(s -> s.setStatus(StatusCode.ERROR, reason));
            throw ScrubbedException.of(e, scrubber);
        } finally {
            spans.values().forEach(Span::end);
        }
    }

    /**
     * The hand-off's span, a child of the span that sent the command; a scheduled command's first
     * delivery gets a span for its wait (timer, back-off, deadline) in between, so the trace shows it.
     */
    private Span startSpan(StepBatch batch, Command c) {
        Context parent = tracing.parentOf(c.traceparent());
        StepBatch.Delivery delivery = batch.delivery(c);
        if (delivery != null && delivery.scheduledFor() != null && delivery.sentAt() != null
                && !delivery.redelivered()) {
            String wait = switch (c.intent()) {
                case FIRE_TIMER -> "wait timer ";
                case ESCALATE_STEP -> "wait deadline ";
                default -> "wait retry ";
            };
            Span waited = tracing.recordWait(wait + c.step(), parent, delivery.sentAt(), delivery.scheduledFor(),
                    c.instanceId(), c.step(), Attributes.of(Tracing.ATTEMPT, (long) c.attempt()));
            parent = parent.with(waited);
        }
        return tracing.startHandoff(batch.queue(), parent, c.definitionId(), c.version(), c.instanceId(), c.step(),
                c.intent().name(), c.attempt(), c.token());
    }

    private Map<Command, Outcome> runActions(List<Command> commands, Map<Command, Span> spans,
                                             List<InstanceState> seen) {
        Map<Command, Outcome> outcomes = new IdentityHashMap<>();
        List<Command> withAction = new ArrayList<>();
        for (Command c : commands) {
            if ((c.intent() == Intent.EXECUTE_STEP || c.intent() == Intent.RETRY_STEP)
                    && definition(c.definitionId(), c.version()).actions().containsKey(c.step())) {
                withAction.add(c);
            }
        }
        if (withAction.isEmpty()) {
            return outcomes;
        }
        Set<String> ids = new LinkedHashSet<>();
        withAction.forEach(c -> ids.add(c.instanceId()));
        Map<String, InstanceRow> snapshots = stores.instances().read(ids);
        snapshots.values().forEach(row -> seen.add(row.state()));
        for (Command c : withAction) {
            InstanceRow row = snapshots.get(c.instanceId());
            if (row == null || row.state().status().isFinal()) {
                continue;
            }
            Token token = row.state().tokens().get(c.token());
            if (token == null || token.status() != TokenStatus.QUEUED || token.attempt() != c.attempt()) {
                continue; // handled already: the decision will ignore it, so do not repeat the work
            }
            StepAction action = definition(c.definitionId(), c.version()).actions().get(c.step());
            List<ConnectorCall> calls = new ArrayList<>(1);
            Failure failure;
            Span span = spans.get(c);
            try (Scope scope = Tracing.activate(span)) {
                try {
                    outcomes.put(c, new Outcome(action.run(c, row.state(), calls), null, calls));
                    continue;
                } catch (ActionFailure f) {
                    failure = f.failure();
                } catch (Exception e) {
                    failure = Failure.retryable(HubCodes.STEP_FAILED, e.toString());
                }
                outcomes.put(c, new Outcome(null, failure, calls));
                failed(c, row.state(), failure, span);
            }
        }
        return outcomes;
    }

    /**
     * Puts a failed attempt in the log and on its span, scrubbed of the instance's personal values: the
     * remote's answer (an HTTP error body echoing the request) often holds them.
     */
    private void failed(Command c, InstanceState state, Failure failure, Span span) {
        Scrubber scrubber = personal.scrubberOf(state);
        String message = scrubber.scrub(failure.message());
        span.setAttribute(ERROR_TYPE, failure.type());
        span.setStatus(StatusCode.ERROR, failure.type() + ": " + message);
        LOG.warn("{} step '{}' of instance {} failed on attempt {} ({}): {}{}", failure.type(), c.step(),
                c.instanceId(), c.attempt(), failure.retryable() ? "retryable" : "permanent", message,
                failure.details().isEmpty() ? "" : " " + scrubber.scrub(String.join(", ", failure.details())));
    }

    private TransitionWriter decide(StepBatch batch, Map<Command, Outcome> outcomes, Map<Command, Span> spans,
                                    List<InstanceState> seen) {
        Instant now = clock.instant();
        TransitionWriter writer = new TransitionWriter(stores, codec, now, children);
        Set<String> ids = new LinkedHashSet<>();
        batch.commands().forEach(c -> ids.add(c.instanceId()));
        Map<String, InstanceRow> rows = new java.util.HashMap<>(stores.instances().lock(ids));
        rows.values().forEach(row -> seen.add(row.state()));
        for (Command c : batch.commands()) {
            try (Scope scope = Tracing.activate(spans.get(c))) {
                decideOne(batch, c, outcomes.get(c), spans.get(c), rows, writer, seen, now);
            }
        }
        writer.flush();
        return writer;
    }

    private void decideOne(StepBatch batch, Command c, Outcome outcome, Span span, Map<String, InstanceRow> rows,
                           TransitionWriter writer, List<InstanceState> seen, Instant now) {
        {
            InstanceRow row = rows.get(c.instanceId());
            if (row == null) {
                LOG.warn("{} command {} for step '{}' names instance {}, which does not exist; dropped",
                        HubCodes.UNKNOWN_INSTANCE, c.intent(), c.step(), c.instanceId());
                return;
            }
            CompiledDefinition def = definition(row.state().definitionId(), row.state().version());
            if (outcome == null && awaitsItsAction(def, row, c)) {
                // The snapshot predates the transition that created this token (a command that overtook
                // its own creation, which re-sent commands after a crash can do): the action has not run.
                // Queue the command again rather than complete the step without its work.
                writer.resend(List.of(new Outgoing(c, 0)));
                return;
            }
            if (repeatsBoundaryMessage(def, row, c)) {
                // The engine starts a non-interrupting boundary's path for every message it is given, so its
                // redelivery is recognised here, by the correlation's number, and sends again what it sent.
                writer.resend(codec.fromEmitted(stores.handoffs().emittedBy(c.instanceId(), c.token(), c.attempt(),
                        c.intent().code()).orElse(null), c.instanceId(), def.id(), def.version(), c.traceparent()));
                return;
            }
            Transition t = apply(def, row, c, outcome, now, span);
            if (t.isIgnored()) {
                // A redelivery of a command whose transition is stored: send again what it sent.
                String emitted = stores.handoffs().emittedBy(c.instanceId(), c.token(), c.attempt(),
                        c.intent().code()).orElse(null);
                writer.resend(codec.fromEmitted(emitted, c.instanceId(), def.id(), def.version(), c.traceparent()));
                return;
            }
            InstanceRow after = row.with(t.state(), now);
            rows.put(after.id(), after);
            seen.add(after.state());
            if (after.state().joins().size() < row.state().joins().size() && !after.state().status().isFinal()) {
                linkJoinedBranches(def, row, c, span);
            }
            writer.update(row, after, t, new TransitionWriter.Source(c, null, batch.pickedUpAt(),
                    span.getSpanContext().getSpanId(), tracing.traceparent(span), c.actor(),
                    outcome == null ? null : outcome.failure(), outcome == null ? List.of() : outcome.calls()));
        }
    }

    /**
     * This hand-off completed a join: the step after it continues as a child of this span, and this
     * span links to the last hand-off of each other branch, so the trace shows what the join waited for.
     */
    private void linkJoinedBranches(CompiledDefinition def, InstanceRow row, Command c, Span span) {
        String join = def.definition().step(c.step()).map(Step::next).orElse(null);
        if (join == null || !(def.definition().step(join).orElse(null) instanceof JoinStep)) {
            return;
        }
        Set<String> arriving = new LinkedHashSet<>();
        for (Step s : def.definition().allSteps()) {
            if (join.equals(s.next()) && !s.id().equals(c.step())) {
                arriving.add(s.id());
            }
        }
        stores.handoffs().lastSpans(c.instanceId(), arriving)
                .forEach(spanId -> Tracing.link(span, row.traceId(), spanId));
    }

    /**
     * Whether a command correlates a message with a non-interrupting boundary of a step its token still sits at,
     * and a command of the same correlation number was consumed already: a redelivery.
     */
    private boolean repeatsBoundaryMessage(CompiledDefinition def, InstanceRow row, Command c) {
        if (c.intent() != Intent.CORRELATE_MESSAGE || c.message() == null) {
            return false;
        }
        Token token = row.state().tokens().get(c.token());
        Step step = def.definition().step(c.step()).orElse(null);
        if (token == null || step == null || !token.step().equals(c.step())
                || step.info().messages().stream().noneMatch(m -> !m.interrupting() && m.message().equals(c.message()))) {
            return false;
        }
        return stores.handoffs().emittedBy(c.instanceId(), c.token(), c.attempt(), c.intent().code()).isPresent();
    }

    /** Whether an execute command is due but its step's action did not run in this batch. */
    private static boolean awaitsItsAction(CompiledDefinition def, InstanceRow row, Command c) {
        if ((c.intent() != Intent.EXECUTE_STEP && c.intent() != Intent.RETRY_STEP)
                || !def.actions().containsKey(c.step())) {
            return false;
        }
        Token token = row.state().tokens().get(c.token());
        return token != null && token.step().equals(c.step()) && token.status() == TokenStatus.QUEUED
                && token.attempt() == c.attempt();
    }

    private Transition apply(CompiledDefinition def, InstanceRow row, Command c, Outcome outcome, Instant now,
                             Span span) {
        Event event = eventOf(c, outcome);
        try {
            return engine.apply(def.definition(), row.state(), event, now);
        } catch (EvaluationException | Engine.RoutingLoopException | Engine.NoPathException e) {
            String code = e instanceof EvaluationException ? HubCodes.expressionFailed(e)
                    : e instanceof Engine.NoPathException ? HubCodes.NO_PATH : HubCodes.ROUTING_LOOP;
            // An expression's error may quote the variables it ran on, or the payload being merged.
            String reason = personal.scrubberOf(row.state(), c.intent(), c.step(), c.payload()).scrub(e.getMessage());
            LOG.warn("{} instance {} at step '{}': {}", code, c.instanceId(), c.step(), reason);
            span.setAttribute(ERROR_TYPE, code);
            span.setStatus(StatusCode.ERROR, code + ": " + reason);
            return engine.raiseIncident(def.definition(), row.state(), c.token(), c.attempt(),
                    Failure.permanent(code, e.getMessage()), now);
        }
    }

    private Event eventOf(Command c, Outcome outcome) {
        switch (c.intent()) {
            case EXECUTE_STEP:
            case RETRY_STEP:
                if (outcome != null && outcome.failure() != null) {
                    return new Event.StepFailed(c.step(), c.token(), c.attempt(), outcome.failure());
                }
                return new Event.StepExecuted(c.step(), c.token(), c.attempt(),
                        outcome == null ? Map.of() : outcome.outputs());
            case FIRE_TIMER:
                return new Event.TimerFired(c.step(), c.token());
            case ESCALATE_STEP:
                return new Event.TimeoutFired(c.step(), c.token());
            case CORRELATE_MESSAGE:
                return new Event.MessageCorrelated(c.step(), c.token(), columns.readAny(c.payload()), c.message());
            case COMPLETE_TASK:
                return new Event.TaskCompleted(c.step(), c.token(), columns.readMap(c.payload()), c.actor());
            case RETRY_INCIDENT:
                return new Event.IncidentRetried(c.step(), c.token(), c.actor());
            case COMPLETE_CHILD:
                return children.event(c);
            default:
                throw new IllegalArgumentException("Command " + c.intent() + " does not belong on a step queue");
        }
    }

    private CompiledDefinition definition(String id, int version) {
        return definitions.get(id, version).orElseThrow(() -> new IllegalStateException(HubCodes.UNKNOWN_DEFINITION
                + " definition " + id + "@" + version + " is not deployed on this node (yet)"));
    }
}
