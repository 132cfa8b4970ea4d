package dev.baton.model.bpmn;

import static dev.baton.model.bpmn.BpmnNamespaces.BATON;
import static dev.baton.model.bpmn.BpmnNamespaces.BPMN;
import static dev.baton.model.bpmn.BpmnNamespaces.BPMNDI;
import static dev.baton.model.bpmn.BpmnNamespaces.DC;
import static dev.baton.model.bpmn.BpmnNamespaces.DI;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.parser.YamlDefinitionParser;

class BpmnWriterTest {

    private final BpmnWriter writer = new BpmnWriter();

    private static ProcessDefinition yaml(String text) {
        YamlDefinitionParser.ParseResult parsed = new YamlDefinitionParser().parse(text);
        assertThat(parsed.problems()).isEmpty();
        return parsed.definition();
    }

    private static XmlElement parse(String xml) {
        XmlTreeReader.Result result = new XmlTreeReader().read(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(result.problem()).isNull();
        return result.root();
    }

    private static XmlElement process(XmlElement root) {
        return root.child(BPMN, "process");
    }

    private static XmlElement byId(XmlElement process, String id) {
        return process.children().stream().filter(c -> id.equals(c.attr("id"))).findFirst().orElseThrow();
    }

    @Test
    void shouldDrawEveryElementOfTheProcess() {
        // given
        ProcessDefinition d = yaml(BpmnRoundTripTest.EVERYTHING);

        // when
        XmlElement root = parse(writer.write(d));

        // then: one shape or edge per flow element, shapes with a size, edges with two points at least
        XmlElement plane = root.child(BPMNDI, "BPMNDiagram").child(BPMNDI, "BPMNPlane");
        assertThat(plane.attr("bpmnElement")).isEqualTo("everything");
        Map<String, XmlElement> drawn = new HashMap<>();
        for (XmlElement di : plane.children()) {
            assertThat(drawn.put(di.attr("bpmnElement"), di)).as(di.attr("bpmnElement")).isNull();
        }
        List<String> flowElements = new ArrayList<>();
        for (XmlElement c : process(root).children()) {
            if (!c.name().equals("extensionElements")) {
                flowElements.add(c.attr("id"));
            }
        }
        assertThat(drawn.keySet()).containsExactlyInAnyOrderElementsOf(flowElements);
        for (XmlElement c : process(root).children()) {
            if (c.name().equals("extensionElements")) {
                continue;
            }
            XmlElement di = drawn.get(c.attr("id"));
            if (c.name().equals("sequenceFlow")) {
                assertThat(di.name()).isEqualTo("BPMNEdge");
                assertThat(di.children(DI, "waypoint")).hasSizeGreaterThanOrEqualTo(2);
            } else {
                assertThat(di.name()).isEqualTo("BPMNShape");
                XmlElement bounds = di.child(DC, "Bounds");
                assertThat(Double.parseDouble(bounds.attr("width"))).isPositive();
                assertThat(Double.parseDouble(bounds.attr("height"))).isPositive();
            }
        }
    }

    @Test
    void shouldLayOutLeftToRightAndStackBranches() {
        // given
        ProcessDefinition fork = yaml("""
                id: fork3
                steps:
                  - {id: split, parallel: [a, b, c]}
                  - {id: a, task: {}, next: merge}
                  - {id: b, task: {}, next: merge}
                  - {id: c, task: {}, next: merge}
                  - {id: merge, join: {}, next: last}
                  - {id: last, task: {}}
                """);

        // when
        Map<String, double[]> at = positions(parse(writer.write(fork)));

        // then
        assertThat(at.get("split")[0]).isLessThan(at.get("a")[0]);
        assertThat(at.get("a")[0]).isEqualTo(at.get("b")[0]).isEqualTo(at.get("c")[0]).isLessThan(at.get("merge")[0]);
        assertThat(at.get("merge")[0]).isLessThan(at.get("last")[0]);
        assertThat(at.get("a")[1]).isLessThan(at.get("b")[1]);
        assertThat(at.get("b")[1]).isLessThan(at.get("c")[1]);
    }

    private static Map<String, double[]> positions(XmlElement root) {
        Map<String, double[]> out = new HashMap<>();
        for (XmlElement shape : root.child(BPMNDI, "BPMNDiagram").child(BPMNDI, "BPMNPlane").children(BPMNDI, "BPMNShape")) {
            XmlElement b = shape.child(DC, "Bounds");
            out.put(shape.attr("bpmnElement"), new double[] {
                    Double.parseDouble(b.attr("x")) + Double.parseDouble(b.attr("width")) / 2,
                    Double.parseDouble(b.attr("y")) + Double.parseDouble(b.attr("height")) / 2});
        }
        return out;
    }

    @Test
    void shouldWriteTheStandardFormsModelersRead() {
        // given
        ProcessDefinition d = yaml(BpmnRoundTripTest.EVERYTHING);

        // when
        XmlElement root = parse(writer.write(d));
        XmlElement process = process(root);

        // then
        assertThat(process.attr("isExecutable")).isEqualTo("true");
        XmlElement approve = byId(process, "approve");
        assertThat(approve.name()).isEqualTo("userTask");
        assertThat(approve.child(BPMN, "potentialOwner").child(BPMN, "resourceAssignmentExpression")
                .child(BPMN, "formalExpression").text()).isEqualTo("group(sales-manager), group(sales-director)");
        XmlElement route = byId(process, "route");
        assertThat(route.name()).isEqualTo("exclusiveGateway");
        XmlElement otherwise = byId(process, route.attr("default"));
        assertThat(otherwise.attr("targetRef")).isEqualTo("split");
        assertThat(otherwise.child(BPMN, "conditionExpression")).isNull();
        assertThat(byId(process, "stop").child(BPMN, "terminateEventDefinition")).isNotNull();
        assertThat(byId(process, "pay").name()).isEqualTo("receiveTask");
        assertThat(byId(process, "ship").name()).isEqualTo("intermediateCatchEvent");
        assertThat(byId(process, "read").name()).isEqualTo("serviceTask");
        assertThat(byId(process, "check").name()).isEqualTo("task");
        assertThat(byId(process, "_1st-step").name()).isEqualTo("scriptTask");
        assertThat(byId(process, "merge").attr("gatewayDirection")).isEqualTo("Converging");
        XmlElement nonInterrupting = process.children(BPMN, "boundaryEvent").stream()
                .filter(b -> b.attr("attachedToRef").equals("_1st-step")).findFirst().orElseThrow();
        assertThat(nonInterrupting.attr("cancelActivity")).isEqualTo("false");
        assertThat(nonInterrupting.child(BPMN, "timerEventDefinition").child(BPMN, "timeDuration").text())
                .isEqualTo("PT10M");
        assertThat(byId(process, "notify").extension(BATON, "timeout").attr("next")).isEqualTo("remind");
        assertThat(root.children(BPMN, "message")).extracting(m -> m.attr("name")).containsExactly(
                "com.example.order.created", "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1", "payment.received",
                "com.example.order.shipped");
    }

    @Test
    void shouldDrawSubProcessesExpandedWithTheirInsideWithinTheirBounds() {
        // given
        ProcessDefinition d = yaml(BpmnRoundTripTest.SUBPROCESSES);

        // when
        XmlElement root = parse(writer.write(d));
        XmlElement process = process(root);

        // then: every flow element at any depth drawn once, each inner shape inside its sub-process
        Map<String, XmlElement> drawn = new HashMap<>();
        for (XmlElement di : root.child(BPMNDI, "BPMNDiagram").child(BPMNDI, "BPMNPlane").children()) {
            assertThat(drawn.put(di.attr("bpmnElement"), di)).as(di.attr("bpmnElement")).isNull();
        }
        List<String> flowElements = new ArrayList<>();
        collect(process, flowElements);
        assertThat(drawn.keySet()).containsExactlyInAnyOrderElementsOf(flowElements);
        XmlElement fix = byId(process, "fix");
        XmlElement deeper = byId(fix, "deeper");
        assertThat(drawn.get("fix").attr("isExpanded")).isEqualTo("true");
        assertThat(drawn.get("deeper").attr("isExpanded")).isEqualTo("true");
        for (XmlElement[] pair : new XmlElement[][] {{fix, byId(fix, "hardware")}, {fix, deeper}, {deeper, byId(deeper, "check")}}) {
            double[] outer = bounds(drawn.get(pair[0].attr("id")));
            double[] inner = bounds(drawn.get(pair[1].attr("id")));
            assertThat(inner[0]).as(pair[1].attr("id")).isGreaterThan(outer[0]);
            assertThat(inner[1]).as(pair[1].attr("id")).isGreaterThan(outer[1]);
            assertThat(inner[0] + inner[2]).as(pair[1].attr("id")).isLessThan(outer[0] + outer[2]);
            assertThat(inner[1] + inner[3]).as(pair[1].attr("id")).isLessThan(outer[1] + outer[3]);
        }
        // a none start inside, an end event where a path ends without an end step
        assertThat(deeper.children(BPMN, "startEvent")).hasSize(1);
        assertThat(deeper.children(BPMN, "endEvent")).extracting(e -> e.attr("id")).containsExactly("check_end", "give-up");
        // errors: one bpmn:error per code; the catch-all names none; boundaries on the sub-process
        assertThat(root.children(BPMN, "error")).extracting(e -> e.attr("errorCode"))
                .containsExactly("NOT_FIXABLE", "BATON-HTTP-404", "odd code & <more>");
        List<XmlElement> onFix = process.children(BPMN, "boundaryEvent").stream()
                .filter(b -> b.attr("attachedToRef").equals("fix")).toList();
        assertThat(onFix).extracting(b -> b.child(BPMN, "timerEventDefinition") != null ? "timer " + b.attr("cancelActivity")
                : "error " + b.child(BPMN, "errorEventDefinition").attr("errorRef"))
                .containsExactly("timer false", "error Error_NOT_FIXABLE", "error null");
        assertThat(byId(process, "rejected").child(BPMN, "errorEventDefinition").attr("errorRef")).isEqualTo("Error_NOT_FIXABLE");
        assertThat(byId(process, "wait-for-review").name()).isEqualTo("eventBasedGateway");
    }

    @Test
    void shouldDrawMessageBoundariesSideBySideOnTheLowerEdgeOfTheirActivity() {
        // given
        ProcessDefinition d = yaml(BpmnRoundTripTest.MESSAGES);

        // when
        XmlElement root = parse(writer.write(d));
        XmlElement process = process(root);

        // then: every flow element drawn once, the boundaries included
        Map<String, XmlElement> drawn = new HashMap<>();
        for (XmlElement di : root.child(BPMNDI, "BPMNDiagram").child(BPMNDI, "BPMNPlane").children()) {
            assertThat(drawn.put(di.attr("bpmnElement"), di)).as(di.attr("bpmnElement")).isNull();
        }
        List<String> flowElements = new ArrayList<>();
        collect(process, flowElements);
        assertThat(drawn.keySet()).containsExactlyInAnyOrderElementsOf(flowElements);
        // the approval's two boundaries: message events by reference, one not interrupting, the key as baton:key
        List<XmlElement> onApprove = process.children(BPMN, "boundaryEvent").stream()
                .filter(b -> b.attr("attachedToRef").equals("approve")).toList();
        assertThat(onApprove).extracting(b -> b.child(BPMN, "messageEventDefinition").attr("messageRef") + " "
                + b.attr("cancelActivity")).containsExactly("Message_com.example.order.cancelled null",
                "Message_com.example.order.changed false");
        assertThat(onApprove.get(0).child(BPMN, "extensionElements").child(BATON, "key").text()).isEqualTo("order.id");
        assertThat(root.children(BPMN, "message")).extracting(m -> m.attr("name")).contains(
                "com.example.order.cancelled", "com.example.order.changed", "com.example.stock.missing");
        // a wait with boundaries is a receive task, as only activities carry boundary events
        assertThat(byId(process, "pay").name()).isEqualTo("receiveTask");
        // side by side on the lower edge of the task
        double[] task = bounds(drawn.get("approve"));
        double[] first = bounds(drawn.get(onApprove.get(0).attr("id")));
        double[] second = bounds(drawn.get(onApprove.get(1).attr("id")));
        for (double[] b : List.of(first, second)) {
            assertThat(b[1]).isLessThan(task[1] + task[3]);
            assertThat(b[1] + b[3]).isGreaterThan(task[1] + task[3]);
            assertThat(b[0]).isBetween(task[0] - b[2], task[0] + task[2]);
        }
        assertThat(first[0]).isNotEqualTo(second[0]);
    }

    private static void collect(XmlElement container, List<String> ids) {
        for (XmlElement c : container.children()) {
            if (!c.name().equals("extensionElements")) {
                ids.add(c.attr("id"));
            }
            if (c.name().equals("subProcess")) {
                collect(c, ids);
            }
        }
    }

    private static double[] bounds(XmlElement shape) {
        XmlElement b = shape.child(DC, "Bounds");
        return new double[] {Double.parseDouble(b.attr("x")), Double.parseDouble(b.attr("y")),
                Double.parseDouble(b.attr("width")), Double.parseDouble(b.attr("height"))};
    }

    @Test
    void shouldKeepTheProcessIdApartFromAStepWithTheSameId() {
        // given
        ProcessDefinition d = yaml("""
                id: approve
                steps:
                  - id: approve
                    human: {roles: [r]}
                """);

        // when
        XmlElement process = process(parse(writer.write(d)));

        // then
        assertThat(process.attr("id")).isEqualTo("approve_2");
        assertThat(process.attr(BATON, "id")).isEqualTo("approve");
        assertThat(byId(process, "approve").name()).isEqualTo("userTask");
    }
}
