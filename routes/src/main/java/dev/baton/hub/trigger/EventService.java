package dev.baton.hub.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.privacy.PersonalFields;
import dev.baton.governance.privacy.Scrubber;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.persistence.EventRepository;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.persistence.SubscriptionRepository;
import dev.baton.hub.persistence.SubscriptionRow;
import dev.baton.hub.persistence.Transactions;
import dev.baton.hub.privacy.PersonalData;
import dev.baton.hub.runtime.Command;
import dev.baton.hub.runtime.CommandSender;
import dev.baton.hub.runtime.InstanceService;
import dev.baton.hub.runtime.Outgoing;
import dev.baton.hub.runtime.Stores;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.definition.EventTrigger;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.definition.Trigger;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.ExpressionEvaluator;
import dev.baton.model.engine.ExpressionEvaluator.EvaluationException;
import dev.baton.model.engine.ExpressionEvaluator.LimitExceeded;
import dev.baton.model.engine.Intent;

/**
 * Takes in CloudEvents: de-duplicates them by channel, source and id, starts the instances whose triggers
 * match ("if this, then that"), and resumes the waiting steps the event correlates with — all in
 * one database transaction, so an event is either fully taken in or not at all. A trigger expression
 * that fails is refused with its error, scrubbed of the personal values the definition marks: the
 * refusal is logged when the event came from a connector.
 *
 * <p>The channel ({@code /events/{channel}}, a connector's name) is who the hub knows sent the event; the
 * CloudEvents {@code source} is what the sender says. So the channel is part of the event's identity (the
 * same source and id on two channels are two events), triggers and waits that name channels take only theirs,
 * and a channel may be held to the sources {@link EventSourceProperties} lists. An event that started and
 * resumed nothing is not kept: a later delivery of it is evaluated again (a retry of an event sent before its
 * definition was deployed starts it).
 */
@Service
public class EventService {

    /** The answer to an event, stored and returned again for a duplicate. */
    public record Answer(String eventId, List<Map<String, Object>> instances, List<Map<String, Object>> correlated,
                         boolean duplicate) {
    }

    /** The CloudEvents type of the message a step waited for. */
    private static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("baton.message.type");

    private final DefinitionRegistry definitions;
    private final InstanceService instances;
    private final EventRepository events;
    private final SubscriptionRepository subscriptions;
    private final CommandSender sender;
    private final ExpressionEvaluator expressions;
    private final JsonColumns columns;
    private final Transactions tx;
    private final PersonalData personal;
    private final Clock clock;
    private final AuditLog audit;
    private final Stores stores;
    private final Tracing tracing;
    private final EventSourceProperties sources;

    public EventService(DefinitionRegistry definitions, InstanceService instances, EventRepository events,
                        SubscriptionRepository subscriptions, CommandSender sender, ExpressionEvaluator expressions,
                        JsonColumns columns, Transactions tx, PersonalData personal, Clock clock, AuditLog audit,
                        Stores stores, Tracing tracing, EventSourceProperties sources) {
        this.sources = sources;
        this.audit = audit;
        this.stores = stores;
        this.tracing = tracing;
        this.definitions = definitions;
        this.instances = instances;
        this.events = events;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.expressions = expressions;
        this.columns = columns;
        this.tx = tx;
        this.personal = personal;
        this.clock = clock;
    }

    /**
     * @param channel    the integration source the event arrived on ({@code /events/{channel}})
     * @param receivedBy the authenticated caller
     */
    public Answer receive(String channel, CloudEvent event, String receivedBy) {
        if (!sources.allows(channel, event.source())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.EVENT_SOURCE_REFUSED, "Expected an event on channel '"
                    + channel + "' to have a source matching " + sources.patternsOf(channel) + ", but its source is '"
                    + event.source() + "'");
        }
        try {
            return tx.execute(status -> takeIn(channel, event, receivedBy));
        } catch (DuplicateKeyException duplicate) {
            String stored = events.answerOf(channel, event.source(), event.id()).orElse(null);
            if (stored == null) {
                // Its instance exists (same id, derived from the event) but the record of the event was
                // lost with the database's unwritten tail in a crash: still a duplicate.
                return new Answer(event.id(), List.of(), List.of(), true);
            }
            Map<String, Object> answer = columns.readMap(stored);
            return new Answer(event.id(), list(answer.get("instances")), list(answer.get("correlated")), true);
        }
    }

    /**
     * The id of the instance an event starts for a definition: derived from the event, its channel included,
     * so that the same event can never start the same definition twice, even if its record in the events
     * table was lost, and another channel's event with the same source and id starts its own.
     */
    static String instanceIdFor(String channel, CloudEvent event, String definitionId) {
        return UUID.nameUUIDFromBytes(("baton-event\n" + channel + "\n" + event.source() + "\n" + event.id() + "\n"
                + definitionId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Prefix of the channels the hub's own triggers fire on ({@code baton:cron}, {@code baton:timer}): a name no
     * {@code /events/{channel}} can take, so no caller can post to them and make a start of the hub's a duplicate.
     */
    public static final String HUB_CHANNEL_PREFIX = "baton:";

    /** Starts an instance of one definition for a synthetic event (cron), de-duplicated like any event. */
    public Answer fire(String channel, CloudEvent event, String definitionId) {
        try {
            // Who started it, as instances and the audit trail have always said: "cron", "timer".
            String by = channel.startsWith(HUB_CHANNEL_PREFIX) ? channel.substring(HUB_CHANNEL_PREFIX.length()) : channel;
            return tx.execute(status -> {
                Instant now = clock.instant();
                events.insert(channel, event.source(), event.id(), event.type(), by, now);
                List<Map<String, Object>> started = new ArrayList<>();
                definitions.latest(definitionId).ifPresent(def -> started.add(start(channel, def, event,
                        event.subject(), Map.of("event", event.asJson()), by)));
                Answer answer = new Answer(event.id(), started, List.of(), false);
                events.answer(channel, event.source(), event.id(), columns.write(answer));
                audit(channel, event, event.asJson(), answer, by, now);
                return answer;
            });
        } catch (DuplicateKeyException duplicate) {
            return new Answer(event.id(), List.of(), List.of(), true);
        }
    }

    private Answer takeIn(String channel, CloudEvent event, String receivedBy) {
        Instant now = clock.instant();
        events.insert(channel, event.source(), event.id(), event.type(), receivedBy, now);
        Map<String, Object> eventJson = event.asJson();
        List<Map<String, Object>> started = new ArrayList<>();
        for (CompiledDefinition def : definitions.latestOfEach()) {
            int n = 0;
            for (Trigger trigger : def.definition().triggers()) {
                n++;
                if (trigger instanceof EventTrigger et && et.type().equals(event.type())
                        && (et.source() == null || et.source().equals(channel))) {
                    String element = def.id() + " trigger " + n;
                    Supplier<Scrubber> scrubber = () -> scrubberFor(def, event, eventJson, null);
                    if (et.when() != null && !test(et.when(), eventJson, element, "when", scrubber)) {
                        continue;
                    }
                    Object key = et.businessKey() == null ? event.subject()
                            : evaluate(et.businessKey(), eventJson, element, "businessKey", scrubber);
                    if (key != null && String.valueOf(key).length() > TextLimits.BUSINESS_KEY) {
                        throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, HubCodes.TRIGGER_FAILED, "Expected the"
                                + " business key " + element + " gives to have at most " + TextLimits.BUSINESS_KEY
                                + " characters, but it has " + String.valueOf(key).length());
                    }
                    Map<String, Object> variables = variables(et, event, eventJson, element,
                            () -> scrubberFor(def, event, eventJson, key));
                    started.add(start(channel, def, event, key == null ? null : String.valueOf(key), variables,
                            "event:" + channel));
                }
            }
        }
        List<Map<String, Object>> correlated = correlate(channel, event, eventJson);
        Answer answer = new Answer(event.id(), started, correlated, false);
        if (started.isEmpty() && correlated.isEmpty()) {
            // Held as received, it would make its retry a duplicate that never starts what is deployed by then.
            events.forget(channel, event.source(), event.id());
        } else {
            events.answer(channel, event.source(), event.id(), columns.write(answer));
        }
        audit(channel, event, eventJson, answer, receivedBy, now);
        return answer;
    }

    /**
     * An {@code EVENT_RECEIVED} entry per instance the event started or resumed (so an instance's trail
     * begins with the event that caused it), or one without an instance when it touched none.
     */
    private void audit(String channel, CloudEvent event, Map<String, Object> eventJson, Answer answer, String by,
                       Instant now) {
        if (!audit.enabled()) {
            return;
        }
        String digest = audit.digestOf(eventJson);
        String about = "event " + event.type() + " (id " + event.id() + ", source " + event.source() + ") "
                + (channel.startsWith(HUB_CHANNEL_PREFIX) ? "from the hub's " + channel.substring(HUB_CHANNEL_PREFIX.length())
                + " trigger" : "on /events/" + channel);
        List<AuditChain.Draft> entries = new ArrayList<>();
        for (Map<String, Object> s : answer.instances()) {
            entries.add(new AuditChain.Draft(now, (String) s.get("instanceId"), (String) s.get("definitionId"),
                    (Integer) s.get("version"), null, Intent.EVENT_RECEIVED.name(), Intent.EVENT_RECEIVED.code(), by,
                    (String) s.get("traceId"), null, digest, about + " started it"));
        }
        for (Map<String, Object> c : answer.correlated()) {
            entries.add(new AuditChain.Draft(now, (String) c.get("instanceId"), null, null, (String) c.get("step"),
                    Intent.EVENT_RECEIVED.name(), Intent.EVENT_RECEIVED.code(), by, null, null, digest,
                    about + " resumed step '" + c.get("step") + "'"));
        }
        if (entries.isEmpty()) {
            entries.add(new AuditChain.Draft(now, null, null, null, null, Intent.EVENT_RECEIVED.name(),
                    Intent.EVENT_RECEIVED.code(), by, null, null, digest, about + " matched no process"));
        }
        audit.append(entries);
    }

    private Map<String, Object> start(String channel, CompiledDefinition def, CloudEvent event, String businessKey,
                                      Map<String, Object> variables, String startedBy) {
        InstanceService.Started s = instances.startInTransaction(def, instanceIdFor(channel, event, def.id()),
                businessKey, variables, startedBy);
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("instanceId", s.instanceId());
        one.put("definitionId", s.definitionId());
        one.put("version", s.version());
        one.put("traceId", s.traceId());
        return one;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> variables(EventTrigger et, CloudEvent event, Map<String, Object> eventJson,
                                          String element, Supplier<Scrubber> scrubber) {
        if (et.variables() == null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("event", event.data());
            return v;
        }
        Object v = evaluate(et.variables(), eventJson, element, "variables", scrubber);
        if (!(v instanceof Map)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, HubCodes.TRIGGER_FAILED, "Expected the variables"
                    + " expression of " + element + " to give an object, but it gave " + scrubber.get().scrub(describe(v)));
        }
        return new LinkedHashMap<>((Map<String, Object>) v);
    }

    /**
     * Resumes the waits and message boundaries that listen for the event's type on its channel. Subscriptions are
     * found by definition id and step whatever their version, so each is taken only if its own version's step
     * accepts the channel; the first such version's step gives the event key.
     */
    private List<Map<String, Object>> correlate(String channel, CloudEvent event, Map<String, Object> eventJson) {
        List<Map<String, Object>> correlated = new ArrayList<>();
        List<Outgoing> commands = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Set<Integer>> accepting = acceptingVersions(channel, event.type());
        String payload = columns.write(event.data());
        for (CompiledDefinition def : definitions.all()) {
            for (Step step : def.definition().allSteps()) {
                if (!(step instanceof WaitStep wait) || !wait.message().equals(event.type()) || !wait.accepts(channel)
                        || !seen.add(def.id() + "/" + wait.id())) {
                    continue;
                }
                Object key = wait.eventKey() == null ? event.subject()
                        : evaluate(wait.eventKey(), eventJson, def.id() + " step '" + wait.id() + "'", "eventKey",
                        () -> scrubberFor(def, event, eventJson, null));
                if (key == null) {
                    continue;
                }
                for (SubscriptionRow s : subscriptions.take(def.id(), wait.id(), event.type(), String.valueOf(key),
                        accepting.get(def.id() + "/" + wait.id()))) {
                    commands.add(new Outgoing(new Command(s.instanceId(), s.definitionId(), s.version(), s.step(),
                            s.token(), s.attempt(), Intent.CORRELATE_MESSAGE, payload, null, waited(s, event),
                            event.type()), 0));
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("instanceId", s.instanceId());
                    one.put("step", s.step());
                    correlated.add(one);
                }
            }
            correlateBoundaries(channel, def, event, payload, commands, correlated, seen, accepting);
        }
        sender.sendAfterCommit(commands);
        return correlated;
    }

    /**
     * For each wait step ({@code definition/step}) and message boundary ({@code definition/step/message}) that
     * listens for this type on this channel, the versions of its definition in which it does.
     */
    private Map<String, Set<Integer>> acceptingVersions(String channel, String type) {
        Map<String, Set<Integer>> accepting = new HashMap<>();
        for (CompiledDefinition def : definitions.all()) {
            for (Step step : def.definition().allSteps()) {
                if (step instanceof WaitStep wait && type.equals(wait.message()) && wait.accepts(channel)) {
                    accepting.computeIfAbsent(def.id() + "/" + wait.id(), k -> new HashSet<>()).add(def.version());
                }
                for (MessageCatch m : step.info().messages()) {
                    if (type.equals(m.message()) && m.accepts(channel)) {
                        accepting.computeIfAbsent(def.id() + "/" + step.id() + "/" + m.message(), k -> new HashSet<>())
                                .add(def.version());
                    }
                }
            }
        }
        return accepting;
    }

    /**
     * The message boundaries of a definition's steps that listen for the event's type on its channel, matched by
     * the event's subject against the key each token subscribed with. An interrupting boundary takes its
     * subscription (the step is abandoned: one message is enough); a non-interrupting one keeps it and numbers the
     * correlation.
     */
    private void correlateBoundaries(String channel, CompiledDefinition def, CloudEvent event, String payload,
                                     List<Outgoing> commands, List<Map<String, Object>> correlated, Set<String> seen,
                                     Map<String, Set<Integer>> accepting) {
        if (event.subject() == null) {
            return;
        }
        for (Step step : def.definition().allSteps()) {
            for (MessageCatch m : step.info().messages()) {
                // Subscriptions are found by definition id and step, whatever the version: once per pair.
                String seenKey = def.id() + "/" + step.id() + "/" + m.message();
                if (!event.type().equals(m.message()) || !m.accepts(channel) || !seen.add(seenKey)) {
                    continue;
                }
                Set<Integer> versions = accepting.get(seenKey);
                List<SubscriptionRow> rows = m.interrupting()
                        ? subscriptions.take(def.id(), step.id(), m.message(), event.subject(), versions)
                        : subscriptions.count(def.id(), step.id(), m.message(), event.subject(), versions);
                for (SubscriptionRow s : rows) {
                    commands.add(new Outgoing(new Command(s.instanceId(), s.definitionId(), s.version(), s.step(),
                            s.token(), s.attempt(), Intent.CORRELATE_MESSAGE, payload, null, waited(s, event),
                            m.message()), 0));
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("instanceId", s.instanceId());
                    one.put("step", s.step());
                    one.put("boundary", m.next());
                    correlated.add(one);
                }
            }
        }
    }

    /**
     * The wait of a step for the message that just came, as a span of the instance's trace from the hand-off
     * that subscribed to now; the resumed step continues from it.
     */
    private String waited(SubscriptionRow s, CloudEvent event) {
        InstanceRow instance = stores.instances().find(s.instanceId()).orElse(null);
        if (instance == null) {
            return null;
        }
        String subscribedBy = stores.handoffs().lastSpanOfToken(s.instanceId(), s.token())
                .orElse(instance.rootSpanId());
        Span span = tracing.recordWait("wait message " + s.step(), Tracing.remote(instance.traceId(), subscribedBy),
                s.createdAt(), clock.instant(), s.instanceId(), s.step(), Attributes.of(MESSAGE_TYPE, event.type()));
        return tracing.traceparent(span);
    }

    private boolean test(Expression e, Object root, String element, String field, Supplier<Scrubber> scrubber) {
        try {
            return expressions.test(e, root);
        } catch (EvaluationException ex) {
            throw triggerFailed(element, field, ex, scrubber.get());
        }
    }

    private Object evaluate(Expression e, Object root, String element, String field, Supplier<Scrubber> scrubber) {
        try {
            return expressions.evaluate(e, root);
        } catch (EvaluationException ex) {
            throw triggerFailed(element, field, ex, scrubber.get());
        }
    }

    private static ApiException triggerFailed(String element, String field, EvaluationException ex, Scrubber scrubber) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ex instanceof LimitExceeded
                ? HubCodes.EXPRESSION_LIMIT : HubCodes.TRIGGER_FAILED,
                "The " + field + " expression of " + element + " failed on this event: " + scrubber.scrub(ex.getMessage()));
    }

    /**
     * Scrubs the personal values a definition marks from a refusal of an event. The variables do not
     * exist yet, so the paths are looked up where the event's data usually lands: as the default
     * variables ({@code {"event": data}}), as the variables themselves, and in the event as expressions
     * see it.
     */
    @SuppressWarnings("unchecked")
    private Scrubber scrubberFor(CompiledDefinition def, CloudEvent event, Map<String, Object> eventJson, Object key) {
        PersonalFields fields = personal.fieldsOf(def);
        if (fields.isEmpty()) {
            return Scrubber.NONE;
        }
        Map<String, Object> asDefault = new HashMap<>();
        asDefault.put("event", event.data());
        Set<String> values = new LinkedHashSet<>(fields.valuesIn(asDefault));
        if (event.data() instanceof Map<?, ?> data) {
            values.addAll(fields.valuesIn((Map<String, Object>) data));
        }
        values.addAll(fields.valuesIn(eventJson));
        if (fields.coversBusinessKey()) {
            values.add(key != null ? String.valueOf(key) : event.subject());
        }
        return Scrubber.of(values);
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v.getClass().getSimpleName() + " " + v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
