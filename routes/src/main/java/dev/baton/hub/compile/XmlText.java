package dev.baton.hub.compile;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A deployed BPMN document is stored as text (the definition's {@code source}, shown by the API), while
 * its XML declaration may name any encoding (the MIWG files are ISO-8859-1). The XML parser says which
 * encoding the bytes are in; the stored text is turned back into bytes of that same encoding before it
 * is read again, so what the declaration says stays true.
 */
final class XmlText {

    private XmlText() {
    }

    /** The document as text, decoded as its declaration (or byte order mark) says; UTF-8 when it says nothing. */
    static String decode(byte[] document) {
        return new String(document, charsetOf(document));
    }

    /** The stored text as bytes in the encoding its declaration names. */
    static byte[] encode(String text) {
        String declared = null;
        try {
            XMLStreamReader reader = factory().createXMLStreamReader(new StringReader(text));
            declared = reader.getCharacterEncodingScheme();
            reader.close();
        } catch (XMLStreamException e) {
            // not XML after all: the BPMN reader will say what is wrong with it
        }
        return text.getBytes(supported(declared));
    }

    private static Charset charsetOf(byte[] document) {
        try {
            XMLStreamReader reader = factory().createXMLStreamReader(new ByteArrayInputStream(document));
            String encoding = reader.getEncoding();
            reader.close();
            return supported(encoding);
        } catch (XMLStreamException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static Charset supported(String name) {
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Reads the declaration only: no DTD, no external entity is ever fetched. */
    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
