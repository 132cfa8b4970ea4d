package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.opentelemetry.api.trace.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.privacy.Scrubber;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.persistence.IncidentRow;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.Transactions;
import dev.baton.hub.privacy.PersonalData;
import dev.baton.hub.privacy.Redaction;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.Failure;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Transition;

/** Incidents: commands that failed for good, kept with their error until an operator retries them. */
@Service
public class IncidentService {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);

    private final Stores stores;
    private final CommandCodec codec;
    private final CommandSender sender;
    private final DefinitionRegistry definitions;
    private final Engine engine;
    private final Transactions tx;
    private final InstanceEvents events;
    private final Tracing tracing;
    private final PersonalData personal;
    private final Clock clock;
    private final ChildInstances children;

    public IncidentService(Stores stores, CommandCodec codec, CommandSender sender, DefinitionRegistry definitions,
                           Engine engine, Transactions tx, Tracing tracing, PersonalData personal,
                           InstanceEvents events, Clock clock, ChildInstances children) {
        this.events = events;
        this.stores = stores;
        this.codec = codec;
        this.sender = sender;
        this.definitions = definitions;
        this.engine = engine;
        this.tx = tx;
        this.tracing = tracing;
        this.personal = personal;
        this.clock = clock;
        this.children = children;
    }

    public List<IncidentRow> list(String status, String instanceId, int limit) {
        return stores.incidents().list(status, instanceId, limit);
    }

    /** The instances of these incidents, by id, read in one query. */
    public java.util.Map<String, InstanceRow> instancesOf(java.util.Collection<IncidentRow> incidents) {
        return stores.instances().read(incidents.stream().map(IncidentRow::instanceId)
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * What a caller sees of an incident's texts: for callers without clearance, scrubbed of the
     * instance's personal values and of those in the failed command's payload.
     */
    public Redaction redactionFor(Authentication caller, IncidentRow incident, InstanceRow instance) {
        Redaction redaction = personal.redactionFor(caller, instance == null ? null : instance.state());
        if (redaction == Redaction.NONE) {
            return redaction;
        }
        for (Outgoing o : codec.fromJson(incident.command())) {
            Command c = o.command();
            redaction = redaction.and(personal.payloadScrubber(c.definitionId(), c.version(), c.intent(), c.step(),
                    c.payload()));
        }
        return redaction;
    }

    public IncidentRow get(String id) {
        return stores.incidents().find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND,
                "No incident " + id));
    }

    /** Re-queues the failed command; the step runs again with a fresh retry budget. */
    public IncidentRow retry(String id, String by) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            IncidentRow incident = get(id);
            if (IncidentRow.OPEN.equals(incident.status()) && isUncaughtError(incident)) {
                throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT, "Incident " + id + " is error "
                        + incident.failureType() + ", thrown at end step '" + incident.step() + "' and caught by no step;"
                        + " running it again would throw it again: cancel the instance instead");
            }
            if (!IncidentRow.OPEN.equals(incident.status()) || !stores.incidents().resolve(id, IncidentRow.RETRIED, by, now)) {
                throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT,
                        "Incident " + id + " is " + get(id).status() + ", not OPEN");
            }
            List<Outgoing> failed = codec.fromJson(incident.command());
            if (incident.instanceId() == null || failed.isEmpty()) {
                throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT,
                        "Incident " + id + " holds no command of an instance; there is nothing to retry");
            }
            Command c = failed.get(0).command();
            InstanceRow instance = stores.instances().find(c.instanceId()).orElse(null);
            // A child of the hand-off that failed for good, so the trace reads failure, incident, retry.
            Span span = instance == null ? null : tracing.startAction("retry incident",
                    Tracing.remote(instance.traceId(), stores.handoffs().lastSpanOfToken(c.instanceId(), c.token())
                            .orElse(instance.rootSpanId())), c.instanceId());
            try {
                Command retry = new Command(c.instanceId(), c.definitionId(), c.version(), c.step(), c.token(),
                        incident.attempt() == null ? c.attempt() : incident.attempt(), Intent.RETRY_INCIDENT, null, by,
                        span == null ? c.traceparent() : tracing.traceparent(span));
                sender.sendAfterCommit(List.of(new Outgoing(retry, 0)));
                stores.audit().append(new AuditChain.Draft(now, c.instanceId(), c.definitionId(), c.version(), c.step(),
                        Intent.RETRY_INCIDENT.name(), Intent.RETRY_INCIDENT.code(), by,
                        instance == null ? null : instance.traceId(),
                        span == null ? null : span.getSpanContext().getSpanId(), null,
                        "incident " + id + " at step '" + c.step() + "' retried by " + by));
            } finally {
                if (span != null) {
                    span.end();
                }
            }
            return stores.incidents().find(id).orElseThrow();
        });
    }

    /** An error no step caught parks its path at the error end, a routing step: it has no queue to retry on. */
    private boolean isUncaughtError(IncidentRow incident) {
        return incident.definitionId() != null && incident.step() != null
                && definitions.get(incident.definitionId(), incident.version())
                .flatMap(d -> d.definition().step(incident.step())).map(s -> !s.isWork()).orElse(false);
    }

    /**
     * A command the broker gave up on (its batch kept failing): the token goes into an incident
     * through the decision function, so the instance shows FAILED and a retry resumes it.
     */
    public void deadLettered(Command c, int deliveries, String lastError) {
        park(c, HubCodes.DEAD_LETTERED, "Dead-lettered after " + deliveries + " delivery attempts"
                + (lastError == null ? "" : ": " + lastError), deliveries + " deliveries");
    }

    /**
     * A command the hub was processing each of the last {@code times} times it stopped (a command that
     * kills the JVM): parked in an incident like a dead-lettered one instead of being run again.
     * Joins the caller's transaction when there is one.
     */
    public void interrupted(Command c, int times) {
        park(c, HubCodes.INTERRUPTED_DELIVERIES, "The hub stopped " + times + " times while processing this command;"
                + " it is parked instead of being run again. Fix the cause (the log of those runs tells what the"
                + " step was doing), then retry", "the hub stopped " + times + " times while processing it");
    }

    private void park(Command c, String code, String message, String why) {
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            InstanceRow row = stores.instances().lock(List.of(c.instanceId())).get(c.instanceId());
            Scrubber scrubber = row == null ? Scrubber.NONE
                    : personal.scrubberOf(row.state(), c.intent(), c.step(), c.payload());
            LOG.error("{} {} for step '{}' of instance {}: {}", code, c.intent(), c.step(), c.instanceId(),
                    scrubber.scrub(message));
            CompiledDefinition def = row == null ? null
                    : definitions.get(row.state().definitionId(), row.state().version()).orElse(null);
            Failure failure = Failure.permanent(code, message);
            Transition t = def == null ? null
                    : engine.raiseIncident(def.definition(), row.state(), c.token(), c.attempt(), failure, now);
            if (t == null || t.isIgnored()) {
                stores.incidents().insert(List.of(new IncidentRow(UUID.randomUUID().toString(), c.instanceId(),
                        c.definitionId(), c.version(), c.step(), c.token(), c.attempt(), code,
                        message, null, c.queue(), codec.toJson(List.of(new Outgoing(c, 0))), IncidentRow.OPEN, now,
                        null, null)));
                stores.audit().append(new AuditChain.Draft(now, c.instanceId(), c.definitionId(), c.version(),
                        c.step(), Intent.INCIDENT_RAISED.name(), Intent.INCIDENT_RAISED.code(), "system",
                        row == null ? null : row.traceId(), null, null, "incident: " + c.intent().name().toLowerCase()
                        + " '" + c.step() + "' " + code + " after " + why));
                return;
            }
            TransitionWriter writer = new TransitionWriter(stores, codec, now, children);
            writer.update(row, row.with(t.state(), now), t, new TransitionWriter.Source(c, null, now, null,
                    c.traceparent(), null, failure));
            writer.flush();
            events.afterCommit(writer);
        });
    }

    /** A message that is not a command at all: kept as an incident so nothing is dropped silently. */
    public void unreadable(String queue, String body, String error) {
        LOG.error("{} unreadable message from {}: {}", HubCodes.NOT_A_COMMAND, queue, error);
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            stores.incidents().insert(List.of(new IncidentRow(UUID.randomUUID().toString(), null, null, null, null,
                    null, null, HubCodes.NOT_A_COMMAND, error, body, queue, "[]", IncidentRow.OPEN, now, null, null)));
            stores.audit().append(new AuditChain.Draft(now, null, null, null, null, Intent.INCIDENT_RAISED.name(),
                    Intent.INCIDENT_RAISED.code(), "system", null, null, AuditLog.digestOfText(body),
                    "incident: " + HubCodes.NOT_A_COMMAND + " unreadable message on " + queue));
        });
    }
}
