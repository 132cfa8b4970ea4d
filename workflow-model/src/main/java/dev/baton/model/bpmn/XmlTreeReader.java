package dev.baton.model.bpmn;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads XML bytes into {@link XmlElement}s with StAX, refusing DTDs.
 *
 * <p>Safe against XXE by construction: DTD support and external entities are switched off, external
 * DTD and schema access is the empty list, and a document is refused at its DOCTYPE, which the parser
 * reports before any element, so no entity it declares is ever resolved and no file or URL it names
 * is ever opened. Thread-safe: each read has its own factory and reader. The encoding comes from the byte order mark or the XML declaration (ISO-8859-1
 * included), UTF-8 without either. Each element keeps the line its start tag begins on.
 */
final class XmlTreeReader {

    /**
     * The deepest element nesting read. BPMN nests a few levels per sub-process; what reads the tree
     * (sub-processes in sub-processes) recurses, so a bound here keeps any document from overflowing it.
     */
    static final int MAX_DEPTH = 64;

    /** What reading produced: the root, or a problem with its line. */
    record Result(XmlElement root, String problem, int line) {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    Result read(byte[] xml) {
        XMLStreamReader reader = null;
        try {
            // StAX does not promise that a factory is thread-safe: each read configures its own.
            reader = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
            return readTree(reader);
        } catch (XMLStreamException e) {
            Location at = e.getLocation();
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            // StAX prefixes "ParseError at [row,col]:[3,11]\nMessage: "; the position goes into the text once.
            int cut = message.indexOf("Message: ");
            if (cut >= 0) {
                message = message.substring(cut + "Message: ".length());
            }
            // the parser knows no position past the end of the input (-1)
            boolean placed = at != null && at.getLineNumber() > 0;
            int line = placed ? at.getLineNumber() : 0;
            String where = placed ? "line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ": " : "";
            return new Result(null, String.format(BpmnMessages.MALFORMED_XML, where + message.strip()), line);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing was opened beyond the byte array
                }
            }
        }
    }

    private static Result readTree(XMLStreamReader r) throws XMLStreamException {
        Deque<Builder> open = new ArrayDeque<>();
        XmlElement root = null;
        int lineBefore = 1;
        while (r.hasNext()) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.DTD -> {
                    return new Result(null, BpmnMessages.DOCTYPE_REFUSED, Math.max(r.getLocation().getLineNumber(), 1));
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        attributes.put(XmlElement.key(r.getAttributeNamespace(i), r.getAttributeLocalName(i)),
                                r.getAttributeValue(i));
                    }
                    // Inside an element, the location after the previous event (the blanks before this
                    // tag) is where this start tag begins; the reader's own location is past the tag, on
                    // its last line, which is all there is for the root (the prolog reports no blanks).
                    int line = open.isEmpty() ? r.getLocation().getLineNumber() : lineBefore;
                    if (open.size() >= MAX_DEPTH) {
                        return new Result(null, String.format(BpmnMessages.TOO_DEEP, MAX_DEPTH, line), line);
                    }
                    open.push(new Builder(r.getNamespaceURI(), r.getLocalName(), attributes, line));
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement done = open.pop().build();
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        open.peek().children.add(done);
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!open.isEmpty()) {
                        open.peek().text.append(r.getText());
                    }
                }
                default -> {
                    // comments, processing instructions, the document's start and end
                }
            }
            lineBefore = r.getLocation().getLineNumber();
        }
        return new Result(root, null, 0);
    }

    private static final class Builder {
        private final String namespace;
        private final String name;
        private final Map<String, String> attributes;
        private final int line;
        private final List<XmlElement> children = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        Builder(String namespace, String name, Map<String, String> attributes, int line) {
            this.namespace = namespace == null ? "" : namespace;
            this.name = name;
            this.attributes = attributes;
            this.line = line;
        }

        XmlElement build() {
            return new XmlElement(namespace, name, Map.copyOf(attributes), List.copyOf(children), text.toString(), line);
        }
    }
}
