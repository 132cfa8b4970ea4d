package dev.baton.model.bpmn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One element of a read document: its name by namespace URI, attributes, child elements, the text
 * directly inside it (as written: not trimmed), and the line its start tag begins on.
 *
 * @param attributes by {@link #key(String, String) key}: the local name for attributes without
 *                   namespace, {@code {uri}local} for the others
 */
record XmlElement(String namespace, String name, Map<String, String> attributes, List<XmlElement> children,
                  String text, int line) {

    static String key(String namespace, String local) {
        return namespace == null || namespace.isEmpty() ? local : "{" + namespace + "}" + local;
    }

    boolean is(String ns, String local) {
        return ns.equals(namespace) && local.equals(name);
    }

    /** An attribute without namespace, or null. */
    String attr(String local) {
        return attributes.get(local);
    }

    /** A namespaced attribute, or null. */
    String attr(String ns, String local) {
        return attributes.get(key(ns, local));
    }

    /** An attribute without namespace with surrounding blanks removed, or null when absent or blank. */
    String value(String local) {
        return blankToNull(attr(local));
    }

    String value(String ns, String local) {
        return blankToNull(attr(ns, local));
    }

    /** The first child of that name, or null. */
    XmlElement child(String ns, String local) {
        for (XmlElement c : children) {
            if (c.is(ns, local)) {
                return c;
            }
        }
        return null;
    }

    List<XmlElement> children(String ns, String local) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.is(ns, local)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The children of {@code extensionElements} in a namespace. */
    List<XmlElement> extensions(String ns) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement holder : children(BpmnNamespaces.BPMN, "extensionElements")) {
            for (XmlElement c : holder.children) {
                if (ns.equals(c.namespace)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** The first extension element of that name, or null. */
    XmlElement extension(String ns, String local) {
        for (XmlElement c : extensions(ns)) {
            if (local.equals(c.name)) {
                return c;
            }
        }
        return null;
    }

    /** The text with surrounding blanks removed, or null when there is none. */
    String trimmedText() {
        return blankToNull(text);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
