package dev.baton.hub.runtime;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.springframework.stereotype.Component;

import dev.baton.model.engine.Intent;

/**
 * Commands as JMS messages (properties, with the payload as text body) and as JSON (for the step
 * history's record of what a transition sent, and for the outbox).
 */
@Component
public class CommandCodec {

    static final String INSTANCE = "batonInstance";
    static final String DEFINITION = "batonDefinition";
    static final String VERSION = "batonVersion";
    static final String STEP = "batonStep";
    static final String TOKEN = "batonToken";
    static final String ATTEMPT = "batonAttempt";
    static final String INTENT = "batonIntent";
    static final String ACTOR = "batonActor";
    static final String TRACEPARENT = "traceparent";
    /** The name of a correlated message: tells a wait's own message from its step's message boundaries. */
    static final String MESSAGE = "batonMessage";
    /** Artemis' scheduled delivery: epoch millis as a long (a string is silently ignored). */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    private static final TypeReference<List<Wire>> WIRE_LIST = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public CommandCodec(ObjectMapper json) {
        this.json = json;
    }

    public TextMessage toMessage(Session session, Outgoing out) throws JMSException {
        Command c = out.command();
        TextMessage m = session.createTextMessage(c.payload());
        m.setStringProperty(INSTANCE, c.instanceId());
        m.setStringProperty(DEFINITION, c.definitionId());
        m.setIntProperty(VERSION, c.version());
        m.setStringProperty(STEP, c.step());
        m.setStringProperty(TOKEN, c.token());
        m.setIntProperty(ATTEMPT, c.attempt());
        m.setIntProperty(INTENT, c.intent().code());
        if (c.actor() != null) {
            m.setStringProperty(ACTOR, c.actor());
        }
        if (c.traceparent() != null) {
            m.setStringProperty(TRACEPARENT, c.traceparent());
        }
        if (c.message() != null) {
            m.setStringProperty(MESSAGE, c.message());
        }
        if (out.deliverAt() > 0) {
            m.setLongProperty(SCHEDULED_DELIVERY, out.deliverAt());
        }
        return m;
    }

    /**
     * @throws IllegalArgumentException when the message is not a Baton command (missing properties)
     */
    public Command fromMessage(Message m) throws JMSException {
        String instance = m.getStringProperty(INSTANCE);
        String step = m.getStringProperty(STEP);
        String token = m.getStringProperty(TOKEN);
        String definition = m.getStringProperty(DEFINITION);
        if (instance == null || step == null || token == null || definition == null
                || !m.propertyExists(INTENT) || !m.propertyExists(ATTEMPT) || !m.propertyExists(VERSION)) {
            throw new IllegalArgumentException("Not a Baton command: message " + m.getJMSMessageID()
                    + " lacks one of " + List.of(INSTANCE, DEFINITION, VERSION, STEP, TOKEN, ATTEMPT, INTENT));
        }
        try {
            String payload = m instanceof TextMessage t ? t.getText() : null;
            return new Command(instance, definition, m.getIntProperty(VERSION), step, token, m.getIntProperty(ATTEMPT),
                    Intent.byCode(m.getIntProperty(INTENT)), payload, m.getStringProperty(ACTOR),
                    m.getStringProperty(TRACEPARENT), m.getStringProperty(MESSAGE));
        } catch (jakarta.jms.MessageFormatException e) {
            throw new IllegalArgumentException("Not a Baton command: message " + m.getJMSMessageID()
                    + " has a property of the wrong type: " + e.getMessage(), e);
        }
    }

    /** Compact JSON of commands to send, for the step history and the outbox. */
    public String toJson(List<Outgoing> outgoing) {
        if (outgoing.isEmpty()) {
            return null;
        }
        List<Wire> wires = new ArrayList<>(outgoing.size());
        for (Outgoing o : outgoing) {
            Command c = o.command();
            wires.add(new Wire(c.instanceId(), c.definitionId(), c.version(), c.step(), c.token(), c.attempt(),
                    c.intent().code(), c.payload(), c.actor(), c.traceparent(), o.deliverAt(), c.message()));
        }
        try {
            return json.writeValueAsString(wires);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Commands could not be written as JSON", e);
        }
    }

    public List<Outgoing> fromJson(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            List<Wire> wires = json.readValue(text, WIRE_LIST);
            List<Outgoing> out = new ArrayList<>(wires.size());
            for (Wire w : wires) {
                out.add(new Outgoing(new Command(w.i(), w.d(), w.v(), w.s(), w.t(), w.a(), Intent.byCode(w.c()),
                        w.p(), w.u(), w.tp(), w.m()), w.at()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored commands are not readable JSON", e);
        }
    }

    private static final TypeReference<List<List<Object>>> EMITTED = new TypeReference<>() {
    };

    /**
     * What one transition sent, as the step history stores it: {@code [[step, token, attempt, intent,
     * deliverAt], ...]}. Everything else (instance, definition, trace context) is the same for all of
     * them and is known when they are re-sent, so every hand-off stores a few bytes rather than whole
     * commands. Transitions send only execute and timer commands, which carry no payload or actor.
     */
    public String emittedJson(List<Outgoing> outgoing) {
        return emittedJson(outgoing, null);
    }

    /**
     * The same, where some commands may belong to other instances than {@code instanceId} (a call
     * activity's child, its caller): those rows carry their instance, definition, version and payload too.
     */
    public String emittedJson(List<Outgoing> outgoing, String instanceId) {
        if (outgoing.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(32 * outgoing.size()).append('[');
        for (Outgoing o : outgoing) {
            Command c = o.command();
            if (sb.length() > 1) {
                sb.append(',');
            }
            if (instanceId != null && !instanceId.equals(c.instanceId())) {
                try {
                    sb.append(json.writeValueAsString(List.of(c.step(), c.token(), c.attempt(), c.intent().code(),
                            o.deliverAt(), c.instanceId(), c.definitionId(), c.version(),
                            c.payload() == null ? "" : c.payload())));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("A command could not be written as JSON", e);
                }
                continue;
            }
            sb.append("[\"").append(c.step()).append("\",\"").append(c.token()).append("\",").append(c.attempt())
                    .append(',').append(c.intent().code()).append(',').append(o.deliverAt()).append(']');
        }
        return sb.append(']').toString();
    }

    /** The commands of {@link #emittedJson(List)} again, for the instance they belong to. */
    public List<Outgoing> fromEmitted(String text, String instanceId, String definitionId, int version,
                                      String traceparent) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            List<List<Object>> rows = json.readValue(text, EMITTED);
            List<Outgoing> out = new ArrayList<>(rows.size());
            for (List<Object> r : rows) {
                if (r.size() > 5) {
                    String payload = (String) r.get(8);
                    out.add(new Outgoing(new Command((String) r.get(5), (String) r.get(6), ((Number) r.get(7)).intValue(),
                            (String) r.get(0), (String) r.get(1), ((Number) r.get(2)).intValue(),
                            Intent.byCode(((Number) r.get(3)).intValue()), payload.isEmpty() ? null : payload, null,
                            traceparent), ((Number) r.get(4)).longValue()));
                    continue;
                }
                out.add(new Outgoing(new Command(instanceId, definitionId, version, (String) r.get(0),
                        (String) r.get(1), ((Number) r.get(2)).intValue(),
                        Intent.byCode(((Number) r.get(3)).intValue()), null, null, traceparent),
                        ((Number) r.get(4)).longValue()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored commands are not readable JSON", e);
        }
    }

    /** The JSON shape: short names, because the outbox and incidents store whole commands; {@code m} may be absent. */
    record Wire(String i, String d, int v, String s, String t, int a, int c, String p, String u, String tp, long at,
                String m) {
    }
}
