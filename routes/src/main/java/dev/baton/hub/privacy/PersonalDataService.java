package dev.baton.hub.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.privacy.PersonalFields;
import dev.baton.governance.privacy.Scrubber;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.persistence.InstanceRepository;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.persistence.PersonalDataRepository;
import dev.baton.hub.persistence.PersonalDataRepository.IncidentTexts;
import dev.baton.hub.persistence.PersonalDataRepository.TaskVariables;
import dev.baton.hub.persistence.Transactions;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.LoopState;

/**
 * Retention and erasure of the personal data instances hold.
 *
 * <ul>
 * <li><b>Retention</b> ({@code baton.privacy.retain-variables}): instances ended longer ago lose their
 * variables (to {@code {}}), their tasks' submitted variables and the payloads of their stored commands;
 * error texts are scrubbed of the personal values, a personal business key is forgotten, and the
 * instance is marked purged. Every node sweeps; the instance's row lock makes each purge happen once.</li>
 * <li><b>Erasure</b> (GDPR Art. 17), by business key: the personal fields of every instance with that
 * key are masked wherever they are stored (variables, task variables, stored commands, error texts, a
 * wait's correlation key); everything else stays.</li>
 * </ul>
 * Each instance's change and its audit entry ({@code VARIABLES_PURGED}, {@code PERSONAL_DATA_ERASED}) are
 * one transaction.
 */
@Service
public class PersonalDataService {

    /** Who the audit trail names for the retention sweep. */
    static final String RETENTION = "system:retention";

    private static final Logger LOG = LoggerFactory.getLogger(PersonalDataService.class);

    /** What an erasure did. */
    public record Erasure(String businessKey, int instances) {
    }

    private final InstanceRepository instances;
    private final PersonalDataRepository stored;
    private final PersonalData personal;
    private final JsonColumns columns;
    private final ObjectMapper json;
    private final Transactions tx;
    private final Tracing tracing;
    private final PrivacyProperties properties;
    private final AuditLog audit;
    private final Clock clock;

    public PersonalDataService(InstanceRepository instances, PersonalDataRepository stored, PersonalData personal,
                               JsonColumns columns, ObjectMapper json, Transactions tx, Tracing tracing,
                               PrivacyProperties properties, AuditLog audit, Clock clock) {
        this.instances = instances;
        this.stored = stored;
        this.personal = personal;
        this.columns = columns;
        this.json = json;
        this.tx = tx;
        this.tracing = tracing;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Erases the personal fields of every instance with this business key, running or ended, in one
     * transaction.
     *
     * @throws ApiException 404 when no instance has the key
     */
    public Erasure erase(String businessKey, String actor) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            List<String> ids = stored.withBusinessKey(businessKey);
            if (ids.isEmpty()) {
                // The key itself may be personal: the answer does not repeat it.
                throw new ApiException(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND, "No instance has this business key");
            }
            Map<String, InstanceRow> rows = instances.lock(ids);
            for (String id : ids) {
                InstanceRow row = rows.get(id);
                if (row != null) {
                    erase(row, actor, now);
                }
            }
            return new Erasure(businessKey, ids.size());
        });
    }

    private void erase(InstanceRow row, String actor, Instant now) {
        InstanceState s = row.state();
        PersonalFields fields = personal.fieldsOf(s.definitionId(), s.version());
        Scrubber scrubber = Scrubber.of(valuesOf(row, fields));
        Span span = tracing.startAction("erase personal data", row.traceId(), row.rootSpanId(), row.id());
        try {
            if (!fields.isEmpty()) {
                boolean keyErased = fields.coversBusinessKey() && s.businessKey() != null;
                // Masked by path, and scrubbed elsewhere: a greeting built from the name goes with the name.
                Redaction redaction = new Redaction(fields, scrubber);
                write(row, new InstanceState(s.instanceId(), s.definitionId(), s.version(), s.status(),
                        keyErased ? null : s.businessKey(), redaction.variables(s.variables()),
                        s.tokens(), s.joins(), s.seq(), erasedLocals(s.locals(), redaction),
                        erasedLoops(s.loops(), redaction), s.called()),
                        keyErased, now);
                for (TaskVariables t : stored.taskVariables(row.id())) {
                    stored.updateTaskVariables(t.id(), rewrite(t.variables(), tree -> scrubber.scrubTree(fields.maskTree(tree))));
                }
                for (IncidentTexts i : stored.incidents(row.id())) {
                    stored.updateIncident(new IncidentTexts(i.id(), scrubber.scrub(i.message()),
                            scrubber.scrub(i.details()), rewrite(i.command(), scrubber::scrubTree)));
                }
                scrubErrors(row.id(), scrubber);
                for (PersonalDataRepository.Subscription sub : stored.subscriptions(row.id())) {
                    if (!scrubber.scrub(sub.correlationKey()).equals(sub.correlationKey())) {
                        stored.clearCorrelationKey(row.id(), sub.token());
                    }
                }
            }
            audit.append(new AuditChain.Draft(now, row.id(), s.definitionId(), s.version(), null,
                    Intent.PERSONAL_DATA_ERASED.name(), Intent.PERSONAL_DATA_ERASED.code(), actor, row.traceId(),
                    span.getSpanContext().getSpanId(), null, fields.isEmpty()
                            ? "no personal fields marked in " + s.definitionId() + "@" + s.version() + "; nothing erased"
                            : "personal fields erased by business key: " + String.join(", ", fields.paths())));
        } finally {
            span.end();
        }
    }

    /** Every few {@code baton.privacy.sweep-every}: purges instances past the retention, if one is set. */
    @Scheduled(fixedDelayString = "${baton.privacy.sweep-every:PT1H}",
            initialDelayString = "${baton.privacy.sweep-every:PT1H}")
    void sweep() {
        if (properties.retainVariables() == null) {
            return;
        }
        Instant cutoff = clock.instant().minus(properties.retainVariables());
        int purged = purgeEndedBefore(cutoff);
        if (purged > 0) {
            LOG.info("Purged the variables of {} instance(s) that ended before {}", purged, cutoff);
        }
    }

    /**
     * Purges the variables, task variables and stored payloads of instances that ended before the
     * cutoff, each in its own transaction. An instance that cannot be purged is logged and left for the
     * next sweep; it does not hold up the others.
     *
     * @return how many were purged
     */
    public int purgeEndedBefore(Instant cutoff) {
        int size = Math.max(1, properties.sweepBatch());
        int purged = 0;
        Set<String> left = new HashSet<>();
        while (true) {
            List<String> batch = stored.endedBefore(cutoff, size + left.size());
            int before = purged;
            for (String id : batch) {
                if (left.contains(id)) {
                    continue;
                }
                try {
                    if (Boolean.TRUE.equals(tx.execute(status -> purge(id, clock.instant())))) {
                        purged++;
                    } else {
                        left.add(id);
                    }
                } catch (RuntimeException e) {
                    // Not the message: it may quote the data being purged.
                    LOG.warn("{} the variables of instance {} could not be purged ({}); the next sweep tries again",
                            HubCodes.PURGE_FAILED, id, e.getClass().getName());
                    left.add(id);
                }
            }
            if (batch.size() < size + left.size() || purged == before) {
                return purged;
            }
        }
    }

    /** The variables local to running multi-instance steps' scopes, masked and scrubbed as the instance's are. */
    private static Map<String, Map<String, Object>> erasedLocals(Map<String, Map<String, Object>> locals,
                                                             Redaction redaction) {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        locals.forEach((scope, variables) -> out.put(scope, redaction.variables(variables)));
        return out;
    }

    /** Running multi-instance steps with the personal values scrubbed from their elements and results. */
    @SuppressWarnings("unchecked")
    private static Map<String, LoopState> erasedLoops(Map<String, LoopState> loops, Redaction redaction) {
        Map<String, LoopState> out = new java.util.LinkedHashMap<>();
        loops.forEach((body, l) -> out.put(body, new LoopState(l.step(), (List<Object>) redaction.value(l.elements()),
                l.started(), l.completed(), (List<Object>) redaction.value(l.results()))));
        return out;
    }

    private boolean purge(String id, Instant now) {
        InstanceRow row = instances.lock(List.of(id)).get(id);
        // Another node may have purged it between the query and the lock.
        if (row == null || !row.state().status().isFinal() || stored.purgedAt(id).isPresent()) {
            return false;
        }
        InstanceState s = row.state();
        PersonalFields fields = personal.fieldsOf(s.definitionId(), s.version());
        Scrubber scrubber = Scrubber.of(valuesOf(row, fields));
        Span span = tracing.startAction("purge variables", row.traceId(), row.rootSpanId(), id);
        try {
            boolean keyPurged = fields.coversBusinessKey() && s.businessKey() != null;
            write(row, new InstanceState(s.instanceId(), s.definitionId(), s.version(), s.status(),
                    keyPurged ? null : s.businessKey(), Map.of(), s.tokens(), s.joins(), s.seq(), s.locals(), s.loops(),
                    s.called()),
                    keyPurged, now);
            for (TaskVariables t : stored.taskVariables(id)) {
                stored.updateTaskVariables(t.id(), null);
            }
            for (IncidentTexts i : stored.incidents(id)) {
                stored.updateIncident(new IncidentTexts(i.id(), scrubber.scrub(i.message()), scrubber.scrub(i.details()),
                        rewrite(i.command(), PersonalDataService::withoutPayloads)));
            }
            scrubErrors(id, scrubber);
            stored.markPurged(id, now);
            audit.append(new AuditChain.Draft(now, id, s.definitionId(), s.version(), null, Intent.VARIABLES_PURGED.name(),
                    Intent.VARIABLES_PURGED.code(), RETENTION, row.traceId(), span.getSpanContext().getSpanId(), null,
                    "variables, task variables and stored payloads purged after the retention of "
                            + properties.retainVariables()));
            return true;
        } finally {
            span.end();
        }
    }

    /**
     * The instance's personal values wherever they may be stored: its variables and business key, its
     * tasks' submitted variables, the payloads of its failed commands.
     */
    private Set<String> valuesOf(InstanceRow row, PersonalFields fields) {
        InstanceState s = row.state();
        Set<String> values = new LinkedHashSet<>(fields.valuesIn(s.variables(), s.businessKey()));
        if (fields.isEmpty()) {
            return values;
        }
        for (TaskVariables t : stored.taskVariables(row.id())) {
            values.addAll(fields.valuesIn(columns.readMap(t.variables())));
        }
        for (IncidentTexts i : stored.incidents(row.id())) {
            JsonNode commands = read(i.command());
            if (commands != null) {
                for (JsonNode c : commands) {
                    if (c.hasNonNull("p") && c.hasNonNull("c")) {
                        values.addAll(personal.payloadValues(s.definitionId(), s.version(),
                                Intent.byCode(c.get("c").asInt()), c.path("s").asText(null), c.get("p").asText()));
                    }
                }
            }
        }
        return values;
    }

    private void write(InstanceRow row, InstanceState state, boolean keyErased, Instant now) {
        instances.update(List.of(new InstanceRepository.Update(new InstanceRow(state, row.traceId(), row.rootSpanId(),
                row.startedBy(), row.startedAt(), row.endedAt()), false, true)), now);
        if (keyErased) {
            stored.clearBusinessKey(row.id());
        }
    }

    private void scrubErrors(String instanceId, Scrubber scrubber) {
        if (scrubber.isEmpty()) {
            return;
        }
        for (PersonalDataRepository.HandoffError e : stored.handoffErrors(instanceId)) {
            String scrubbed = scrubber.scrub(e.error());
            if (!scrubbed.equals(e.error())) {
                stored.updateHandoffError(e.seq(), scrubbed);
            }
        }
    }

    /** Stored commands without their payloads (message data, task variables). */
    private static JsonNode withoutPayloads(JsonNode commands) {
        JsonNode copy = commands.deepCopy();
        for (JsonNode c : copy) {
            if (c instanceof ObjectNode o && o.has("p")) {
                o.putNull("p");
            }
        }
        return copy;
    }

    private String rewrite(String text, java.util.function.UnaryOperator<JsonNode> change) {
        JsonNode tree = read(text);
        if (tree == null) {
            return text;
        }
        try {
            return json.writeValueAsString(change.apply(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A rewritten JSON column could not be written", e);
        }
    }

    private JsonNode read(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
