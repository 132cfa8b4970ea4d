package dev.baton.governance.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.AuditEntry;

class XesWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    private static List<AuditEntry> trail() {
        String[][] rows = {
                {"i-1", null, "INSTANCE_STARTED", "event:sap"},
                {"i-1", "read-order", "STEP_EXECUTED", "connector:sap"},
                {"i-2", null, "INSTANCE_STARTED", "event:sap"},
                {"i-1", "manager-approval", "STEP_WAITING", "hub"},
                {"i-1", "manager-approval", "TASK_COMPLETED", "mia"},
                {"i-2", "read-order", "STEP_EXECUTED", "connector:sap"},
                {null, null, "DEFINITION_DEPLOYED", "dev"}};
        List<AuditEntry> entries = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 0; i < rows.length; i++) {
            AuditEntry e = AuditChain.seal("p0", i + 1, prev, new AuditChain.Draft(T0.plusSeconds(i), rows[i][0],
                    rows[i][0] == null ? null : "order-to-cash", rows[i][0] == null ? null : 1, rows[i][1], rows[i][2],
                    100 + i, rows[i][3], "trace-" + rows[i][0], "span-" + i, null, "summary <&> " + i));
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    @Test
    void theLogValidatesAgainstTheIeeeSchemaOnceTheXesNamespaceIsSetAside() throws Exception {
        StringWriter out = new StringWriter();
        XesWriter.write(trail(), out);
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        Document doc = dbf.newDocumentBuilder().parse(new InputSource(new StringReader(out.toString())));
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(XesWriter.NAMESPACE);

        // The schema has no target namespace while XES files declare one: validate the same tree without it.
        Document plain = dbf.newDocumentBuilder().newDocument();
        plain.appendChild(withoutNamespace(plain, doc.getDocumentElement()));
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Validator validator = sf.newSchema(getClass().getResource("/xes/xes-ieee-1849-2016.xsd")).newValidator();
        validator.validate(new DOMSource(plain));

        NodeList traces = doc.getElementsByTagNameNS(XesWriter.NAMESPACE, "trace");
        assertThat(traces.getLength()).isEqualTo(2); // the deployment has no instance
        Element first = (Element) traces.item(0);
        assertThat(first.getElementsByTagNameNS(XesWriter.NAMESPACE, "event").getLength()).isEqualTo(4);
        String text = out.toString();
        assertThat(text).contains("key=\"concept:name\" value=\"manager-approval\"")
                .contains("key=\"lifecycle:transition\" value=\"complete\"")
                .contains("key=\"org:resource\" value=\"mia\"")
                .contains("key=\"time:timestamp\" value=\"2026-11-26T08:00:04.000Z\"")
                .doesNotContain("summary"); // summaries stay in the trail
    }

    private static Node withoutNamespace(Document target, Element source) {
        Element copy = target.createElement(source.getLocalName());
        for (int i = 0; i < source.getAttributes().getLength(); i++) {
            Node a = source.getAttributes().item(i);
            if (!"xmlns".equals(a.getPrefix()) && !"xmlns".equals(a.getNodeName())) {
                copy.setAttribute(a.getNodeName(), a.getNodeValue());
            }
        }
        NodeList children = source.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                copy.appendChild(withoutNamespace(target, child));
            }
        }
        return copy;
    }

    @Test
    void theSchemaCheckRejectsWhatIsNotXes() throws Exception {
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Validator validator = sf.newSchema(getClass().getResource("/xes/xes-ieee-1849-2016.xsd")).newValidator();
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        Document bad = dbf.newDocumentBuilder().parse(new InputSource(new StringReader(
                "<log xes.version=\"1.0\"><string value=\"no key\"/></log>")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validator.validate(new DOMSource(bad)))
                .isInstanceOf(org.xml.sax.SAXException.class).hasMessageContaining("key");
    }

    @Test
    void lifecycleTransitionsAreTheStandardOnes() {
        assertThat(XesWriter.lifecycle("INSTANCE_STARTED")).isEqualTo("start");
        assertThat(XesWriter.lifecycle("STEP_EXECUTED")).isEqualTo("complete");
        assertThat(XesWriter.lifecycle("STEP_WAITING")).isEqualTo("suspend");
        assertThat(XesWriter.lifecycle("TIMER_FIRED")).isEqualTo("resume");
        assertThat(XesWriter.lifecycle("INSTANCE_CANCELLED")).isEqualTo("pi_abort");
        assertThat(XesWriter.lifecycle("INCIDENT_RAISED")).isEqualTo("unknown");
    }
}
