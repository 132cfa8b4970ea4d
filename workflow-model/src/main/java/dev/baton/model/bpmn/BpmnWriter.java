package dev.baton.model.bpmn;

import static dev.baton.model.bpmn.BpmnNamespaces.BATON;
import static dev.baton.model.bpmn.BpmnNamespaces.BPMN;
import static dev.baton.model.bpmn.BpmnNamespaces.BPMNDI;
import static dev.baton.model.bpmn.BpmnNamespaces.DC;
import static dev.baton.model.bpmn.BpmnNamespaces.DI;
import static dev.baton.model.bpmn.BpmnNamespaces.XSI;

import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.EventTrigger;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.Trigger;
import dev.baton.model.definition.WaitStep;

/**
 * Exports a definition as BPMN 2.0 XML with a diagram (BPMNDI, laid out by {@link DiagramLayout}),
 * so that any modeler draws it and {@link BpmnReader} reads it back as the same definition. What BPMN
 * has no place for travels in {@code baton:} extensions, the vocabulary {@link BpmnReader} documents.
 *
 * <ul>
 * <li>triggers → message start events ({@code baton:trigger} for source, when, business key, variables) and
 *     timer start events with a cron {@code timeCycle}; a definition without triggers gets a none start event;</li>
 * <li>task → script task with {@code baton:set} entries, or a plain task when it sets nothing;</li>
 * <li>call → service task with {@code baton:call};</li>
 * <li>human → user task with a standard {@code potentialOwner} ({@code group(role), …}) and
 *     {@code baton:title}, {@code baton:due}, {@code baton:fourEyes};</li>
 * <li>wait → message intermediate catch event, or a receive task when it has a timeout (only activities
 *     carry boundary events); {@code baton:wait} for key, event key and result variable, {@code baton:source}
 *     for the channels it accepts;</li>
 * <li>timer → timer intermediate catch event ({@code timeDuration} or {@code timeDate}); a timeout on it
 *     travels as {@code baton:timeout};</li>
 * <li>choice → diverging exclusive gateway with conditional flows in branch order and the default flow;
 *     parallel → diverging parallel gateway; join → converging parallel gateway;</li>
 * <li>end → end event, with a terminate event definition when it terminates, an error event definition
 *     when it throws;</li>
 * <li>a timeout → a timer boundary event ({@code cancelActivity="false"} when not interrupting) whose flow
 *     is the escalation path;</li>
 * <li>subprocess → embedded {@code subProcess} holding a none start event, its steps, and a none end event
 *     (marked {@code baton:implicit="true"}, which reading drops) after each step where a path inside ends
 *     without an end step; drawn expanded, its inside laid out within its bounds;</li>
 * <li>a message boundary → a message boundary event ({@code cancelActivity="false"} when not interrupting),
 *     its key as {@code baton:key}, its channels as {@code baton:source}, whose flow is the message's path; a
 *     wait with message boundaries is a receive task;</li>
 * <li>a catch → an error boundary event whose flow is the error path: with {@code errorRef} to a
 *     {@code bpmn:error} (one per code, at the definitions' level, {@code errorCode} and {@code name} the
 *     code), or without for a catch-all;</li>
 * <li>race → diverging event-based gateway with a flow to each alternative;</li>
 * <li>inclusive → diverging inclusive gateway with conditional flows in branch order and the default flow;
 *     the join its branches reach → converging inclusive gateway; a join with {@code first} → converging
 *     complex gateway with {@code baton:first="true"}.</li>
 * </ul>
 *
 * <p>Steps keep their ids (an id starting with a digit gets a leading {@code _}, which reading drops);
 * start events, boundary events, flows and messages get ids no step has. A reference to a step that does
 * not exist is left out, as it cannot be drawn. Stateless and thread-safe.
 */
public final class BpmnWriter {

    private static final String XMLNS = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;
    private static final Pattern NCNAME_START = Pattern.compile("[A-Za-z_].*");

    /**
     * The BPMN document of a definition.
     *
     * @return XML in UTF-8 form (declared so), indented
     */
    public String write(ProcessDefinition definition) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            doc.setXmlStandalone(true);
            new Export(doc, definition).run();
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (ParserConfigurationException | TransformerException e) {
            // the JDK's own DOM and serializer, configured with standard features: a broken JDK
            throw new IllegalStateException("The JDK's XML support failed to write a document", e);
        }
    }

    /** One export: the document under construction and the ids handed out. */
    private static final class Export {
        private final Document doc;
        private final ProcessDefinition def;
        private final String language;
        private final Set<String> used = new HashSet<>();
        private final Map<String, String> stepIds = new HashMap<>();
        private final Map<String, String> messageIds = new LinkedHashMap<>();
        private final Map<String, String> errorIds = new LinkedHashMap<>();
        private final Map<String, String> shapes = new LinkedHashMap<>();
        private final DiagramLayout drawing = new DiagramLayout();
        private int flowCount;
        /** The element being filled, the process or a sub-process, with its flows, boundary events and layout. */
        private Element process;
        private List<Element> flows = new ArrayList<>();
        private List<Element> boundaries = new ArrayList<>();
        private DiagramLayout layout = drawing;
        /** See {@link #inclusiveJoins()}; computed on first use. */
        private Set<String> inclusiveJoins;

        Export(Document doc, ProcessDefinition def) {
            this.doc = doc;
            this.def = def;
            this.language = def.expressionLanguage() == null ? Expression.JSONATA : def.expressionLanguage();
        }

        void run() {
            Element definitions = bpmn("definitions");
            definitions.setAttributeNS(XMLNS, "xmlns:bpmn", BPMN);
            definitions.setAttributeNS(XMLNS, "xmlns:bpmndi", BPMNDI);
            definitions.setAttributeNS(XMLNS, "xmlns:dc", DC);
            definitions.setAttributeNS(XMLNS, "xmlns:di", DI);
            definitions.setAttributeNS(XMLNS, "xmlns:xsi", XSI);
            definitions.setAttributeNS(XMLNS, "xmlns:baton", BATON);
            doc.appendChild(definitions);
            for (Step step : def.allSteps()) {
                if (step.id() != null && !stepIds.containsKey(step.id())) {
                    stepIds.put(step.id(), reserve(xmlId(step.id())));
                }
            }
            String processId = def.id() == null ? "process" : xmlId(def.id());
            // the process and the steps share one id space in XML, not in Baton
            boolean clash = used.contains(processId);
            processId = allocate(processId);
            definitions.setAttribute("id", allocate("Definitions_" + processId));
            definitions.setAttribute("targetNamespace", BATON + "/definitions");
            definitions.setAttribute("exporter", "Baton");
            collectMessages();
            messageIds.forEach((name, id) -> {
                Element message = bpmn("message");
                message.setAttribute("id", id);
                message.setAttribute("name", name);
                definitions.appendChild(message);
            });
            errorIds.forEach((code, id) -> {
                Element error = bpmn("error");
                error.setAttribute("id", id);
                error.setAttribute("name", code);
                error.setAttribute("errorCode", code);
                definitions.appendChild(error);
            });
            process = bpmn("process");
            process.setAttribute("id", processId);
            if (clash) {
                batonAttribute(process, "id", def.id());
            }
            if (def.name() != null) {
                process.setAttribute("name", def.name());
            }
            process.setAttribute("isExecutable", "true");
            batonAttribute(process, "owner", def.owner());
            batonAttribute(process, "sla", def.sla() == null ? null : def.sla().toString());
            if (def.expressionLanguage() != null && !def.expressionLanguage().equals(Expression.JSONATA)) {
                batonAttribute(process, "expressionLanguage", def.expressionLanguage());
            }
            List<Element> extensions = new ArrayList<>();
            if (def.defaultRetry() != null) {
                extensions.add(retry(def.defaultRetry()));
            }
            for (String path : def.personal()) {
                extensions.add(text(baton("personal"), path));
            }
            extend(process, extensions);
            definitions.appendChild(process);
            starts();
            for (Step step : def.steps()) {
                if (step.id() != null && stepIds.get(step.id()) != null && !shapes.containsKey(stepIds.get(step.id()))) {
                    step(step);
                }
            }
            lanes();
            boundaries.forEach(process::appendChild);
            flows.forEach(process::appendChild);
            diagram(definitions, process.getAttribute("id"));
        }

        /**
         * The lanes the steps were drawn in, as a lane set listing their nodes: semantics only, without lane
         * shapes in the diagram (the layout does not draw swimlanes).
         */
        private void lanes() {
            Map<String, List<String>> byLane = new LinkedHashMap<>();
            for (Step step : def.steps()) {
                String id = stepIds.get(step.id());
                if (step.info().lane() != null && id != null) {
                    byLane.computeIfAbsent(step.info().lane(), l -> new ArrayList<>()).add(id);
                }
            }
            if (byLane.isEmpty()) {
                return;
            }
            Element laneSet = bpmn("laneSet");
            laneSet.setAttribute("id", allocate("LaneSet_1"));
            byLane.forEach((name, ids) -> {
                Element lane = bpmn("lane");
                lane.setAttribute("id", allocate("Lane_" + xmlId(name.replaceAll("[^A-Za-z0-9_.-]", "_"))));
                lane.setAttribute("name", name);
                for (String id : ids) {
                    lane.appendChild(text(bpmn("flowNodeRef"), id));
                }
                laneSet.appendChild(lane);
            });
            Node first = process.getFirstChild();
            if (first != null && "extensionElements".equals(first.getLocalName())) {
                first = first.getNextSibling();
            }
            process.insertBefore(laneSet, first);
        }

        private void collectMessages() {
            List<String> names = new ArrayList<>();
            for (Trigger t : def.triggers()) {
                if (t instanceof EventTrigger e && e.type() != null) {
                    names.add(e.type());
                }
            }
            List<String> codes = new ArrayList<>();
            for (Step s : def.allSteps()) {
                if (s instanceof WaitStep w && w.message() != null) {
                    names.add(w.message());
                }
                if (s instanceof EndStep e && e.error() != null) {
                    codes.add(e.error());
                }
                s.info().catches().stream().map(ErrorCatch::error).filter(Objects::nonNull).forEach(codes::add);
                s.info().messages().stream().map(MessageCatch::message).filter(Objects::nonNull).forEach(names::add);
            }
            for (String name : names) {
                messageIds.computeIfAbsent(name, n -> allocate("Message_" + xmlId(n.replaceAll("[^A-Za-z0-9_.-]", "_"))));
            }
            for (String code : codes) {
                errorIds.computeIfAbsent(code, c -> allocate("Error_" + xmlId(c.replaceAll("[^A-Za-z0-9_.-]", "_"))));
            }
        }

        // ---- Start events ----

        private void starts() {
            if (def.triggers().isEmpty()) {
                Element start = bpmn("startEvent");
                start.setAttribute("id", allocate("StartEvent"));
                startFlow(start);
            }
            for (Trigger trigger : def.triggers()) {
                Element start = bpmn("startEvent");
                start.setAttribute("id", allocate("StartEvent_" + (def.triggers().indexOf(trigger) + 1)));
                if (trigger instanceof EventTrigger e) {
                    start.setAttribute("name", e.type());
                    Element extra = baton("trigger");
                    if (e.source() != null) {
                        extra.setAttribute("source", e.source());
                    }
                    expression(extra, "when", e.when());
                    expression(extra, "businessKey", e.businessKey());
                    expression(extra, "variables", e.variables());
                    // always written: without it, a message start reads the event's data as the variables
                    extend(start, List.of(extra));
                    Element definition = bpmn("messageEventDefinition");
                    if (e.type() != null) {
                        definition.setAttribute("messageRef", messageIds.get(e.type()));
                    }
                    start.appendChild(definition);
                } else if (trigger instanceof CronTrigger c) {
                    start.setAttribute("name", c.cron());
                    Element definition = bpmn("timerEventDefinition");
                    Element cycle = text(bpmn("timeCycle"), c.cron() == null ? "" : c.cron());
                    cycle.setAttributeNS(XSI, "xsi:type", "bpmn:tFormalExpression");
                    definition.appendChild(cycle);
                    start.appendChild(definition);
                } else if (trigger instanceof TimerTrigger t) {
                    // timeDate for once at a date, a repeating interval (R1/duration for a timeDuration) otherwise
                    String text = t.at() != null ? t.at().toString() : t.cycle();
                    start.setAttribute("name", text == null ? "" : text);
                    Element definition = bpmn("timerEventDefinition");
                    Element time = text(bpmn(t.at() != null ? "timeDate" : "timeCycle"), text == null ? "" : text);
                    time.setAttributeNS(XSI, "xsi:type", "bpmn:tFormalExpression");
                    definition.appendChild(time);
                    start.appendChild(definition);
                }
                startFlow(start);
            }
        }

        private void startFlow(Element start) {
            process.appendChild(start);
            shape(start, DiagramLayout.Shape.EVENT);
            flow(start.getAttribute("id"), def.start(), null);
        }

        // ---- Steps ----

        private void step(Step step) {
            String id = stepIds.get(step.id());
            List<Element> extensions = new ArrayList<>();
            Element el;
            boolean activity = false;
            if (step instanceof TaskStep task) {
                activity = true;
                el = bpmn(task.set().isEmpty() ? "task" : "scriptTask");
                task.set().forEach((variable, e) -> {
                    Element set = expression(baton("set"), e);
                    set.setAttribute("variable", variable);
                    extensions.add(set);
                });
            } else if (step instanceof CallStep call) {
                activity = true;
                el = bpmn("serviceTask");
                extensions.add(call(call));
            } else if (step instanceof HumanTaskStep human) {
                activity = true;
                el = human(human);
            } else if (step instanceof CallActivityStep called) {
                activity = true;
                el = bpmn("callActivity");
                if (called.definition() != null) {
                    el.setAttribute("calledElement", called.definition());
                }
                extensions.add(process(called));
            } else if (step instanceof WaitStep wait) {
                activity = wait.info().timeout() != null || !wait.info().messages().isEmpty()
                        || wait.info().multi() != null;
                el = bpmn(activity ? "receiveTask" : "intermediateCatchEvent");
                String messageRef = wait.message() == null ? null : messageIds.get(wait.message());
                Element spec = baton("wait");
                if (wait.resultVariable() != null) {
                    spec.setAttribute("into", wait.resultVariable());
                }
                expression(spec, "key", wait.key());
                expression(spec, "eventKey", wait.eventKey());
                sources(el, wait.sources());
                if (spec.hasAttributes() || spec.hasChildNodes()) {
                    extensions.add(spec);
                }
                if (activity) {
                    if (messageRef != null) {
                        el.setAttribute("messageRef", messageRef);
                    }
                } else {
                    Element definition = bpmn("messageEventDefinition");
                    if (messageRef != null) {
                        definition.setAttribute("messageRef", messageRef);
                    }
                    el.appendChild(definition);
                }
            } else if (step instanceof TimerStep timer) {
                el = bpmn("intermediateCatchEvent");
                Element definition = bpmn("timerEventDefinition");
                if (timer.duration() != null) {
                    definition.appendChild(formal(bpmn("timeDuration"), timer.duration().toString()));
                }
                if (timer.date() != null) {
                    definition.appendChild(formal(bpmn("timeDate"), timer.date().toString()));
                }
                el.appendChild(definition);
            } else if (step instanceof ChoiceStep) {
                el = bpmn("exclusiveGateway");
                el.setAttribute("gatewayDirection", "Diverging");
            } else if (step instanceof ParallelStep) {
                el = bpmn("parallelGateway");
                el.setAttribute("gatewayDirection", "Diverging");
            } else if (step instanceof JoinStep join && join.first()) {
                el = bpmn("complexGateway");
                el.setAttribute("gatewayDirection", "Converging");
                batonAttribute(el, "first", "true");
            } else if (step instanceof JoinStep && inclusiveJoins().contains(step.id())) {
                el = bpmn("inclusiveGateway");
                el.setAttribute("gatewayDirection", "Converging");
            } else if (step instanceof InclusiveStep) {
                el = bpmn("inclusiveGateway");
                el.setAttribute("gatewayDirection", "Diverging");
            } else if (step instanceof JoinStep) {
                el = bpmn("parallelGateway");
                el.setAttribute("gatewayDirection", "Converging");
            } else if (step instanceof RaceStep) {
                el = bpmn("eventBasedGateway");
                el.setAttribute("gatewayDirection", "Diverging");
            } else if (step instanceof SubprocessStep) {
                activity = true;
                el = bpmn("subProcess");
            } else {
                EndStep end = (EndStep) step;
                el = bpmn("endEvent");
                if (end.terminate()) {
                    el.appendChild(bpmn("terminateEventDefinition"));
                }
                if (end.error() != null) {
                    Element definition = bpmn("errorEventDefinition");
                    definition.setAttribute("errorRef", errorIds.get(end.error()));
                    el.appendChild(definition);
                }
            }
            el.setAttribute("id", id);
            if (step.name() != null) {
                el.setAttribute("name", step.name());
            }
            if (step.isWork()) {
                if (step.info().concurrency() != 0) {
                    batonAttribute(el, "concurrency", Integer.toString(step.info().concurrency()));
                }
                if (step.info().retry() != null) {
                    extensions.add(retry(step.info().retry()));
                }
                StepTimeout timeout = step.info().timeout();
                if (timeout != null && !activity) {
                    Element t = baton("timeout");
                    if (timeout.after() != null) {
                        t.setAttribute("after", timeout.after().toString());
                    }
                    if (timeout.next() != null) {
                        t.setAttribute("next", timeout.next());
                    }
                    t.setAttribute("interrupting", Boolean.toString(timeout.interrupting()));
                    extensions.add(t);
                }
            }
            MultiInstance multi = step.info().multi();
            if (multi != null && !activity) {
                // a timer catch event: BPMN gives events no loop characteristics
                extensions.add(multi(multi, true));
            }
            extend(el, extensions);
            if (multi != null && activity) {
                el.appendChild(loop(multi));
            }
            process.appendChild(el);
            if (step instanceof SubprocessStep sub) {
                shapes.put(id, "subProcess");
                inside(sub, el, layout.expanded(id));
            } else {
                DiagramLayout.Shape shape = el.getLocalName().endsWith("Gateway") ? DiagramLayout.Shape.GATEWAY
                        : el.getLocalName().endsWith("Event") ? DiagramLayout.Shape.EVENT : DiagramLayout.Shape.TASK;
                shape(el, shape);
            }
            outgoing(step, el);
            if (activity && step.info().timeout() != null) {
                boundary(el, step.info().timeout());
            }
            if (activity) {
                for (ErrorCatch c : step.info().catches()) {
                    errorBoundary(el, c);
                }
                for (MessageCatch m : step.info().messages()) {
                    messageBoundary(el, m);
                }
            }
        }

        /**
         * A sub-process's inside: a none start event, its steps, an end event after each step where a
         * path ends without an end step (BPMN's implicit end, drawn), then its boundary events and flows.
         */
        private void inside(SubprocessStep sub, Element el, DiagramLayout inner) {
            Element outerProcess = process;
            List<Element> outerFlows = flows;
            List<Element> outerBoundaries = boundaries;
            DiagramLayout outerLayout = layout;
            process = el;
            flows = new ArrayList<>();
            boundaries = new ArrayList<>();
            layout = inner;
            Element start = bpmn("startEvent");
            start.setAttribute("id", allocate(el.getAttribute("id") + "_start"));
            process.appendChild(start);
            shape(start, DiagramLayout.Shape.EVENT);
            flow(start.getAttribute("id"), sub.start(), null);
            for (Step step : sub.steps()) {
                if (step.id() != null && stepIds.get(step.id()) != null && !shapes.containsKey(stepIds.get(step.id()))) {
                    step(step);
                    if (endsPath(step)) {
                        Element end = bpmn("endEvent");
                        end.setAttribute("id", allocate(stepIds.get(step.id()) + "_end"));
                        batonAttribute(end, "implicit", "true");
                        process.appendChild(end);
                        shape(end, DiagramLayout.Shape.EVENT);
                        flowBetween(stepIds.get(step.id()), end.getAttribute("id"), null);
                    }
                }
            }
            boundaries.forEach(process::appendChild);
            flows.forEach(process::appendChild);
            process = outerProcess;
            flows = outerFlows;
            boundaries = outerBoundaries;
            layout = outerLayout;
        }

        /** Whether a path ends after the step without an end step: it leads nowhere, and routes nowhere itself. */
        private static boolean endsPath(Step step) {
            return step.next() == null && !(step instanceof EndStep || step instanceof ChoiceStep
                    || step instanceof ParallelStep || step instanceof RaceStep || step instanceof InclusiveStep);
        }

        /**
         * The joins that close inclusive splits, drawn as converging inclusive gateways as modelers pair
         * them: where a split's paths reach a join outside any fork nested in it.
         */
        private Set<String> inclusiveJoins() {
            if (inclusiveJoins != null) {
                return inclusiveJoins;
            }
            Map<String, Step> byId = new HashMap<>();
            def.allSteps().forEach(s -> byId.putIfAbsent(s.id(), s));
            inclusiveJoins = new HashSet<>();
            for (Step step : byId.values()) {
                if (!(step instanceof InclusiveStep split)) {
                    continue;
                }
                Deque<Object[]> todo = new ArrayDeque<>();
                forkTargets(split).forEach(t -> todo.push(new Object[] {t, 0}));
                Set<String> seen = new HashSet<>();
                while (!todo.isEmpty()) {
                    Object[] at = todo.pop();
                    Step s = byId.get((String) at[0]);
                    int depth = (Integer) at[1];
                    if (s == null || depth > byId.size() || !seen.add(s.id() + "@" + depth)) {
                        continue;
                    }
                    if (s instanceof JoinStep) {
                        if (depth == 0) {
                            inclusiveJoins.add(s.id());
                        } else if (s.next() != null) {
                            todo.push(new Object[] {s.next(), depth - 1});
                        }
                    } else if (s instanceof ParallelStep || s instanceof InclusiveStep) {
                        forkTargets(s).forEach(t -> todo.push(new Object[] {t, depth + 1}));
                    } else {
                        forkTargets(s).forEach(t -> todo.push(new Object[] {t, depth}));
                    }
                }
            }
            return inclusiveJoins;
        }

        /** Where a step's paths go on at its own level: branches, alternatives, next, escalation and error paths. */
        private static List<String> forkTargets(Step s) {
            List<String> out = new ArrayList<>();
            if (s instanceof ChoiceStep c) {
                c.branches().forEach(b -> out.add(b.next()));
                out.add(c.otherwise());
            } else if (s instanceof InclusiveStep i) {
                i.branches().forEach(b -> out.add(b.next()));
                out.add(i.otherwise());
            } else if (s instanceof ParallelStep p) {
                out.addAll(p.branches());
            } else if (s instanceof RaceStep r) {
                out.addAll(r.alternatives());
            } else if (!(s instanceof EndStep)) {
                out.add(s.next());
            }
            if (s.info().timeout() != null) {
                out.add(s.info().timeout().next());
            }
            s.info().catches().forEach(c -> out.add(c.next()));
            out.removeIf(Objects::isNull);
            return out;
        }

        private void errorBoundary(Element host, ErrorCatch c) {
            Element b = bpmn("boundaryEvent");
            b.setAttribute("id", allocate(host.getAttribute("id") + "_error"));
            b.setAttribute("attachedToRef", host.getAttribute("id"));
            Element definition = bpmn("errorEventDefinition");
            if (c.error() != null) {
                definition.setAttribute("errorRef", errorIds.get(c.error()));
            }
            b.appendChild(definition);
            boundaries.add(b);
            layout.boundary(b.getAttribute("id"), host.getAttribute("id"));
            shapes.put(b.getAttribute("id"), "boundary");
            flow(b.getAttribute("id"), c.next(), null);
        }

        /** A message boundary event: its message by reference, its key as {@code baton:key}, its path as its flow. */
        private void messageBoundary(Element host, MessageCatch m) {
            Element b = bpmn("boundaryEvent");
            b.setAttribute("id", allocate(host.getAttribute("id") + "_message"));
            b.setAttribute("attachedToRef", host.getAttribute("id"));
            if (!m.interrupting()) {
                b.setAttribute("cancelActivity", "false");
            }
            Element definition = bpmn("messageEventDefinition");
            if (m.message() != null) {
                definition.setAttribute("messageRef", messageIds.get(m.message()));
            }
            b.appendChild(definition);
            sources(b, m.sources());
            if (m.key() != null) {
                extend(b, List.of(expression(baton("key"), m.key())));
            }
            boundaries.add(b);
            layout.boundary(b.getAttribute("id"), host.getAttribute("id"));
            shapes.put(b.getAttribute("id"), "boundary");
            flow(b.getAttribute("id"), m.next(), null);
        }

        private void outgoing(Step step, Element el) {
            String id = el.getAttribute("id");
            if (step instanceof InclusiveStep inclusive) {
                conditionalFlows(el, inclusive.branches(), inclusive.otherwise());
            } else if (step instanceof ChoiceStep choice) {
                conditionalFlows(el, choice.branches(), choice.otherwise());
            } else if (step instanceof ParallelStep parallel) {
                for (String branch : parallel.branches()) {
                    flow(id, branch, null);
                }
            } else if (step instanceof RaceStep race) {
                for (String alternative : race.alternatives()) {
                    flow(id, alternative, null);
                }
            } else if (!(step instanceof EndStep)) {
                flow(id, step.next(), null);
            }
        }

        /** A gateway's conditional flows in branch order, then its default flow, when there is one. */
        private void conditionalFlows(Element el, List<ChoiceStep.Branch> branches, String otherwise) {
            String id = el.getAttribute("id");
            for (ChoiceStep.Branch branch : branches) {
                Element condition = bpmn("conditionExpression");
                condition.setAttributeNS(XSI, "xsi:type", "bpmn:tFormalExpression");
                if (branch.when() != null) {
                    if (branch.when().language().equals(Expression.JSONATA)) {
                        condition.setAttribute("language", "https://jsonata.org");
                    } else {
                        condition.setAttributeNS(BATON, "baton:language", branch.when().language());
                    }
                    text(condition, branch.when().text());
                }
                flow(id, branch.next(), condition);
            }
            Element fallback = flow(id, otherwise, null);
            if (fallback != null) {
                el.setAttribute("default", fallback.getAttribute("id"));
            }
        }

        private void boundary(Element host, StepTimeout timeout) {
            Element b = bpmn("boundaryEvent");
            b.setAttribute("id", allocate(host.getAttribute("id") + "_timeout"));
            b.setAttribute("attachedToRef", host.getAttribute("id"));
            if (!timeout.interrupting()) {
                b.setAttribute("cancelActivity", "false");
            }
            Element definition = bpmn("timerEventDefinition");
            if (timeout.after() != null) {
                definition.appendChild(formal(bpmn("timeDuration"), timeout.after().toString()));
            }
            b.appendChild(definition);
            boundaries.add(b);
            layout.boundary(b.getAttribute("id"), host.getAttribute("id"));
            shapes.put(b.getAttribute("id"), "boundary");
            flow(b.getAttribute("id"), timeout.next(), null);
        }

        private Element call(CallStep call) {
            Element spec = baton("call");
            if (call.operation() != null) {
                spec.setAttribute("operation", call.operation());
            }
            if (call.with() != null && !call.with().isEmpty()) {
                spec.appendChild(values(baton("with"), call.with()));
            }
            expression(spec, "input", call.input());
            if (call.output() != null) {
                outputs(spec, call.output());
            }
            return spec;
        }

        /** How a call activity calls: Baton's own spelling, read back as written. */
        private Element process(CallActivityStep called) {
            Element spec = baton("process");
            if (called.definition() != null) {
                spec.setAttribute("definition", called.definition());
            }
            if (called.version() != null) {
                spec.setAttribute("version", called.version().toString());
            }
            expression(spec, "input", called.input());
            if (called.output() == null) {
                spec.setAttribute("output", "all");
            } else {
                outputs(spec, called.output());
            }
            return spec;
        }

        /** Appends {@code <baton:output variable="…">expression</baton:output>} per mapped variable. */
        private void outputs(Element spec, Map<String, Expression> output) {
            output.forEach((variable, e) -> {
                Element o = expression(baton("output"), e);
                o.setAttribute("variable", variable);
                spec.appendChild(o);
            });
        }

        private Element human(HumanTaskStep human) {
            Element el = bpmn("userTask");
            batonAttribute(el, "title", human.title());
            batonAttribute(el, "assignee", human.assignee() == null ? null : human.assignee().text());
            batonAttribute(el, "due", human.due() == null ? null : human.due().toString());
            if (human.fourEyes()) {
                batonAttribute(el, "fourEyes", "true");
            }
            if (human.candidateRoles() != null && !human.candidateRoles().isEmpty()) {
                Element owner = bpmn("potentialOwner");
                Element assignment = bpmn("resourceAssignmentExpression");
                List<String> groups = human.candidateRoles().stream().map(r -> "group(" + r + ")").toList();
                assignment.appendChild(formal(bpmn("formalExpression"), String.join(", ", groups)));
                owner.appendChild(assignment);
                el.appendChild(owner);
            }
            return el;
        }

        private Element flow(String source, String targetStep, Element condition) {
            String target = targetStep == null ? null : stepIds.get(targetStep);
            return target == null ? null : flowBetween(source, target, condition);
        }

        private Element flowBetween(String source, String target, Element condition) {
            Element flow = bpmn("sequenceFlow");
            flow.setAttribute("id", allocate("Flow_" + (++flowCount)));
            flow.setAttribute("sourceRef", source);
            flow.setAttribute("targetRef", target);
            if (condition != null) {
                flow.appendChild(condition);
            }
            flows.add(flow);
            layout.edge(flow.getAttribute("id"), source, target);
            return flow;
        }

        // ---- Baton's extensions ----

        private Element retry(RetryPolicy retry) {
            Element r = baton("retry");
            r.setAttribute("attempts", Integer.toString(retry.maxAttempts()));
            if (retry.initialBackoff() != null) {
                r.setAttribute("backoff", retry.initialBackoff().toString());
            }
            r.setAttribute("multiplier", Double.toString(retry.multiplier()));
            if (retry.maxBackoff() != null) {
                r.setAttribute("maxBackoff", retry.maxBackoff().toString());
            }
            return r;
        }

        /**
         * {@code multiInstanceLoopCharacteristics}: {@code isSequential}, a {@code baton:multi} with the collection,
         * element variable, output collection and element, and the standard {@code completionCondition}.
         */
        private Element loop(MultiInstance multi) {
            Element loop = bpmn("multiInstanceLoopCharacteristics");
            loop.setAttribute("isSequential", Boolean.toString(multi.sequential()));
            Element holder = bpmn("extensionElements");
            holder.appendChild(multi(multi, false));
            loop.appendChild(holder);
            if (multi.completion() != null) {
                Element condition = bpmn("completionCondition");
                condition.setAttributeNS(XSI, "xsi:type", "bpmn:tFormalExpression");
                if (multi.completion().language().equals(Expression.JSONATA)) {
                    condition.setAttribute("language", "https://jsonata.org");
                } else {
                    condition.setAttributeNS(BATON, "baton:language", multi.completion().language());
                }
                loop.appendChild(text(condition, multi.completion().text()));
            }
            return loop;
        }

        /** {@code <baton:multi as collect [sequential]><baton:over/><baton:result/>[<baton:until/>]</baton:multi>}. */
        private Element multi(MultiInstance multi, boolean whole) {
            Element m = baton("multi");
            m.setAttribute("as", multi.element());
            if (multi.collect() != null) {
                m.setAttribute("collect", multi.collect());
            }
            if (whole && multi.sequential()) {
                m.setAttribute("sequential", "true");
            }
            expression(m, "over", multi.collection());
            expression(m, "result", multi.result());
            if (whole) {
                expression(m, "until", multi.completion());
            }
            return m;
        }

        /** Appends {@code <baton:name>text</baton:name>} when there is an expression. */
        private void expression(Element parent, String name, Expression e) {
            if (e != null) {
                parent.appendChild(expression(baton(name), e));
            }
        }

        private Element expression(Element el, Expression e) {
            if (!Objects.equals(e.language(), language)) {
                el.setAttribute("language", e.language());
            }
            return text(el, e.text());
        }

        private Element values(Element holder, Map<?, ?> values) {
            values.forEach((name, value) -> {
                Element v = value(value);
                v.setAttribute("name", String.valueOf(name));
                holder.appendChild(v);
            });
            return holder;
        }

        /** Plain data as {@code baton:value}: what the YAML parser reads (strings, numbers, booleans, null, lists, maps). */
        private Element value(Object value) {
            Element v = baton("value");
            if (value == null) {
                v.setAttribute("type", "null");
            } else if (value instanceof Map<?, ?> map) {
                v.setAttribute("type", "map");
                values(v, map);
            } else if (value instanceof List<?> list) {
                v.setAttribute("type", "list");
                list.forEach(item -> v.appendChild(value(item)));
            } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                    || value instanceof Short || value instanceof Byte) {
                v.setAttribute("type", "integer");
                text(v, value.toString());
            } else if (value instanceof Number) {
                v.setAttribute("type", "number");
                text(v, Double.toString(((Number) value).doubleValue()));
            } else if (value instanceof Boolean) {
                v.setAttribute("type", "boolean");
                text(v, value.toString());
            } else {
                text(v, value.toString());
            }
            return v;
        }

        // ---- The diagram ----

        private void shape(Element el, DiagramLayout.Shape shape) {
            layout.node(el.getAttribute("id"), shape);
            shapes.put(el.getAttribute("id"), el.getLocalName());
        }

        private void diagram(Element definitions, String processId) {
            Element diagram = element(BPMNDI, "bpmndi:BPMNDiagram");
            diagram.setAttribute("id", allocate("BPMNDiagram_1"));
            Element plane = element(BPMNDI, "bpmndi:BPMNPlane");
            plane.setAttribute("id", allocate("BPMNPlane_1"));
            plane.setAttribute("bpmnElement", processId);
            diagram.appendChild(plane);
            Map<String, DiagramLayout.Bounds> bounds = drawing.bounds();
            bounds.forEach((id, b) -> {
                Element shape = element(BPMNDI, "bpmndi:BPMNShape");
                shape.setAttribute("id", allocate(id + "_di"));
                shape.setAttribute("bpmnElement", id);
                if ("exclusiveGateway".equals(shapes.get(id))) {
                    shape.setAttribute("isMarkerVisible", "true");
                }
                if ("subProcess".equals(shapes.get(id))) {
                    shape.setAttribute("isExpanded", "true");
                }
                Element dc = element(DC, "dc:Bounds");
                dc.setAttribute("x", number(b.x()));
                dc.setAttribute("y", number(b.y()));
                dc.setAttribute("width", number(b.width()));
                dc.setAttribute("height", number(b.height()));
                shape.appendChild(dc);
                plane.appendChild(shape);
            });
            drawing.waypoints().forEach((id, points) -> {
                Element edge = element(BPMNDI, "bpmndi:BPMNEdge");
                edge.setAttribute("id", allocate(id + "_di"));
                edge.setAttribute("bpmnElement", id);
                for (DiagramLayout.Point p : points) {
                    Element waypoint = element(DI, "di:waypoint");
                    waypoint.setAttribute("x", number(p.x()));
                    waypoint.setAttribute("y", number(p.y()));
                    edge.appendChild(waypoint);
                }
                plane.appendChild(edge);
            });
            definitions.appendChild(diagram);
        }

        private static String number(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }

        // ---- Elements and ids ----

        private Element bpmn(String name) {
            return element(BPMN, "bpmn:" + name);
        }

        private Element baton(String name) {
            return element(BATON, "baton:" + name);
        }

        private Element element(String ns, String qualifiedName) {
            return doc.createElementNS(ns, qualifiedName);
        }

        private Element formal(Element el, String text) {
            el.setAttributeNS(XSI, "xsi:type", "bpmn:tFormalExpression");
            return text(el, text);
        }

        private static Element text(Element el, String text) {
            el.setTextContent(text);
            return el;
        }

        /** The channels a message must arrive on, as {@code baton:source} (an XML list); nothing for any channel. */
        private static void sources(Element el, List<String> sources) {
            if (!sources.isEmpty()) {
                batonAttribute(el, "source", String.join(" ", sources));
            }
        }

        private static void batonAttribute(Element el, String name, String value) {
            if (value != null) {
                el.setAttributeNS(BATON, "baton:" + name, value);
            }
        }

        /** Puts {@code extensionElements} first, where BPMN's schema wants it. */
        private void extend(Element el, List<Element> extensions) {
            if (extensions.isEmpty()) {
                return;
            }
            Element holder = bpmn("extensionElements");
            extensions.forEach(holder::appendChild);
            el.insertBefore(holder, el.getFirstChild());
        }

        /** An XML id for a Baton id: ids may start with a digit, XML names may not. */
        private static String xmlId(String id) {
            return NCNAME_START.matcher(id).matches() ? id : "_" + id;
        }

        private String reserve(String id) {
            used.add(id);
            return id;
        }

        /** An id no step or other element has: the base, or the base numbered. */
        private String allocate(String base) {
            String id = base;
            for (int n = 2; !used.add(id); n++) {
                id = base + "_" + n;
            }
            return id;
        }
    }
}
