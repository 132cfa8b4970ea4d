package dev.baton.hub.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.baton.governance.audit.AuditChain;
import dev.baton.hub.compile.ConnectorCall;
import dev.baton.hub.persistence.HandoffRow;
import dev.baton.hub.persistence.IncidentRow;
import dev.baton.hub.persistence.InstanceRepository;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.SubscriptionRow;
import dev.baton.hub.persistence.TaskRow;
import dev.baton.model.engine.Effect;
import dev.baton.model.engine.Failure;
import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.InstanceStatus;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Token;
import dev.baton.model.engine.Transition;

/**
 * Turns transitions into rows and commands, and writes the rows in batches when flushed. One writer
 * per database transaction; not thread-safe.
 */
final class TransitionWriter {

    /**
     * Where a transition came from.
     *
     * @param consumed    the command consumed, or null for a start or a cancellation
     * @param enqueuedAt  when that command was sent, or null
     * @param startedAt   when it was picked up
     * @param spanId      the span of this hand-off
     * @param traceparent what the commands it sends carry
     * @param actor       who caused it, when a person did
     * @param failure     the failure of the step's action, or null
     * @param calls       the calls the step's action made to connected systems
     */
    record Source(Command consumed, Instant enqueuedAt, Instant startedAt, String spanId, String traceparent,
                  String actor, Failure failure, List<ConnectorCall> calls) {

        Source(Command consumed, Instant enqueuedAt, Instant startedAt, String spanId, String traceparent,
               String actor, Failure failure) {
            this(consumed, enqueuedAt, startedAt, spanId, traceparent, actor, failure, List.of());
        }
    }

    /** Who the audit trail names when no person caused a transition. */
    static final String SYSTEM = "system";

    private final Stores stores;
    private final CommandCodec codec;
    private final Instant now;
    private final ChildInstances children;
    private final Map<String, InstanceRepository.Update> updates = new LinkedHashMap<>();
    private final List<InstanceRow> inserts = new ArrayList<>(1);
    private final List<HandoffRow> handoffs = new ArrayList<>();
    private final List<TaskRow> newTasks = new ArrayList<>(0);
    private final List<String[]> closedTasks = new ArrayList<>(0);
    private final List<String[]> completedTasks = new ArrayList<>(0);
    private final List<String[]> retriedIncidents = new ArrayList<>(0);
    private final List<SubscriptionRow> newSubscriptions = new ArrayList<>(0);
    private final List<String[]> droppedSubscriptions = new ArrayList<>(0);
    private final List<IncidentRow> newIncidents = new ArrayList<>(0);
    private final List<String[]> closedIncidents = new ArrayList<>(0);
    private final List<Outgoing> outgoing = new ArrayList<>();
    private final List<InstanceRow> ended = new ArrayList<>(0);
    private final List<AuditChain.Draft> audit = new ArrayList<>();
    private final List<InstanceRow> started = new ArrayList<>(0);
    private final List<InstanceRow> failed = new ArrayList<>(0);
    private final List<StepTiming> steps = new ArrayList<>();

    /**
     * A step's work, for the step-duration metric: from the moment its command was picked up to the
     * transition's commit time.
     */
    record StepTiming(String definitionId, String step, String status, Duration duration) {
    }

    TransitionWriter(Stores stores, CommandCodec codec, Instant now, ChildInstances children) {
        this.stores = stores;
        this.codec = codec;
        this.now = now;
        this.children = children;
    }

    Instant now() {
        return now;
    }

    Stores stores() {
        return stores;
    }

    /** A new instance, with the transition that started it. */
    List<Outgoing> start(InstanceRow row, Transition t, Source source) {
        inserts.add(row);
        started.add(row);
        return record(null, row, t, source);
    }

    /**
     * Records a transition of an existing instance.
     *
     * @return the commands it sends
     */
    List<Outgoing> update(InstanceRow before, InstanceRow after, Transition t, Source source) {
        InstanceRepository.Update earlier = updates.get(after.id());
        updates.put(after.id(), new InstanceRepository.Update(after,
                after.state().status() != before.state().status() || (earlier != null && earlier.statusChanged()),
                after.state().variables() != before.state().variables()
                        || (earlier != null && earlier.variablesChanged())));
        return record(before, after, t, source);
    }

    /** Commands a redelivered command's stored transition sent: sent again, nothing stored. */
    void resend(List<Outgoing> commands) {
        outgoing.addAll(commands);
    }

    private List<Outgoing> record(InstanceRow before, InstanceRow after, Transition t, Source source) {
        String instanceId = after.id();
        String definitionId = after.state().definitionId();
        int version = after.state().version();
        List<Outgoing> sent = new ArrayList<>(2);
        // What children this transition started send: sent by their own records, kept here too, so a
        // redelivery of this transition's command sends them again.
        List<Outgoing> childCommands = new ArrayList<>(0);
        String error = null;
        String thrownToCaller = null;
        for (Effect effect : t.effects()) {
            if (effect instanceof Effect.ExecuteStep e) {
                sent.add(new Outgoing(new Command(instanceId, definitionId, version, e.step(), e.token(), e.attempt(),
                        e.intent(), null, null, source.traceparent()),
                        e.notBefore() == null ? 0 : e.notBefore().toEpochMilli()));
            } else if (effect instanceof Effect.ScheduleTimer e) {
                Token token = after.state().tokens().get(e.token());
                int attempt = token == null ? 1 : token.attempt();
                sent.add(new Outgoing(new Command(instanceId, definitionId, version, e.step(), e.token(), attempt,
                        e.intent(), null, null, source.traceparent()), e.at().toEpochMilli()));
            } else if (effect instanceof Effect.CreateTask e) {
                newTasks.add(new TaskRow(UUID.randomUUID().toString(), instanceId, definitionId, version, e.step(),
                        e.token(), e.title(), e.candidateRoles(), TaskRow.OPEN, now, e.dueAt(), null, null, null, null,
                        e.assignee()));
            } else if (effect instanceof Effect.CloseTask e) {
                if (t.event() == Intent.TASK_COMPLETED) {
                    // Normally the API marked it already; after a crash that lost that write, this does.
                    completedTasks.add(new String[] {instanceId, e.token(), source.actor()});
                } else {
                    closedTasks.add(new String[] {instanceId, e.token(), e.reason()});
                }
            } else if (effect instanceof Effect.Subscribe e) {
                Token token = after.state().tokens().get(e.token());
                newSubscriptions.add(new SubscriptionRow(instanceId, e.token(), e.step(),
                        token == null ? 1 : token.attempt(), definitionId, version, e.message(), e.key(), now));
            } else if (effect instanceof Effect.Unsubscribe e) {
                droppedSubscriptions.add(new String[] {instanceId, e.token()});
            } else if (effect instanceof Effect.StartChild e) {
                childCommands.addAll(children.start(this, after, e, source));
            } else if (effect instanceof Effect.CancelChild e) {
                children.cancel(this, after, e, source);
            } else if (effect instanceof Effect.ThrowToCaller e) {
                thrownToCaller = e.code();
                error = e.code() + ": thrown at '" + e.step() + "' to the calling instance";
            } else if (effect instanceof Effect.CloseIncident e) {
                closedIncidents.add(new String[] {instanceId, e.token(), e.reason()});
            } else if (effect instanceof Effect.RaiseIncident e) {
                Failure f = e.failure();
                error = f.type() + ": " + f.message();
                // The consumed command, when the incident is its token's; an error no step catches parks a
                // token of its own at the error end, which a retry must name.
                Command failed = source.consumed() != null && e.token().equals(source.consumed().token())
                        ? source.consumed()
                        : new Command(instanceId, definitionId, version, e.step(), e.token(), e.attempt(),
                        Intent.EXECUTE_STEP, null, null, source.traceparent());
                newIncidents.add(new IncidentRow(UUID.randomUUID().toString(), instanceId, definitionId, version,
                        e.step(), e.token(), e.attempt(), f.type(), f.message(), String.join("\n", f.details()),
                        Queues.stepQueue(definitionId, e.step()), codec.toJson(List.of(new Outgoing(failed, 0))),
                        IncidentRow.OPEN, now, null, null));
            }
        }
        if (after.parent() != null && after.state().status().isFinal()
                && (before == null || !before.state().status().isFinal())) {
            Outgoing toCaller = children.ended(after, source, thrownToCaller);
            if (toCaller != null) {
                sent.add(toCaller);
            }
        }
        if (error == null && source.failure() != null) {
            error = source.failure().type() + ": " + source.failure().message();
        }
        if (t.event() == Intent.INCIDENT_RETRIED && source.consumed() != null) {
            retriedIncidents.add(new String[] {instanceId, source.consumed().token(), source.actor()});
        }
        Command c = source.consumed();
        handoffs.add(new HandoffRow(instanceId, c == null ? null : c.step(), c == null ? null : c.token(),
                c == null ? 0 : c.attempt(), c == null ? t.event().pair().code() : c.intent().code(),
                t.event().code(), statusOf(t.event()), c == null ? null : c.queue(), source.enqueuedAt(),
                source.startedAt(), now, source.spanId(), source.actor(),
                codec.emittedJson(childCommands.isEmpty() ? sent : concat(sent, childCommands), instanceId), error));
        if (after.state().status().isFinal() && (before == null || !before.state().status().isFinal())) {
            ended.add(after);
        }
        if (after.state().status() == InstanceStatus.FAILED
                && (before == null || before.state().status() != InstanceStatus.FAILED)) {
            failed.add(after);
        }
        if (c != null && source.startedAt() != null && (c.intent() == Intent.EXECUTE_STEP
                || c.intent() == Intent.RETRY_STEP)) {
            steps.add(new StepTiming(definitionId, c.step(), statusOf(t.event()),
                    Duration.between(source.startedAt(), now)));
        }
        audit(before, after, t, source, sent, error);
        outgoing.addAll(sent);
        return sent;
    }

    /**
     * The audit entries of a transition: one per connector call its step made, then the transition
     * itself. Summaries name steps, outcomes and codes, never variable values; the digest covers the
     * command's payload, else the variables the transition left.
     */
    private void audit(InstanceRow before, InstanceRow after, Transition t, Source source, List<Outgoing> sent,
                       String error) {
        if (!stores.audit().enabled()) {
            return;
        }
        InstanceState state = after.state();
        String step = source.consumed() == null ? null : source.consumed().step();
        for (ConnectorCall call : source.calls()) {
            audit.add(new AuditChain.Draft(call.at(), after.id(), state.definitionId(), state.version(), step,
                    Intent.CONNECTOR_CALLED.name(), Intent.CONNECTOR_CALLED.code(), "connector:" + call.system(),
                    after.traceId(), source.spanId(), null, callSummary(call)));
        }
        String digest;
        if (source.consumed() != null && source.consumed().payload() != null) {
            digest = dev.baton.hub.audit.AuditLog.digestOfText(source.consumed().payload());
        } else if (before == null || before.state().variables() != state.variables()) {
            digest = stores.audit().digestOf(state.variables());
        } else {
            digest = null;
        }
        StringBuilder summary = new StringBuilder(t.event().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        if (step != null) {
            summary.append(" '").append(step).append('\'');
        }
        if (source.consumed() != null && source.consumed().attempt() > 1) {
            summary.append(" attempt ").append(source.consumed().attempt());
        }
        if (error != null) {
            Failure f = source.failure();
            summary.append(": ").append(f != null ? f.type() : error.substring(0, Math.max(0, error.indexOf(':'))));
        }
        if (!sent.isEmpty()) {
            summary.append(" → ");
            for (int i = 0; i < sent.size(); i++) {
                summary.append(i == 0 ? "" : ", ").append(sent.get(i).command().step());
            }
        }
        if (state.status().isFinal() && (before == null || !before.state().status().isFinal())) {
            summary.append("; instance ").append(state.status().name());
        }
        audit.add(new AuditChain.Draft(now, after.id(), state.definitionId(), state.version(), step, t.event().name(),
                t.event().code(), source.actor() == null ? SYSTEM : source.actor(), after.traceId(), source.spanId(),
                digest, summary.toString()));
    }

    private static String callSummary(ConnectorCall call) {
        StringBuilder s = new StringBuilder(call.system()).append('.').append(call.operation());
        if (call.succeeded()) {
            s.append(" → ").append(call.status() == null ? "OK" : call.status().toString());
        } else {
            s.append(" failed: ").append(call.outcome());
            if (call.status() != null) {
                s.append(" (HTTP ").append(call.status()).append(')');
            }
        }
        return s.append(" in ").append(call.millis()).append(" ms").toString();
    }

    private static List<Outgoing> concat(List<Outgoing> a, List<Outgoing> b) {
        List<Outgoing> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    static String statusOf(Intent event) {
        switch (event) {
            case STEP_WAITING:
                return "WAITING";
            case STEP_FAILED:
                return "FAILED";
            case INCIDENT_RAISED:
                return "INCIDENT";
            case STEP_ESCALATED:
                return "ESCALATED";
            case ERROR_CAUGHT:
                return "CAUGHT";
            case INCIDENT_RETRIED:
                return "RETRIED";
            case INSTANCE_STARTED:
                return "STARTED";
            case INSTANCE_CANCELLED:
                return "CANCELLED";
            default:
                return "COMPLETED";
        }
    }

    /** Writes everything recorded, in batches. Runs inside the caller's transaction. */
    void flush() {
        for (InstanceRow row : inserts) {
            stores.instances().insert(row, now);
        }
        stores.instances().update(new ArrayList<>(updates.values()), now);
        stores.handoffs().insert(handoffs);
        stores.tasks().insert(newTasks);
        for (String[] closed : closedTasks) {
            stores.tasks().close(closed[0], closed[1], closed[2], now);
        }
        for (String[] completed : completedTasks) {
            stores.tasks().completeIfOpen(completed[0], completed[1], completed[2], now);
        }
        for (String[] retried : retriedIncidents) {
            stores.incidents().retriedIfOpen(retried[0], retried[1], retried[2], now);
        }
        stores.subscriptions().insert(newSubscriptions);
        for (String[] dropped : droppedSubscriptions) {
            stores.subscriptions().delete(dropped[0], dropped[1]);
        }
        stores.incidents().insert(newIncidents);
        for (String[] closed : closedIncidents) {
            stores.incidents().closeForToken(closed[0], closed[1], closed[2], now);
        }
        stores.audit().append(audit);
    }

    List<Outgoing> outgoing() {
        return outgoing;
    }

    /** Instances this writer ended (completed or cancelled). */
    List<InstanceRow> ended() {
        return ended;
    }

    /** Instances this writer started. */
    List<InstanceRow> started() {
        return started;
    }

    /** Instances this writer moved into FAILED (an incident). */
    List<InstanceRow> failed() {
        return failed;
    }

    /** The steps whose work this writer recorded. */
    List<StepTiming> steps() {
        return steps;
    }
}
