package dev.baton.governance.evidence;

import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import dev.baton.governance.audit.AuditEntry;

/**
 * Audit entries as an IEEE 1849 XES event log, for process-mining tools: a trace per instance, an event
 * per entry with {@code concept:name} (the step, or the event type for instance-level entries),
 * {@code time:timestamp}, {@code lifecycle:transition} and {@code org:resource} (the actor), plus Baton's
 * own keys (event type and code, trace and span ids, the payload digest, the sequence) for going back
 * from a mined event to its entry. Written with the JDK's StAX writer, in the XES namespace
 * {@code http://www.xes-standard.org/} as real XES files declare it.
 */
public final class XesWriter {

    public static final String NAMESPACE = "http://www.xes-standard.org/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    private XesWriter() {
    }

    /** Writes the entries (in trail order) as one log; entries without an instance are left out. */
    public static void write(List<AuditEntry> entries, Writer out) throws XMLStreamException {
        Map<String, List<AuditEntry>> traces = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            if (e.instanceId() != null) {
                traces.computeIfAbsent(e.instanceId(), k -> new java.util.ArrayList<>()).add(e);
            }
        }
        XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeStartElement("log");
        xml.writeDefaultNamespace(NAMESPACE);
        xml.writeAttribute("xes.version", "1.0");
        xml.writeAttribute("xes.features", "nested-attributes");
        extension(xml, "Concept", "concept", "http://www.xes-standard.org/concept.xesext");
        extension(xml, "Time", "time", "http://www.xes-standard.org/time.xesext");
        extension(xml, "Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext");
        extension(xml, "Organizational", "org", "http://www.xes-standard.org/org.xesext");
        xml.writeStartElement("classifier");
        xml.writeAttribute("name", "Activity");
        xml.writeAttribute("scope", "event");
        xml.writeAttribute("keys", "concept:name lifecycle:transition");
        xml.writeEndElement();
        attribute(xml, "string", "concept:name", "Baton audit trail");
        for (Map.Entry<String, List<AuditEntry>> trace : traces.entrySet()) {
            AuditEntry first = trace.getValue().get(0);
            xml.writeStartElement("trace");
            attribute(xml, "string", "concept:name", trace.getKey());
            if (first.definition() != null) {
                attribute(xml, "string", "baton:process", first.definition()
                        + (first.version() == null ? "" : "@" + first.version()));
            }
            if (first.traceId() != null) {
                attribute(xml, "string", "baton:traceId", first.traceId());
            }
            for (AuditEntry e : trace.getValue()) {
                xml.writeStartElement("event");
                attribute(xml, "string", "concept:name", e.step() != null ? e.step() : e.eventType());
                attribute(xml, "date", "time:timestamp", TIME.format(e.time()));
                attribute(xml, "string", "lifecycle:transition", lifecycle(e.eventType()));
                if (e.actor() != null) {
                    attribute(xml, "string", "org:resource", e.actor());
                }
                attribute(xml, "string", "baton:event", e.eventType());
                attribute(xml, "int", "baton:code", String.valueOf(e.eventCode()));
                attribute(xml, "string", "baton:entry", e.chain() + "/" + e.sequence());
                if (e.spanId() != null) {
                    attribute(xml, "string", "baton:spanId", e.spanId());
                }
                if (e.payloadDigest() != null) {
                    attribute(xml, "string", "baton:payloadSha256", e.payloadDigest());
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
        xml.writeEndDocument();
        xml.flush();
    }

    /** The XES standard lifecycle transition of a Baton event type. */
    static String lifecycle(String eventType) {
        if (eventType == null) {
            return "unknown";
        }
        switch (eventType) {
            case "INSTANCE_STARTED":
            case "STEP_STARTED":
                return "start";
            case "STEP_EXECUTED":
            case "INSTANCE_COMPLETED":
            case "TASK_COMPLETED":
                return "complete";
            case "STEP_WAITING":
            case "TASK_CREATED":
                return "suspend";
            case "TIMER_FIRED":
            case "MESSAGE_CORRELATED":
                return "resume";
            case "INSTANCE_CANCELLED":
                return "pi_abort";
            case "STEP_SKIPPED":
                return "manualskip";
            default:
                return "unknown";
        }
    }

    private static void extension(XMLStreamWriter xml, String name, String prefix, String uri) throws XMLStreamException {
        xml.writeEmptyElement("extension");
        xml.writeAttribute("name", name);
        xml.writeAttribute("prefix", prefix);
        xml.writeAttribute("uri", uri);
    }

    private static void attribute(XMLStreamWriter xml, String type, String key, String value) throws XMLStreamException {
        xml.writeEmptyElement(type);
        xml.writeAttribute("key", key);
        xml.writeAttribute("value", value);
    }
}
