package dev.baton.model.bpmn;

import static dev.baton.model.bpmn.BpmnNamespaces.ACTIVITI;
import static dev.baton.model.bpmn.BpmnNamespaces.BATON;
import static dev.baton.model.bpmn.BpmnNamespaces.BPMN;
import static dev.baton.model.bpmn.BpmnNamespaces.CAMUNDA;
import static dev.baton.model.bpmn.BpmnNamespaces.FLOWABLE;
import static dev.baton.model.bpmn.BpmnNamespaces.ZEEBE;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.Trigger;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.validation.Problem;

/**
 * Maps one BPMN process onto a definition and collects, all at once, what it cannot map. One instance
 * per process read; not thread-safe.
 *
 * <p>Where an element cannot be mapped, a stand-in step (a no-op task leading where the element
 * leads) keeps the references of its neighbours intact; the definition is then only good for the
 * validator's checks of single steps, never for deployment ({@link BpmnReader} drops it).
 */
final class ProcessMapper {

    /** Where a step came from: the element's description for problems, and its line. */
    record Origin(String element, int line) {
    }

    private static final Set<String> ACTIVITIES = Set.of("task", "manualTask", "userTask", "serviceTask", "sendTask",
            "receiveTask", "scriptTask", "businessRuleTask", "subProcess", "adHocSubProcess", "transaction", "callActivity");
    private static final Set<String> EVENTS = Set.of("startEvent", "endEvent", "intermediateCatchEvent",
            "intermediateThrowEvent", "boundaryEvent");
    private static final Set<String> GATEWAYS = Set.of("exclusiveGateway", "parallelGateway", "inclusiveGateway",
            "eventBasedGateway", "complexGateway");
    /** Children of a process with no run-time meaning of their own: drawn, documented, or used through others. */
    private static final Set<String> IGNORED = Set.of("sequenceFlow", "documentation", "extensionElements", "laneSet",
            "textAnnotation", "association", "group", "dataObject", "dataObjectReference", "dataStoreReference",
            "property", "ioSpecification", "ioBinding", "auditing", "monitoring", "supports", "resourceRole",
            "performer", "humanPerformer", "potentialOwner", "correlationSubscription");
    /** Children of a sub-process that belong to it as an activity, not to its inner flow: read where the activity is. */
    private static final Set<String> ACTIVITY_PARTS = Set.of("incoming", "outgoing", "multiInstanceLoopCharacteristics",
            "standardLoopCharacteristics", "dataInputAssociation", "dataOutputAssociation");
    private static final Map<String, String> EVENT_KINDS = Map.of("messageEventDefinition", "message",
            "timerEventDefinition", "timer", "signalEventDefinition", "signal", "errorEventDefinition", "error",
            "escalationEventDefinition", "escalation", "conditionalEventDefinition", "conditional",
            "compensateEventDefinition", "compensation", "cancelEventDefinition", "cancel",
            "linkEventDefinition", "link", "terminateEventDefinition", "terminate");
    private static final Map<String, String> UNSUPPORTED_NODES = Map.of(
            "adHocSubProcess", "an ad-hoc sub-process", "transaction", "a transaction sub-process",
            "complexGateway", "a complex gateway");
    /** Activities whose step can fail with an error: call and task steps, and sub-processes (error ends inside). */
    private static final Set<String> ERROR_HOSTS = Set.of("task", "manualTask", "scriptTask", "serviceTask", "sendTask",
            "businessRuleTask", "subProcess", "callActivity");
    /** The vendors whose extensions carry the same attributes, in the order they are looked at. */
    private static final List<String> VENDORS = List.of(CAMUNDA, FLOWABLE, ACTIVITI);
    private static final Set<String> JSONATA_LANGUAGES = Set.of("https://jsonata.org", "http://jsonata.org", "jsonata",
            "application/jsonata", "text/jsonata");
    private static final Pattern STATIC_FEEL_LIST = Pattern.compile("=\\s*\\[\\s*(\"[^\"]*\"\\s*(,\\s*\"[^\"]*\"\\s*)*)?]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern RETRY_CYCLE = Pattern.compile("R(\\d{1,6})/(P\\S+)");
    private static final Pattern ASSIGNMENT = Pattern.compile("(group|user)\\s*\\(\\s*([^)]*?)\\s*\\)");

    private final XmlElement process;
    private final Map<String, XmlElement> messages;
    private final Map<String, XmlElement> resources;
    private final Map<String, XmlElement> errors;
    private final BpmnBindings bindings;
    private final ConditionTranslator translator;

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Origin> origins = new LinkedHashMap<>();
    private final Map<Integer, Origin> triggerOrigins = new HashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<XmlElement>> boundaries = new LinkedHashMap<>();
    /** The process and the embedded sub-processes whose flow elements are mapped, outermost first. */
    private final List<XmlElement> containers = new ArrayList<>();
    private final Set<String> usedIds = new HashSet<>();
    /** The lane each flow node is drawn in (the innermost, by name, else id), by BPMN id. */
    private final Map<String, String> lanes = new HashMap<>();
    private String language = Expression.JSONATA;
    private RetryPolicy definitionRetry;
    private RetryPolicy baseRetry = RetryPolicy.DEFAULT;

    /** A flow node with its flows in document order. */
    private static final class Node {
        final XmlElement element;
        /** The BPMN id of the embedded sub-process the node is in; null at the process's level. */
        final String scope;
        final List<XmlElement> out = new ArrayList<>();
        final List<XmlElement> in = new ArrayList<>();
        String stepId;
        boolean passThrough;
        /** An end event Baton's export draws where a path inside a sub-process ends without an end step. */
        boolean implicitEnd;

        Node(XmlElement element, String scope) {
            this.element = element;
            this.scope = scope;
        }

        String kind() {
            return element.name();
        }
    }

    /**
     * @param messages  the document's {@code bpmn:message}s by id
     * @param resources the document's {@code bpmn:resource}s by id
     * @param errors    the document's {@code bpmn:error}s by id
     */
    ProcessMapper(XmlElement process, Map<String, XmlElement> messages, Map<String, XmlElement> resources,
                  Map<String, XmlElement> errors, BpmnBindings bindings, ConditionTranslator translator) {
        this.process = process;
        this.messages = messages;
        this.resources = resources;
        this.errors = errors;
        this.bindings = bindings;
        this.translator = translator;
    }

    List<Problem> problems() {
        return problems;
    }

    /** The element a step came from, for validation problems. */
    Origin originOf(String stepId) {
        return origins.get(stepId);
    }

    /** The start event behind trigger {@code number} (1-based). */
    Origin originOfTrigger(int number) {
        return triggerOrigins.getOrDefault(number, processOrigin());
    }

    Origin processOrigin() {
        return new Origin(describe(process), process.line());
    }

    /** Maps the process; the result is a stand-in-laden sketch whenever {@link #problems()} is not empty. */
    ProcessDefinition map() {
        readDefinitionExtensions();
        readLanes(process);
        checkListeners(process);
        collectNodes();
        collectFlows();
        classify();
        for (Node node : nodes.values()) {
            if (!node.passThrough && !node.implicitEnd && !node.kind().equals("startEvent")
                    && !node.kind().equals("boundaryEvent")) {
                node.stepId = allocate(node.element.value("id"));
                origins.put(node.stepId, new Origin(describe(node.element), node.element.line()));
            }
        }
        List<Step> steps = new ArrayList<>();
        List<Trigger> triggers = new ArrayList<>();
        String start = starts(triggers, steps);
        steps.addAll(stepsOf(null));
        String id = process.value(BATON, "id") != null ? process.value(BATON, "id")
                : process.value("id") == null ? null : sanitize(process.value("id"));
        String name = process.value("name") != null ? process.attr("name") : id;
        List<String> personal = new ArrayList<>();
        for (XmlElement p : process.extensions(BATON)) {
            if (p.name().equals("personal")) {
                personal.add(p.trimmedText() == null ? "" : p.trimmedText());
            }
        }
        return new ProcessDefinition(id, 0, name, process.value(BATON, "owner"),
                duration(process, "baton:sla", process.value(BATON, "sla")), language, start,
                definitionRetry, triggers, steps, personal);
    }

    // ---- Reading the process's parts ----

    private void readDefinitionExtensions() {
        String declared = process.value(BATON, "expressionLanguage");
        if (declared != null) {
            language = declared;
        }
        definitionRetry = retry(process, RetryPolicy.DEFAULT);
        if (definitionRetry != null) {
            baseRetry = definitionRetry;
        }
    }

    /** Lanes are kept as metadata: each step remembers its lane, for the export and the console. */
    private void readLanes(XmlElement container) {
        for (XmlElement laneSet : container.children(BPMN, "laneSet")) {
            readLaneSet(laneSet);
        }
    }

    private void readLaneSet(XmlElement laneSet) {
        for (XmlElement lane : laneSet.children(BPMN, "lane")) {
            String name = lane.value("name") != null && !lane.value("name").isBlank() ? lane.attr("name").strip()
                    : lane.value("id");
            for (XmlElement ref : lane.children(BPMN, "flowNodeRef")) {
                if (ref.trimmedText() != null && name != null) {
                    lanes.put(ref.trimmedText(), name);
                }
            }
            for (XmlElement child : lane.children(BPMN, "childLaneSet")) {
                readLaneSet(child); // innermost wins: read after the parent's refs
            }
        }
    }

    private void collectNodes() {
        collectNodes(process, null, new HashMap<>());
        for (Map.Entry<String, List<XmlElement>> e : boundaries.entrySet()) {
            Node host = nodes.get(e.getKey());
            if (host == null || !ACTIVITIES.contains(host.kind())) {
                for (XmlElement b : e.getValue()) {
                    report(b, BpmnMessages.BOUNDARY_HOST_UNKNOWN, e.getKey());
                }
            }
        }
    }

    /**
     * The flow nodes of a container, and of the embedded sub-processes in it, recursively: BPMN ids are
     * unique in a document, so one map holds them all, each knowing its sub-process.
     */
    private void collectNodes(XmlElement container, String scope, Map<String, Integer> seen) {
        containers.add(container);
        for (XmlElement child : container.children()) {
            if (!BPMN.equals(child.namespace())) {
                continue;
            }
            String kind = child.name();
            if (ACTIVITIES.contains(kind) || EVENTS.contains(kind) || GATEWAYS.contains(kind)) {
                String id = child.value("id");
                if (id == null) {
                    report(child, BpmnMessages.NO_ID);
                } else if (seen.merge(id, 1, Integer::sum) == 2) {
                    report(child, BpmnMessages.DUPLICATE_ID, id);
                } else if (kind.equals("boundaryEvent")) {
                    nodes.put(id, new Node(child, scope));
                    String host = child.value("attachedToRef");
                    boundaries.computeIfAbsent(host == null ? "" : host, h -> new ArrayList<>()).add(child);
                } else {
                    nodes.put(id, new Node(child, scope));
                    if (kind.equals("subProcess") && !eventSubProcess(child)) {
                        collectNodes(child, id, seen);
                    }
                }
            } else if (!IGNORED.contains(kind) && (scope == null || !ACTIVITY_PARTS.contains(kind))) {
                report(child, BpmnMessages.NOT_EXECUTED, article(kind));
            }
        }
    }

    private static boolean eventSubProcess(XmlElement el) {
        return el.name().equals("subProcess") && "true".equals(el.value("triggeredByEvent"));
    }

    /** What Baton does not execute about the node's kind, or null. */
    private static String unsupported(Node node) {
        if (discriminator(node.element)) {
            return null;
        }
        return eventSubProcess(node.element) ? "an event sub-process" : UNSUPPORTED_NODES.get(node.kind());
    }

    /** A complex gateway Baton's export wrote for a discriminator join: {@code baton:first="true"}. */
    private static boolean discriminator(XmlElement el) {
        return el.name().equals("complexGateway") && "true".equals(el.value(BATON, "first"));
    }

    private void collectFlows() {
        for (XmlElement flow : containers.stream().flatMap(c -> c.children(BPMN, "sequenceFlow").stream()).toList()) {
            Node source = endOf(flow, "source", "sourceRef");
            Node target = endOf(flow, "target", "targetRef");
            if (source == null || target == null) {
                continue;
            }
            if (target.kind().equals("startEvent") || target.kind().equals("boundaryEvent")) {
                report(flow, BpmnMessages.FLOW_END_UNKNOWN, "target", "the " + words(target.kind()) + " '" + target.element.value("id") + "'");
                continue;
            }
            source.out.add(flow);
            target.in.add(flow);
        }
    }

    private Node endOf(XmlElement flow, String role, String attribute) {
        String ref = flow.value(attribute);
        Node node = ref == null ? null : nodes.get(ref);
        if (node == null) {
            report(flow, BpmnMessages.FLOW_END_UNKNOWN, role, ref == null ? "nothing" : "'" + ref + "'");
        }
        return node;
    }

    /** Gateways that only merge or only pass on do nothing in Baton, where any step may have several predecessors. */
    private void classify() {
        for (Node node : nodes.values()) {
            node.implicitEnd = node.kind().equals("endEvent") && "true".equals(node.element.value(BATON, "implicit"))
                    && node.element.children().stream().noneMatch(c -> c.name().endsWith("EventDefinition"));
            String direction = node.element.value("gatewayDirection");
            if (node.kind().equals("exclusiveGateway")) {
                node.passThrough = node.out.size() == 1 && condition(node.out.get(0)) == null
                        && !Objects.equals(node.out.get(0).value("id"), node.element.value("default"))
                        && !"Diverging".equals(direction);
            } else if (node.kind().equals("parallelGateway")) {
                node.passThrough = node.out.size() == 1 && node.in.size() <= 1
                        && !"Converging".equals(direction) && !"Diverging".equals(direction);
            } else if (node.kind().equals("inclusiveGateway")) {
                node.passThrough = node.out.size() == 1 && node.in.size() <= 1 && condition(node.out.get(0)) == null
                        && !Objects.equals(node.out.get(0).value("id"), node.element.value("default"))
                        && !"Converging".equals(direction) && !"Diverging".equals(direction);
            }
        }
    }

    /** The step a flow leads to, through gateways that only pass on; null where it leads nowhere usable. */
    private String target(XmlElement flow) {
        Node node = targetNode(flow);
        return node == null ? null : node.stepId;
    }

    /** The node whose step a flow leads to, through gateways that only pass on. */
    private Node targetNode(XmlElement flow) {
        Node node = nodes.get(flow.value("targetRef"));
        Set<Node> seen = new HashSet<>();
        while (node != null && node.passThrough) {
            if (!seen.add(node)) {
                report(node.element, BpmnMessages.NOT_EXECUTED, "a cycle of gateways that only merge");
                return null;
            }
            node = nodes.get(node.out.get(0).value("targetRef"));
        }
        return node == null || node.implicitEnd ? null : node;
    }

    // ---- Start events and triggers ----

    /** Reads every start event into triggers; returns the one step they all lead to. */
    private String starts(List<Trigger> triggers, List<Step> steps) {
        Map<String, String> leads = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            if (!node.kind().equals("startEvent") || node.scope != null) {
                continue;
            }
            XmlElement event = node.element;
            checkListeners(event);
            List<XmlElement> definitions = eventDefinitions(event);
            if (definitions.size() > 1) {
                report(event, BpmnMessages.NOT_EXECUTED, "a start event with several event definitions");
            } else if (definitions.size() == 1) {
                Trigger trigger = trigger(event, definitions.get(0));
                if (trigger != null) {
                    triggers.add(trigger);
                    triggerOrigins.put(triggers.size(), new Origin(describe(event), event.line()));
                }
            }
            String id = event.value("id");
            List<String> targets = plainTargets(node);
            if (targets.isEmpty()) {
                report(event, BpmnMessages.START_LEADS_NOWHERE, id);
            } else if (targets.size() == 1) {
                leads.put(id, targets.get(0));
            } else {
                String split = allocate(id + "-split");
                origins.put(split, new Origin(describe(event), event.line()));
                steps.add(new ParallelStep(new StepInfo(split, split, null, null, null, 0, event.line()), targets));
                leads.put(id, split);
            }
        }
        if (nodes.values().stream().noneMatch(n -> n.kind().equals("startEvent") && n.scope == null)) {
            report(process, BpmnMessages.NO_START_EVENT);
        }
        Set<String> distinct = new LinkedHashSet<>(leads.values());
        if (distinct.size() > 1) {
            report(process, BpmnMessages.STARTS_DIFFER, leads.entrySet().stream()
                    .map(e -> "'" + e.getKey() + "' → '" + e.getValue() + "'").collect(Collectors.joining(", ")));
        }
        return distinct.isEmpty() ? null : distinct.iterator().next();
    }

    private Trigger trigger(XmlElement event, XmlElement definition) {
        String kind = EVENT_KINDS.getOrDefault(definition.name(), definition.name());
        if (kind.equals("message")) {
            String type = messageName(event, definition.value("messageRef"));
            XmlElement extra = event.extension(BATON, "trigger");
            if (type == null) {
                return null;
            }
            if (extra == null) {
                // As Camunda and Zeebe do: the message's payload becomes the variables (an object's fields).
                return new EventTrigger(type, null, null, null, Expression.jsonata("data"));
            }
            return new EventTrigger(type, extra.value("source"), expression(extra.child(BATON, "when")),
                    expression(extra.child(BATON, "businessKey")), expression(extra.child(BATON, "variables")));
        }
        if (kind.equals("timer")) {
            XmlElement cycle = definition.child(BPMN, "timeCycle");
            String text = cycle == null ? null : cycle.trimmedText();
            XmlElement date = definition.child(BPMN, "timeDate");
            XmlElement after = definition.child(BPMN, "timeDuration");
            if (text == null && date != null && date.trimmedText() != null) {
                return timerStart(event, date.trimmedText(), "an ISO-8601 date-time (2026-12-01T08:00:00Z)",
                        iso -> TimerTrigger.once(TimerTrigger.parseDate(iso)));
            }
            if (text == null && after != null && after.trimmedText() != null) {
                // As Zeebe: a timer start event after a duration starts one instance that long after deployment.
                return timerStart(event, after.trimmedText(), "an ISO-8601 duration in weeks, days, hours, minutes"
                        + " and seconds (PT10M, P1D)", iso -> TimerTrigger.repeating(TimerTrigger.parseDuration(iso), 1,
                        null));
            }
            if (text == null && (date != null || after != null)) {
                report(event, BpmnMessages.NO_TIMER);
                return null;
            }
            if (text != null && feelLiteral(text).startsWith("R") && feelLiteral(text).contains("/")) {
                return timerStart(event, text, "an ISO-8601 repeating interval R[n]/[start/]duration (R/PT1H, R3/PT10H,"
                        + " R/2026-12-01T08:00:00Z/P1D)", TimerTrigger::parseCycle);
            }
            if (text == null) {
                report(event, BpmnMessages.NOT_EXECUTED, definition.child(BPMN, "timeDate") != null
                        ? "a timer start event at a date (Baton schedules starts by cron)"
                        : definition.child(BPMN, "timeDuration") != null
                        ? "a timer start event after a duration (Baton schedules starts by cron)"
                        : "a timer start event without timeCycle");
                return null;
            }
            if (text.startsWith("R") && text.contains("/")) {
                report(event, BpmnMessages.NOT_EXECUTED,
                        "a timer start event repeating by ISO-8601 interval ('" + text + "'; Baton schedules starts by cron)");
                return null;
            }
            if (text.startsWith("${") || text.startsWith("#{") || text.startsWith("=")) {
                report(event, BpmnMessages.BAD_TIMER, "a cron expression such as 0 0 6 * * ?", text);
                return null;
            }
            return new CronTrigger(text);
        }
        report(event, BpmnMessages.NOT_EXECUTED, article(kind + " start event"));
        return null;
    }

    /** A timer start event's ISO-8601 text (a FEEL string literal too) read into a timer trigger, or reported. */
    private Trigger timerStart(XmlElement event, String text, String expected,
                               Function<String, TimerTrigger> read) {
        try {
            return read.apply(feelLiteral(text));
        } catch (IllegalArgumentException e) {
            report(event, BpmnMessages.BAD_TIMER, expected, text);
            return null;
        }
    }

    // ---- Steps ----

    /** The steps of the nodes at one level: the process's ({@code scope} null) or an embedded sub-process's. */
    private List<Step> stepsOf(String scope) {
        List<Step> steps = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.stepId != null && Objects.equals(node.scope, scope)) {
                steps.addAll(step(node));
            }
        }
        return steps;
    }

    /** The step of a node, and the parallel split it may need after it. */
    private List<Step> step(Node node) {
        XmlElement el = node.element;
        checkListeners(el);
        if (ACTIVITIES.contains(node.kind())) {
            checkActivity(node);
        }
        String unsupported = unsupported(node);
        if (unsupported != null) {
            report(el, BpmnMessages.NOT_EXECUTED, unsupported);
            return standIn(node);
        }
        return switch (node.kind()) {
            case "exclusiveGateway" -> List.of(choice(node));
            case "parallelGateway" -> parallel(node);
            case "inclusiveGateway" -> inclusive(node);
            case "complexGateway" -> List.of(discriminatorJoin(node));
            case "eventBasedGateway" -> List.of(race(node));
            case "endEvent" -> List.of(end(node));
            case "subProcess" -> subprocess(node);
            default -> work(node);
        };
    }

    /** An embedded sub-process: its own steps, mapped as the process's are, and where it starts. */
    private List<Step> subprocess(Node node) {
        List<Step> out = new ArrayList<>();
        StepInfo info = info(node, out);
        info = info.withMulti(multiInstance(node));
        List<Step> inner = new ArrayList<>();
        String start = innerStart(node, inner);
        inner.addAll(stepsOf(node.element.value("id")));
        out.add(0, new SubprocessStep(info, start, inner));
        return out;
    }

    /**
     * Where a sub-process starts: where its none start event leads; without a start event, BPMN starts
     * every node without incoming flow (a parallel split {@code <id>-start} when there are several).
     */
    private String innerStart(Node sub, List<Step> inner) {
        String scope = sub.element.value("id");
        List<Node> startEvents = nodes.values().stream()
                .filter(n -> scope.equals(n.scope) && n.kind().equals("startEvent")).toList();
        List<String> targets = new ArrayList<>();
        if (startEvents.isEmpty()) {
            nodes.values().stream().filter(n -> scope.equals(n.scope) && n.stepId != null && n.in.isEmpty())
                    .forEach(n -> targets.add(n.stepId));
        }
        for (Node start : startEvents) {
            XmlElement event = start.element;
            checkListeners(event);
            if (start != startEvents.get(0)) {
                report(event, BpmnMessages.NOT_EXECUTED,
                        "a second start event in an embedded sub-process (BPMN allows one none start event)");
            }
            List<XmlElement> definitions = eventDefinitions(event);
            if (!definitions.isEmpty()) {
                String kind = definitions.size() > 1 ? "multiple" : EVENT_KINDS.getOrDefault(definitions.get(0).name(), "unknown");
                report(event, BpmnMessages.NOT_EXECUTED, article(kind + " start event")
                        + " in an embedded sub-process (only event sub-processes start on events)");
            }
            List<String> own = plainTargets(start);
            if (own.isEmpty()) {
                report(event, BpmnMessages.START_LEADS_NOWHERE, event.value("id"));
            }
            if (start == startEvents.get(0)) {
                targets.addAll(own);
            }
        }
        if (targets.size() <= 1) {
            return targets.isEmpty() ? null : targets.get(0);
        }
        String split = allocate(sub.stepId + "-start");
        origins.put(split, origins.get(sub.stepId));
        inner.add(new ParallelStep(new StepInfo(split, split, null, null, null, 0, sub.element.line()), targets));
        return split;
    }

    /**
     * An event-based gateway: a race between the message and timer catch events and receive tasks its
     * flows lead to. Conditions on its flows are not allowed by BPMN, and ignored as on parallel gateways.
     */
    private Step race(Node node) {
        XmlElement el = node.element;
        StepInfo info = new StepInfo(node.stepId, name(el, node.stepId), null, null, null, 0, el.line());
        if ("true".equals(el.value("instantiate"))) {
            report(el, BpmnMessages.NOT_EXECUTED, "an event-based gateway that starts instances (instantiate=\"true\")");
        }
        if ("Parallel".equals(el.value("eventGatewayType"))) {
            report(el, BpmnMessages.NOT_EXECUTED, "a parallel event-based gateway (eventGatewayType=\"Parallel\")");
        }
        if (node.out.isEmpty()) {
            report(el, BpmnMessages.NO_OUTGOING_FLOW);
        }
        List<String> alternatives = new ArrayList<>();
        for (XmlElement flow : node.out) {
            Node target = targetNode(flow);
            if (target == null) {
                continue;
            }
            String what = raceAlternative(target);
            if (what != null) {
                report(el, BpmnMessages.NOT_EXECUTED, "an event-based gateway leading to " + what + " '"
                        + target.element.value("id") + "' (Baton races message and timer catch events and receive tasks)");
            }
            if (target.stepId != null) {
                alternatives.add(target.stepId);
            }
        }
        return new RaceStep(info, alternatives);
    }

    /** Null when a race can wait for the node; else what it is. */
    private String raceAlternative(Node target) {
        if (target.kind().equals("receiveTask")) {
            return null;
        }
        if (!target.kind().equals("intermediateCatchEvent")) {
            return article(words(target.kind()));
        }
        List<XmlElement> definitions = target.element.children().stream()
                .filter(c -> BPMN.equals(c.namespace()) && c.name().endsWith("EventDefinition")).toList();
        String kind = definitions.isEmpty() ? "none" : definitions.size() > 1 ? "multiple"
                : EVENT_KINDS.getOrDefault(definitions.get(0).name(), "unknown");
        return kind.equals("message") || kind.equals("timer") ? null : article(kind + " intermediate catch event");
    }

    private List<Step> work(Node node) {
        List<Step> out = new ArrayList<>();
        StepInfo info = info(node, out);
        info = info.withMulti(multiInstance(node));
        XmlElement el = node.element;
        Step step = switch (node.kind()) {
            case "task", "manualTask" -> new TaskStep(info, set(el));
            case "scriptTask" -> script(node, info);
            case "serviceTask", "sendTask", "businessRuleTask" -> call(node, info);
            case "userTask" -> human(node, info);
            case "callActivity" -> callActivity(node, info);
            case "receiveTask" -> new WaitStep(info, messageName(el, el.value("messageRef")),
                    waitKey(el, el.value("messageRef")), waitExpression(el, "eventKey"), waitInto(el), sources(el));
            case "intermediateCatchEvent" -> catchEvent(node, info);
            case "intermediateThrowEvent" -> throwEvent(node, info);
            default -> {
                report(el, BpmnMessages.NOT_EXECUTED, article(node.kind()));
                yield new TaskStep(info, Map.of());
            }
        };
        out.add(0, step);
        return out;
    }

    private List<Step> standIn(Node node) {
        List<Step> out = new ArrayList<>();
        StepInfo info = info(node, out, false);
        out.add(0, new TaskStep(info, Map.of()));
        return out;
    }

    /**
     * The shared parts: id, name, next, retry, timeout and concurrency. A node with several plain
     * outgoing flows is an implicit parallel split (BPMN starts every one of them), so its next step
     * is a parallel step added to {@code extra}.
     */
    private StepInfo info(Node node, List<Step> extra) {
        return info(node, extra, true);
    }

    /** @param mapped false for a stand-in, whose flows' conditions belong to the element it stands for */
    private StepInfo info(Node node, List<Step> extra, boolean mapped) {
        XmlElement el = node.element;
        List<String> targets = plainTargets(node, mapped);
        String next = targets.isEmpty() ? null : targets.get(0);
        if (targets.size() > 1) {
            next = split(node, targets, extra);
        }
        Boundaries b = boundaries(node, extra);
        String lane = el.value(BATON, "lane") != null ? el.attr(BATON, "lane") : lanes.get(el.value("id"));
        return new StepInfo(node.stepId, name(el, node.stepId), next, retry(el, baseRetry), b.timeout(),
                concurrency(el), el.line(), b.catches()).withLane(lane).withMessages(b.messages());
    }

    /** What the boundary events on an activity (and a {@code baton:timeout}) give its step. */
    private record Boundaries(StepTimeout timeout, List<ErrorCatch> catches, List<MessageCatch> messages) {
    }

    private String split(Node node, List<String> targets, List<Step> extra) {
        String split = allocate(node.stepId + "-split");
        origins.put(split, origins.get(node.stepId));
        extra.add(new ParallelStep(new StepInfo(split, split, null, null, null, 0, node.element.line()), targets));
        return split;
    }

    private List<String> plainTargets(Node node) {
        return plainTargets(node, true);
    }

    /** The targets of a node's outgoing flows; a condition on a flow leaving an activity or event is reported. */
    private List<String> plainTargets(Node node, boolean checkConditions) {
        List<String> targets = new ArrayList<>();
        for (XmlElement flow : node.out) {
            if (checkConditions && condition(flow) != null) {
                report(flow, BpmnMessages.NOT_EXECUTED,
                        "a conditional sequence flow leaving " + article(words(node.kind())) + " (an inclusive choice)");
            }
            String target = target(flow);
            if (target != null) {
                targets.add(target);
            }
        }
        return targets;
    }

    private String name(XmlElement el, String fallback) {
        return el.value("name") != null ? el.attr("name") : fallback;
    }

    private int concurrency(XmlElement el) {
        String text = el.value(BATON, "concurrency");
        if (text == null) {
            return 0;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            report(el, BpmnMessages.BAD_EXTENSION, "baton:concurrency", "an integer", text);
            return 0;
        }
    }

    /**
     * The deadline (a timer boundary event, or a {@code baton:timeout} where BPMN has no boundary: timer
     * events) and the error catches (error boundary events, in document order).
     */
    private Boundaries boundaries(Node node, List<Step> extra) {
        XmlElement el = node.element;
        StepTimeout timeout = null;
        XmlElement declared = el.extension(BATON, "timeout");
        if (declared != null) {
            Duration after = duration(el, "baton:timeout after", declared.value("after"));
            String next = declared.value("next");
            if (next == null) {
                report(el, BpmnMessages.MISSING_EXTENSION_ATTRIBUTE, "baton:timeout", "next");
            }
            timeout = new StepTimeout(after, next, bool(el, "baton:timeout interrupting", declared.value("interrupting"), true));
        }
        List<ErrorCatch> catches = new ArrayList<>();
        List<MessageCatch> messageCatches = new ArrayList<>();
        String unsupported = unsupported(node);
        for (XmlElement boundary : boundaries.getOrDefault(node.element.value("id"), List.of())) {
            Node b = nodes.get(boundary.value("id"));
            if (b == null || nodes.get(boundary.value("attachedToRef")) != node) {
                continue;
            }
            checkListeners(boundary);
            List<XmlElement> definitions = eventDefinitions(boundary);
            if (definitions.isEmpty()) {
                report(boundary, BpmnMessages.NO_EVENT_DEFINITION, "boundary event");
                continue;
            }
            String kind = definitions.size() > 1 ? "multiple" : EVENT_KINDS.getOrDefault(definitions.get(0).name(), "unknown");
            if (kind.equals("error")) {
                ErrorCatch c = errorCatch(node, b, definitions.get(0), unsupported, extra);
                if (c != null) {
                    catches.add(c);
                }
                continue;
            }
            if (kind.equals("message")) {
                MessageCatch m = messageCatch(b, definitions.get(0), unsupported, extra);
                if (m != null) {
                    messageCatches.add(m);
                }
                continue;
            }
            if (!kind.equals("timer")) {
                report(boundary, BpmnMessages.NOT_EXECUTED, article(kind + " boundary event"));
                continue;
            }
            if (unsupported != null) {
                report(boundary, BpmnMessages.NOT_EXECUTED, "a timer boundary event on " + unsupported);
            } else if (timeout != null) {
                report(boundary, BpmnMessages.NOT_EXECUTED, "a second deadline on one activity (Baton keeps one per step)");
                continue;
            }
            XmlElement timer = definitions.get(0);
            Duration after = null;
            XmlElement duration = timer.child(BPMN, "timeDuration");
            if (duration != null && duration.trimmedText() != null) {
                after = timerDuration(boundary, duration.trimmedText());
            } else if (timer.child(BPMN, "timeDate") != null || timer.child(BPMN, "timeCycle") != null) {
                report(boundary, BpmnMessages.NOT_EXECUTED, timer.child(BPMN, "timeCycle") != null
                        ? "a repeating timer boundary event (timeCycle; Baton's deadlines are durations)"
                        : "a timer boundary event at a date (timeDate; Baton's deadlines are durations)");
            } else {
                report(boundary, BpmnMessages.NO_TIMER);
            }
            if (after == null) {
                continue; // reported: no deadline Baton can keep
            }
            boolean interrupting = !"false".equals(boundary.value("cancelActivity"));
            timeout = new StepTimeout(after, escalation(b, extra), interrupting);
        }
        return new Boundaries(timeout, catches, messageCatches);
    }

    /**
     * A message boundary event: the referenced message's name, the correlation key from {@code baton:key} or
     * the message's {@code zeebe:subscription correlationKey}, interrupting unless {@code cancelActivity="false"},
     * the channels from {@code baton:source}.
     * Null when not mapped (reported).
     */
    private MessageCatch messageCatch(Node b, XmlElement definition, String unsupported, List<Step> extra) {
        XmlElement boundary = b.element;
        if (unsupported != null) {
            report(boundary, BpmnMessages.NOT_EXECUTED, "a message boundary event on " + unsupported);
            return null;
        }
        String ref = definition.value("messageRef");
        String message = messageName(boundary, ref);
        XmlElement declared = boundary.extension(BATON, "key");
        Expression key = declared != null ? expression(declared) : waitKey(boundary, ref);
        boolean interrupting = !"false".equals(boundary.value("cancelActivity"));
        String next = escalation(b, extra);
        return message == null || next == null ? null
                : new MessageCatch(message, key, next, interrupting, sources(boundary));
    }

    /** Where a boundary event's path starts: its one target, or a parallel split {@code <id>-split} to several. */
    private String escalation(Node b, List<Step> extra) {
        XmlElement boundary = b.element;
        List<String> targets = plainTargets(b);
        if (targets.isEmpty()) {
            report(boundary, BpmnMessages.NO_OUTGOING_FLOW);
            return null;
        }
        if (targets.size() == 1) {
            return targets.get(0);
        }
        String next = allocate(boundary.value("id") + "-split");
        origins.put(next, new Origin(describe(boundary), boundary.line()));
        extra.add(new ParallelStep(new StepInfo(next, next, null, null, null, 0, boundary.line()), targets));
        return next;
    }

    /**
     * An error boundary event: catches the code of the error it names ({@link #caughtCode}); on a
     * sub-process or a task that does work, where Baton's errors arise. Null when not mapped (reported).
     */
    private ErrorCatch errorCatch(Node host, Node b, XmlElement definition, String unsupported, List<Step> extra) {
        XmlElement boundary = b.element;
        if (unsupported != null) {
            report(boundary, BpmnMessages.NOT_EXECUTED, "an error boundary event on " + unsupported);
            return null;
        }
        if (!ERROR_HOSTS.contains(host.kind())) {
            report(boundary, BpmnMessages.NOT_EXECUTED, "an error boundary event on " + article(words(host.kind()))
                    + " (in Baton, errors come from sub-processes and from tasks that do work)");
            return null;
        }
        if ("false".equals(boundary.value("cancelActivity"))) {
            report(boundary, BpmnMessages.NOT_EXECUTED,
                    "a non-interrupting error boundary event (BPMN's error boundary events interrupt)");
            return null;
        }
        for (String attribute : List.of("errorCodeVariable", "errorMessageVariable")) {
            if (vendorValue(definition, attribute) != null) {
                report(boundary, BpmnMessages.NOT_EXECUTED, "an error variable (" + attribute
                        + "; Baton's error paths set no variable)");
            }
        }
        return new ErrorCatch(caughtCode(boundary, definition), escalation(b, extra));
    }

    /**
     * The code an error boundary catches. No {@code errorRef}, or a {@code bpmn:error} without
     * {@code errorCode}: every error (a catch-all, as Camunda 7 and Zeebe read it). An {@code errorRef}
     * naming no {@code bpmn:error}: the reference itself is the code (as Camunda 7, Flowable and
     * Activiti read it).
     */
    private String caughtCode(XmlElement event, XmlElement definition) {
        String ref = definition.value("errorRef");
        if (ref == null) {
            return null;
        }
        XmlElement error = errors.get(localRef(ref));
        if (error == null) {
            return ref;
        }
        return errorCode(event, error);
    }

    /**
     * The code an error end event throws: its error's {@code errorCode}; an error without one throws its
     * id (unique and always there, unlike a name, which is a label), and an {@code errorRef} naming no
     * {@code bpmn:error} throws the reference itself.
     */
    private String thrownCode(XmlElement event, XmlElement definition) {
        String ref = definition.value("errorRef");
        if (ref == null) {
            report(event, BpmnMessages.NO_ERROR_REF);
            return null;
        }
        XmlElement error = errors.get(localRef(ref));
        if (error == null) {
            return ref;
        }
        String code = errorCode(event, error);
        return code != null ? code : error.value("id");
    }

    /** A {@code bpmn:error}'s {@code errorCode}, or null; one computed by an expression is reported. */
    private String errorCode(XmlElement event, XmlElement error) {
        String code = error.value("errorCode");
        if (code != null && (code.startsWith("=") || code.contains("${") || code.contains("#{"))) {
            report(event, BpmnMessages.NOT_EXECUTED, "an error code computed by an expression ('" + code + "')");
            return null;
        }
        return code;
    }

    private List<Step> parallel(Node node) {
        XmlElement el = node.element;
        List<String> targets = new ArrayList<>();
        for (XmlElement flow : node.out) {
            // BPMN: a parallel gateway takes every outgoing flow; conditions on them are ignored, as Camunda does
            String target = target(flow);
            if (target != null) {
                targets.add(target);
            }
        }
        String name = name(el, node.stepId);
        boolean converging = "Converging".equals(el.value("gatewayDirection"));
        boolean diverging = "Diverging".equals(el.value("gatewayDirection"));
        if (node.out.isEmpty() && !converging && node.in.size() < 2) {
            report(el, BpmnMessages.NO_OUTGOING_FLOW);
            return List.of(new TaskStep(new StepInfo(node.stepId, name, null, null, null, 0, el.line()), Map.of()));
        }
        if (diverging || (node.out.size() > 1 && node.in.size() <= 1)) {
            return List.of(new ParallelStep(new StepInfo(node.stepId, name, null, null, null, 0, el.line()), targets));
        }
        if (node.out.size() <= 1) {
            String next = targets.isEmpty() ? null : targets.get(0);
            return List.of(new JoinStep(new StepInfo(node.stepId, name, next, null, null, 0, el.line())));
        }
        // joins and splits at once: a join, then a split
        String split = allocate(node.stepId + "-split");
        origins.put(split, origins.get(node.stepId));
        return List.of(new JoinStep(new StepInfo(node.stepId, name, split, null, null, 0, el.line())),
                new ParallelStep(new StepInfo(split, split, null, null, null, 0, el.line()), targets));
    }

    private Step choice(Node node) {
        XmlElement el = node.element;
        StepInfo info = new StepInfo(node.stepId, name(el, node.stepId), null, null, null, 0, el.line());
        if (node.out.isEmpty()) {
            report(el, BpmnMessages.NO_OUTGOING_FLOW);
            return new TaskStep(info, Map.of());
        }
        String defaultFlow = defaultFlow(node);
        String otherwise = null;
        List<ChoiceStep.Branch> branches = new ArrayList<>();
        List<ConditionTranslator.Condition> trees = new ArrayList<>();
        for (XmlElement flow : node.out) {
            String target = target(flow);
            XmlElement condition = condition(flow);
            if (defaultFlow != null && defaultFlow.equals(flow.value("id"))) {
                if (condition != null) {
                    report(flow, BpmnMessages.DEFAULT_WITH_CONDITION, defaultFlow);
                }
                otherwise = target;
            } else if (condition == null) {
                report(flow, BpmnMessages.FLOW_WITHOUT_CONDITION, el.value("id"));
            } else {
                ConditionTranslator.Condition[] tree = new ConditionTranslator.Condition[1];
                Expression when = conditionExpression(flow, condition, tree);
                trees.add(tree[0]);
                branches.add(new ChoiceStep.Branch(when, target));
            }
        }
        if (defaultFlow == null && branches.size() == 2 && trees.get(0) != null && trees.get(1) != null
                && ConditionTranslator.complementary(trees.get(0), trees.get(1))) {
            // "x" and "not x": the second holds exactly when the first does not, so it is the default
            otherwise = branches.remove(1).next();
        }
        // Without a default, a path on which no condition holds stops in an incident, as in Camunda and Zeebe.
        return new ChoiceStep(info, branches, otherwise);
    }

    /**
     * An inclusive gateway, paired as parallel gateways are: one that splits is an inclusive split, one
     * that merges the join of the split before it, one that does both a join, then a split.
     */
    private List<Step> inclusive(Node node) {
        XmlElement el = node.element;
        String name = name(el, node.stepId);
        boolean converging = "Converging".equals(el.value("gatewayDirection"));
        boolean diverging = "Diverging".equals(el.value("gatewayDirection"));
        if (node.out.isEmpty() && !converging && node.in.size() < 2) {
            report(el, BpmnMessages.NO_OUTGOING_FLOW);
            return List.of(new TaskStep(new StepInfo(node.stepId, name, null, null, null, 0, el.line()), Map.of()));
        }
        if (diverging || (!converging && node.in.size() <= 1)) {
            return List.of(inclusiveSplit(node, new StepInfo(node.stepId, name, null, null, null, 0, el.line())));
        }
        if (node.out.size() <= 1) {
            String next = node.out.isEmpty() ? null : target(node.out.get(0));
            return List.of(new JoinStep(new StepInfo(node.stepId, name, next, null, null, 0, el.line())));
        }
        String split = allocate(node.stepId + "-split");
        origins.put(split, origins.get(node.stepId));
        return List.of(new JoinStep(new StepInfo(node.stepId, name, split, null, null, 0, el.line())),
                inclusiveSplit(node, new StepInfo(split, split, null, null, null, 0, el.line())));
    }

    /**
     * The split of an inclusive gateway: each conditional flow a branch, the default flow the default. A
     * flow without condition is always taken, as Camunda 7 and Flowable take it.
     */
    private InclusiveStep inclusiveSplit(Node node, StepInfo info) {
        XmlElement el = node.element;
        String defaultFlow = defaultFlow(node);
        String otherwise = null;
        List<ChoiceStep.Branch> branches = new ArrayList<>();
        for (XmlElement flow : node.out) {
            String target = target(flow);
            XmlElement condition = condition(flow);
            if (defaultFlow != null && defaultFlow.equals(flow.value("id"))) {
                if (condition != null) {
                    report(flow, BpmnMessages.DEFAULT_WITH_CONDITION, defaultFlow);
                }
                otherwise = target;
            } else if (condition == null) {
                branches.add(new ChoiceStep.Branch(Expression.jsonata("true"), target));
            } else {
                branches.add(new ChoiceStep.Branch(conditionExpression(flow, condition,
                        new ConditionTranslator.Condition[1]), target));
            }
        }
        return new InclusiveStep(info, branches, otherwise);
    }

    /**
     * A complex gateway marked {@code baton:first="true"}: a join that continues at the first arrival
     * (a structured discriminator). Any other complex gateway is reported as not executed.
     */
    private Step discriminatorJoin(Node node) {
        XmlElement el = node.element;
        StepInfo none = new StepInfo(node.stepId, name(el, node.stepId), null, null, null, 0, el.line());
        if (node.out.size() > 1) {
            report(el, BpmnMessages.NOT_EXECUTED, "a complex gateway with several outgoing flows");
            return new TaskStep(none, Map.of());
        }
        String next = node.out.isEmpty() ? null : target(node.out.get(0));
        return new JoinStep(new StepInfo(node.stepId, none.name(), next, null, null, 0, el.line()), true);
    }

    private Step end(Node node) {
        XmlElement el = node.element;
        StepInfo info = new StepInfo(node.stepId, name(el, node.stepId), null, null, null, 0, el.line());
        List<XmlElement> definitions = eventDefinitions(el);
        if (definitions.isEmpty()) {
            return new EndStep(info, false);
        }
        if (definitions.size() == 1 && definitions.get(0).name().equals("terminateEventDefinition")) {
            return new EndStep(info, true);
        }
        if (definitions.size() == 1 && definitions.get(0).name().equals("errorEventDefinition")) {
            return new EndStep(info, false, thrownCode(el, definitions.get(0)));
        }
        String kind = definitions.size() > 1 ? "multiple" : EVENT_KINDS.getOrDefault(definitions.get(0).name(), "unknown");
        report(el, BpmnMessages.NOT_EXECUTED, article(kind + " end event"));
        return new EndStep(info, false);
    }

    private Step catchEvent(Node node, StepInfo info) {
        XmlElement el = node.element;
        List<XmlElement> definitions = eventDefinitions(el);
        if (definitions.isEmpty()) {
            report(el, BpmnMessages.NO_EVENT_DEFINITION, "intermediate catch event");
            return new TaskStep(info, Map.of());
        }
        String kind = definitions.size() > 1 ? "multiple" : EVENT_KINDS.getOrDefault(definitions.get(0).name(), "unknown");
        XmlElement definition = definitions.get(0);
        if (kind.equals("message")) {
            String ref = definition.value("messageRef");
            return new WaitStep(info, messageName(el, ref), waitKey(el, ref), waitExpression(el, "eventKey"), waitInto(el),
                    sources(el));
        }
        if (kind.equals("timer")) {
            XmlElement duration = definition.child(BPMN, "timeDuration");
            XmlElement date = definition.child(BPMN, "timeDate");
            if (duration != null && duration.trimmedText() != null) {
                return new TimerStep(info, timerDuration(el, duration.trimmedText()), null);
            }
            if (date != null && date.trimmedText() != null) {
                return new TimerStep(info, null, timerDate(el, date.trimmedText()));
            }
            if (definition.child(BPMN, "timeCycle") != null) {
                report(el, BpmnMessages.NOT_EXECUTED, "a repeating timer (timeCycle)");
            } else {
                report(el, BpmnMessages.NO_TIMER);
            }
            return new TaskStep(info, Map.of());
        }
        report(el, BpmnMessages.NOT_EXECUTED, article(kind + " intermediate catch event"));
        return new TaskStep(info, Map.of());
    }

    private Step throwEvent(Node node, StepInfo info) {
        List<XmlElement> definitions = eventDefinitions(node.element);
        if (!definitions.isEmpty()) {
            String kind = definitions.size() > 1 ? "multiple" : EVENT_KINDS.getOrDefault(definitions.get(0).name(), "unknown");
            report(node.element, BpmnMessages.NOT_EXECUTED, article(kind + " intermediate throw event"));
        }
        // a none throw event marks a state the instance passed (a milestone): a step without work shows it
        return new TaskStep(info, Map.of());
    }

    private Map<String, Expression> set(XmlElement el) {
        Map<String, Expression> set = new LinkedHashMap<>();
        for (XmlElement entry : el.extensions(BATON)) {
            if (!entry.name().equals("set")) {
                continue;
            }
            String variable = entry.value("variable");
            if (variable == null) {
                report(el, BpmnMessages.MISSING_EXTENSION_ATTRIBUTE, "baton:set", "variable");
            } else if (set.containsKey(variable)) {
                report(el, BpmnMessages.DUPLICATE_EXTENSION_NAME, variable, "baton:set");
            } else {
                set.put(variable, expression(entry));
            }
        }
        return Collections.unmodifiableMap(set);
    }

    private Step script(Node node, StepInfo info) {
        XmlElement el = node.element;
        Map<String, Expression> set = set(el);
        if (!set.isEmpty()) {
            return new TaskStep(info, set);
        }
        String resultVariable = vendorValue(el, "resultVariable");
        XmlElement zeebe = el.extension(ZEEBE, "script");
        if (zeebe != null && zeebe.value("expression") != null) {
            String variable = zeebe.value("resultVariable");
            Expression e = feel(el, "script", zeebe.value("expression"));
            if (variable == null) {
                report(el, BpmnMessages.NOT_EXECUTED, "a script without result variable (it would set nothing)");
            } else if (e != null) {
                return new TaskStep(info, Map.of(variable, e));
            }
            return new TaskStep(info, Map.of());
        }
        XmlElement script = el.child(BPMN, "script");
        String format = el.value("scriptFormat");
        if (script == null || script.trimmedText() == null) {
            report(el, BpmnMessages.NOT_EXECUTED, "a script task without baton:set or a JSONata script");
        } else if (format == null || !JSONATA_LANGUAGES.contains(format.toLowerCase(Locale.ROOT).replaceAll("/$", ""))) {
            report(el, BpmnMessages.NOT_EXECUTED, "a script in '" + (format == null ? "an unnamed language" : format)
                    + "' (Baton runs baton:set and JSONata scripts)");
        } else if (resultVariable == null) {
            report(el, BpmnMessages.NOT_EXECUTED, "a JSONata script without result variable (it would set nothing)");
        } else {
            return new TaskStep(info, Map.of(resultVariable, Expression.jsonata(script.text())));
        }
        return new TaskStep(info, Map.of());
    }

    private Step call(Node node, StepInfo info) {
        XmlElement el = node.element;
        XmlElement call = el.extension(BATON, "call");
        if (call != null) {
            String operation = call.value("operation");
            if (operation == null) {
                report(el, BpmnMessages.MISSING_EXTENSION_ATTRIBUTE, "baton:call", "operation");
            }
            XmlElement with = call.child(BATON, "with");
            Map<String, Expression> output = outputs(el, call);
            return new CallStep(info, operation, with == null ? Map.of() : values(el, with),
                    expression(call.child(BATON, "input")), Collections.unmodifiableMap(output));
        }
        String type = foreignType(el);
        String operation = bindings.operationFor(type);
        if (operation == null) {
            report(el, BpmnMessages.UNBOUND_TASK, type == null ? "it names no task type"
                    : "its type '" + type + "' is not bound");
            return new TaskStep(info, Map.of());
        }
        Map<String, Object> with = new LinkedHashMap<>();
        for (String ns : VENDORS) {
            for (XmlElement field : el.extensions(ns)) {
                if (field.name().equals("field") && field.value("name") != null) {
                    String value = fieldValue(el, field, ns);
                    if (value != null) {
                        with.put(field.value("name"), value);
                    }
                }
            }
        }
        XmlElement headers = el.extension(ZEEBE, "taskHeaders");
        if (headers != null) {
            for (XmlElement header : headers.children(ZEEBE, "header")) {
                if (header.value("key") != null) {
                    with.put(header.value("key"), header.attr("value") == null ? "" : header.attr("value"));
                }
            }
        }
        String resultVariable = vendorValue(el, "resultVariable");
        // Engines hand their workers the instance's variables: the operation gets them all as input.
        return new CallStep(info, operation, Collections.unmodifiableMap(with), Expression.jsonata("$"),
                resultVariable == null ? Map.of() : Map.of(resultVariable, Expression.jsonata("$")));
    }

    private String fieldValue(XmlElement task, XmlElement field, String ns) {
        if (field.attr("stringValue") != null) {
            return field.attr("stringValue");
        }
        XmlElement string = field.child(ns, "string");
        if (string != null) {
            return string.text();
        }
        if (field.attr("expression") != null || field.child(ns, "expression") != null) {
            report(task, BpmnMessages.FIELD_EXPRESSION, field.value("name"));
        }
        return null;
    }

    /** See {@link BpmnBindings} for the order. */
    private static String foreignType(XmlElement el) {
        XmlElement zeebe = el.extension(ZEEBE, "taskDefinition");
        if (zeebe != null && zeebe.value("type") != null) {
            return zeebe.value("type");
        }
        XmlElement decision = el.extension(ZEEBE, "calledDecision");
        if (decision != null && decision.value("decisionId") != null) {
            return decision.value("decisionId");
        }
        if (el.value(CAMUNDA, "topic") != null) {
            return el.value(CAMUNDA, "topic");
        }
        if (el.value(CAMUNDA, "type") != null && !"external".equals(el.value(CAMUNDA, "type"))) {
            return el.value(CAMUNDA, "type");
        }
        XmlElement connector = el.extension(CAMUNDA, "connector");
        if (connector != null && connector.child(CAMUNDA, "connectorId") != null
                && connector.child(CAMUNDA, "connectorId").trimmedText() != null) {
            return connector.child(CAMUNDA, "connectorId").trimmedText();
        }
        for (String attribute : List.of("decisionRef", "class", "delegateExpression", "expression")) {
            if (el.value(CAMUNDA, attribute) != null) {
                return el.value(CAMUNDA, attribute);
            }
        }
        for (String ns : List.of(FLOWABLE, ACTIVITI)) {
            for (String attribute : List.of("type", "topic", "class", "delegateExpression", "expression")) {
                if (el.value(ns, attribute) != null) {
                    return el.value(ns, attribute);
                }
            }
        }
        return null;
    }

    private Step human(Node node, StepInfo info) {
        XmlElement el = node.element;
        Set<String> roles = new LinkedHashSet<>();
        Expression assignee = null;
        for (String ns : VENDORS) {
            groups(el, el.value(ns, "candidateGroups"), roles);
            assignee = assignee != null ? assignee : assignee(el, el.value(ns, "assignee"), false);
            people(el, "candidate users", el.value(ns, "candidateUsers"));
        }
        XmlElement assignment = el.extension(ZEEBE, "assignmentDefinition");
        if (assignment != null) {
            groups(el, assignment.value("candidateGroups"), roles);
            assignee = assignee != null ? assignee : assignee(el, assignment.value("assignee"), true);
            people(el, "candidate users", assignment.value("candidateUsers"));
        }
        for (XmlElement owner : el.children(BPMN, "potentialOwner")) {
            potentialOwner(el, owner, roles);
        }
        if (el.value(BATON, "assignee") != null) {
            assignee = new Expression(language, el.value(BATON, "assignee"));
        }
        if (roles.isEmpty() && assignee == null) {
            roles.addAll(bindings.defaultRoles());
        }
        String fourEyes = el.value(BATON, "fourEyes");
        return new HumanTaskStep(info, el.attr(BATON, "title"), List.copyOf(roles),
                duration(el, "baton:due", el.value(BATON, "due")), bool(el, "baton:fourEyes", fourEyes, false),
                assignee);
    }

    /**
     * An assignee as an expression over the variables: a fixed name, a JUEL {@code ${var}}/{@code #{var}}
     * or FEEL {@code = var} path, or an expression the bindings rewrite (a call of the engine's beans).
     *
     * @param feel Zeebe's attribute: FEEL when it starts with '=', else a fixed name
     */
    private Expression assignee(XmlElement el, String text, boolean feel) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String configured = bindings.expressionFor(text);
        if (configured != null) {
            return Expression.jsonata(configured);
        }
        String t = text.strip();
        if (!feel && t.startsWith("$") && !t.startsWith("${")) {
            // Flowable's modeler writes $INITIATOR for "whoever started the instance": a placeholder its engine
            // resolves, not a user's name
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, "assignee", t, "a modeler placeholder, not a name"
                    + " (baton.bpmn.expressions may give its meaning here)");
            return null;
        }
        boolean expression = feel ? t.startsWith("=") : t.contains("${") || t.contains("#{");
        if (!expression) {
            return Expression.jsonata(ConditionTranslator.stringLiteral(t, '"'));
        }
        ConditionTranslator.Translation translation = translator.translate(t);
        if (!translation.translated()) {
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, "assignee", t, translation.reason()
                    + " (baton.bpmn.expressions may give its meaning here)");
            return null;
        }
        return Expression.jsonata(translation.jsonata());
    }

    /**
     * A call activity: the called process by id (Camunda's and Flowable's {@code calledElement}, Zeebe's
     * {@code zeebe:calledElement processId}, or {@code baton:process}), the version Camunda's binding names,
     * and the variables each way: Camunda's and Flowable's {@code in}/{@code out} mappings (none without
     * them, all with {@code variables="all"}), Zeebe's {@code propagateAll...} flags (all by default).
     */
    private Step callActivity(Node node, StepInfo info) {
        XmlElement el = node.element;
        XmlElement spec = el.extension(BATON, "process");
        if (spec != null) {
            Map<String, Expression> output = "all".equals(spec.value("output")) ? null : outputs(el, spec);
            return new CallActivityStep(info, spec.value("definition"), version(el, spec.value("version")),
                    expression(spec.child(BATON, "input")), output);
        }
        XmlElement zeebe = el.extension(ZEEBE, "calledElement");
        if (zeebe != null) {
            String processId = zeebe.value("processId");
            if (processId != null && processId.strip().startsWith("=")) {
                report(el, BpmnMessages.NOT_EXECUTED, "a called process chosen by an expression ('" + processId.strip()
                        + "'; Baton calls a definition named in the model)");
            }
            Expression input = "false".equals(zeebe.value("propagateAllParentVariables"))
                    ? Expression.jsonata("{}") : null;
            Map<String, Expression> output = "false".equals(zeebe.value("propagateAllChildVariables"))
                    ? Map.of() : null;
            return new CallActivityStep(info, processId == null ? null : sanitize(processId), null, input, output);
        }
        String called = el.value("calledElement");
        if (called != null && (called.contains("${") || called.contains("#{"))) {
            report(el, BpmnMessages.NOT_EXECUTED, "a called process chosen by an expression ('" + called
                    + "'; Baton calls a definition named in the model)");
        }
        Integer version = null;
        String binding = el.value(CAMUNDA, "calledElementBinding");
        if ("version".equals(binding)) {
            version = version(el, el.value(CAMUNDA, "calledElementVersion"));
        } else if ("versionTag".equals(binding)) {
            report(el, BpmnMessages.NOT_EXECUTED, "a call activity bound to a version tag (Baton numbers versions)");
        }
        List<String> ins = new ArrayList<>();
        boolean allIn = false;
        Map<String, Expression> output = new LinkedHashMap<>();
        boolean allOut = false;
        for (String ns : VENDORS) {
            for (XmlElement mapping : el.extensions(ns)) {
                boolean in = mapping.name().equals("in");
                if (!in && !mapping.name().equals("out")) {
                    continue;
                }
                if ("all".equals(mapping.value("variables"))) {
                    allIn |= in;
                    allOut |= !in;
                    continue;
                }
                if (mapping.value("businessKey") != null) {
                    continue; // the child keeps the caller's business key anyway
                }
                String target = mapping.value("target");
                Expression source = mappingSource(el, mapping);
                if (target == null || source == null) {
                    report(el, BpmnMessages.MISSING_EXTENSION_ATTRIBUTE, ns.equals(CAMUNDA) ? "camunda:" + mapping.name()
                            : mapping.name(), target == null ? "target" : "source");
                } else if (in) {
                    ins.add(ConditionTranslator.stringLiteral(target, '"') + ": " + source.text());
                } else {
                    output.put(target, source);
                }
            }
        }
        Expression input = allIn ? null : Expression.jsonata("{" + String.join(", ", ins) + "}");
        return new CallActivityStep(info, called == null ? null : sanitize(called), version, input,
                allOut ? null : Collections.unmodifiableMap(output));
    }

    /** A gateway's {@code default} flow id, reported when it is not one of its outgoing flows; null for none. */
    private String defaultFlow(Node node) {
        String defaultFlow = node.element.value("default");
        if (defaultFlow != null && node.out.stream().noneMatch(f -> defaultFlow.equals(f.value("id")))) {
            report(node.element, BpmnMessages.DEFAULT_NOT_OUTGOING, defaultFlow);
        }
        return defaultFlow;
    }

    /** The {@code baton:output variable="…"} elements of a call or call activity, in order, each variable once. */
    private Map<String, Expression> outputs(XmlElement el, XmlElement spec) {
        Map<String, Expression> output = new LinkedHashMap<>();
        for (XmlElement o : spec.children(BATON, "output")) {
            String variable = o.value("variable");
            if (variable == null) {
                report(el, BpmnMessages.MISSING_EXTENSION_ATTRIBUTE, "baton:output", "variable");
            } else if (output.containsKey(variable)) {
                report(el, BpmnMessages.DUPLICATE_EXTENSION_NAME, variable, "baton:output");
            } else {
                output.put(variable, expression(o));
            }
        }
        return Collections.unmodifiableMap(output);
    }

    /** The value an in/out mapping passes: a variable ({@code source}) or a translated {@code sourceExpression}. */
    private Expression mappingSource(XmlElement el, XmlElement mapping) {
        String source = mapping.value("source");
        if (source != null) {
            return Expression.jsonata(ConditionTranslator.isPlainName(source) ? source
                    : "$lookup($, " + ConditionTranslator.stringLiteral(source, '"') + ")");
        }
        String expression = mapping.value("sourceExpression");
        if (expression == null) {
            return null;
        }
        ConditionTranslator.Translation t = translator.translate(expression);
        if (!t.translated()) {
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, "sourceExpression", expression, t.reason());
            return null;
        }
        return Expression.jsonata(t.jsonata());
    }

    private Integer version(XmlElement el, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            report(el, BpmnMessages.NOT_EXECUTED, "a called version that is not a number ('" + text + "')");
            return null;
        }
    }

    private void groups(XmlElement el, String text, Set<String> roles) {
        if (text == null) {
            return;
        }
        if (STATIC_FEEL_LIST.matcher(text).matches()) {
            Matcher m = QUOTED.matcher(text);
            while (m.find()) {
                if (!m.group(1).isBlank()) {
                    roles.add(m.group(1).strip());
                }
            }
        } else if (text.contains("${") || text.contains("#{") || text.startsWith("=")) {
            report(el, BpmnMessages.GROUPS_NOT_READ, "'" + text + "'");
        } else {
            for (String group : text.split(",")) {
                if (!group.isBlank()) {
                    roles.add(group.strip());
                }
            }
        }
    }

    private void people(XmlElement el, String what, String who) {
        if (who != null) {
            report(el, BpmnMessages.NOT_EXECUTED, what + " ('" + who + "'; Baton offers tasks to roles)");
        }
    }

    /** Camunda's form: {@code group(a), user(b)} or plain names (groups); else the referenced resource's name. */
    private void potentialOwner(XmlElement el, XmlElement owner, Set<String> roles) {
        XmlElement assignment = owner.child(BPMN, "resourceAssignmentExpression");
        XmlElement formal = assignment == null ? null : assignment.child(BPMN, "formalExpression");
        if (formal != null && formal.trimmedText() != null) {
            String text = formal.trimmedText();
            if (text.contains("${") || text.contains("#{") || text.startsWith("=")) {
                report(el, BpmnMessages.GROUPS_NOT_READ, "'" + text + "'");
                return;
            }
            for (String entry : text.split(",")) {
                String item = entry.strip();
                Matcher m = ASSIGNMENT.matcher(item);
                if (m.matches() && m.group(1).equals("user")) {
                    people(el, "an assignee", m.group(2));
                } else if (m.matches()) {
                    roles.add(m.group(2));
                } else if (!item.isEmpty()) {
                    roles.add(item);
                }
            }
            return;
        }
        XmlElement ref = owner.child(BPMN, "resourceRef");
        if (ref != null && ref.trimmedText() != null) {
            XmlElement resource = resources.get(localRef(ref.trimmedText()));
            String name = resource == null ? null : resource.value("name");
            if (name == null) {
                report(el, BpmnMessages.GROUPS_NOT_READ, "a reference to resource '" + ref.trimmedText() + "', which has no name");
            } else {
                roles.add(name);
            }
        }
    }

    // ---- Messages and waits ----

    /** The message's name (its id when unnamed); reports a missing or unknown reference. */
    private String messageName(XmlElement el, String ref) {
        if (ref == null) {
            report(el, BpmnMessages.NO_MESSAGE, "it names none");
            return null;
        }
        XmlElement message = messages.get(localRef(ref));
        if (message == null) {
            report(el, BpmnMessages.NO_MESSAGE, "message '" + ref + "' does not exist");
            return null;
        }
        String name = message.value("name") != null ? message.attr("name") : message.value("id");
        if (name.strip().startsWith("=") || name.contains("${") || name.contains("#{")) {
            report(el, BpmnMessages.NOT_EXECUTED, "a message name computed by an expression ('" + name.strip() + "')");
            return null;
        }
        return name;
    }

    private Expression waitKey(XmlElement el, String messageRef) {
        XmlElement wait = el.extension(BATON, "wait");
        if (wait != null) {
            return expression(wait.child(BATON, "key"));
        }
        XmlElement message = messageRef == null ? null : messages.get(localRef(messageRef));
        XmlElement subscription = message == null ? null : message.extension(ZEEBE, "subscription");
        if (subscription != null && subscription.value("correlationKey") != null) {
            return feel(el, "correlation key", subscription.value("correlationKey"));
        }
        return null;
    }

    private Expression waitExpression(XmlElement el, String child) {
        XmlElement wait = el.extension(BATON, "wait");
        return wait == null ? null : expression(wait.child(BATON, child));
    }

    /**
     * The channels a message must arrive on: {@code baton:source}, names separated by blanks (as an XML list);
     * none for any channel.
     */
    private static List<String> sources(XmlElement el) {
        String names = el.value(BATON, "source");
        return names == null ? List.of() : List.of(names.split("\\s+"));
    }

    private String waitInto(XmlElement el) {
        XmlElement wait = el.extension(BATON, "wait");
        return wait == null ? null : wait.value("into");
    }

    /** A Zeebe value: a FEEL expression ({@code = prId}) when it starts with '=', else a fixed string. */
    private Expression feel(XmlElement el, String what, String text) {
        if (!text.strip().startsWith("=")) {
            return Expression.jsonata(ConditionTranslator.stringLiteral(text, '"'));
        }
        ConditionTranslator.Translation t = translator.translate(text);
        if (!t.translated()) {
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, what, text.strip(), t.reason());
            return null;
        }
        return Expression.jsonata(t.jsonata());
    }

    // ---- Conditions ----

    /** A flow's condition element, or null when it has none (or an empty one). */
    private static XmlElement condition(XmlElement flow) {
        XmlElement c = flow.child(BPMN, "conditionExpression");
        return c == null || c.trimmedText() == null ? null : c;
    }

    /** The condition in Baton's dialect: as written when marked as such, else translated; tree[0] set when translated. */
    private Expression conditionExpression(XmlElement flow, XmlElement condition, ConditionTranslator.Condition[] tree) {
        String declared = condition.value(BATON, "language");
        if (declared != null) {
            if (!Expression.LANGUAGES.contains(declared)) {
                report(flow, BpmnMessages.UNKNOWN_LANGUAGE, String.join(", ", new TreeSet<>(Expression.LANGUAGES)), declared);
            }
            return new Expression(declared, condition.text());
        }
        String language = condition.value("language");
        String normalized = language == null ? "" : language.toLowerCase(Locale.ROOT).replaceAll("/$", "");
        if (JSONATA_LANGUAGES.contains(normalized)) {
            return Expression.jsonata(condition.text());
        }
        String text = condition.trimmedText();
        // Modelers stamp XPath, the spec's default, on conditions written in their engine's JUEL or FEEL.
        if (!normalized.isEmpty() && !normalized.contains("xpath") && !normalized.contains("juel")
                && !normalized.contains("feel")) {
            report(flow, BpmnMessages.NOT_TRANSLATED, text, "a condition in " + language);
            return Expression.jsonata("true");
        }
        try {
            tree[0] = translator.parse(text);
            return Expression.jsonata(ConditionTranslator.render(tree[0]));
        } catch (ConditionTranslator.NotTranslated e) {
            report(flow, BpmnMessages.NOT_TRANSLATED, text, e.getMessage());
            return Expression.jsonata("true");
        }
    }

    // ---- Timers ----

    private Duration timerDuration(XmlElement el, String text) {
        String iso = feelLiteral(text);
        try {
            Duration d = Duration.parse(iso);
            return d;
        } catch (DateTimeParseException e) {
            report(el, BpmnMessages.BAD_TIMER, "an ISO-8601 duration in days, hours, minutes and seconds (PT4H, P1D)", text);
            return null;
        }
    }

    private Instant timerDate(XmlElement el, String text) {
        String iso = feelLiteral(text);
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException again) {
                report(el, BpmnMessages.BAD_TIMER, "an ISO-8601 date-time with offset (2026-12-01T09:00:00Z)", text);
                return null;
            }
        }
    }

    /** Zeebe writes timers as FEEL: {@code =PT5M}, {@code = duration("PT5M")}, {@code = "PT5M"}; the literal inside. */
    private static String feelLiteral(String text) {
        String t = text.strip();
        if (!t.startsWith("=")) {
            return t;
        }
        t = t.substring(1).strip();
        Matcher m = Pattern.compile("(?:duration|date and time)\\(\\s*\"([^\"]*)\"\\s*\\)|\"([^\"]*)\"").matcher(t);
        if (m.matches()) {
            return m.group(1) != null ? m.group(1) : m.group(2);
        }
        return t;
    }

    // ---- Checks shared by activities ----

    private void checkActivity(Node node) {
        XmlElement el = node.element;
        if (unsupported(node) != null) {
            return;
        }
        if (el.child(BPMN, "standardLoopCharacteristics") != null) {
            report(el, BpmnMessages.NOT_EXECUTED, "a loop (standardLoopCharacteristics)");
        }
        if ("true".equals(el.value("isForCompensation"))) {
            report(el, BpmnMessages.NOT_EXECUTED, "a compensation handler");
        }
        if (el.child(BPMN, "dataInputAssociation") != null || el.child(BPMN, "dataOutputAssociation") != null) {
            report(el, BpmnMessages.NOT_EXECUTED, "a data association (data objects as inputs or outputs)");
        }
        if (el.extension(CAMUNDA, "inputOutput") != null) {
            report(el, BpmnMessages.NOT_EXECUTED, "input/output mappings (camunda:inputOutput)");
        }
        if (el.extension(ZEEBE, "ioMapping") != null) {
            report(el, BpmnMessages.NOT_EXECUTED, "input/output mappings (zeebe:ioMapping)");
        }
    }

    // ---- Multi-instance ----

    /**
     * An activity's {@code multiInstanceLoopCharacteristics}, or a catch event's {@code baton:multi}: its collection
     * from {@code baton:multi}, {@code zeebe:loopCharacteristics} (FEEL), the vendors' {@code collection} attribute
     * (a variable or a JUEL expression) or a {@code loopCardinality} (the numbers 1 to n); its element variable,
     * output collection and element, and completion condition. Null when the element has none, or its collection
     * cannot be read (reported).
     */
    private MultiInstance multiInstance(Node node) {
        XmlElement el = node.element;
        XmlElement loop = el.child(BPMN, "multiInstanceLoopCharacteristics");
        XmlElement own = loop != null ? loop.extension(BATON, "multi") : el.extension(BATON, "multi");
        if (loop == null && own == null) {
            return null;
        }
        int before = problems.size();
        boolean sequential = "true".equals(loop != null ? loop.value("isSequential") : own.value("sequential"));
        Expression collection = null;
        String element = null;
        String collect = null;
        Expression result = null;
        Expression completion = null;
        if (own != null) {
            collection = expression(own.child(BATON, "over"));
            element = own.value("as");
            collect = own.value("collect");
            result = expression(own.child(BATON, "result"));
            completion = expression(own.child(BATON, "until"));
        } else if (loop.extension(ZEEBE, "loopCharacteristics") != null) {
            XmlElement zeebe = loop.extension(ZEEBE, "loopCharacteristics");
            String input = zeebe.value("inputCollection");
            collection = input == null ? null : feel(el, "input collection", input);
            element = zeebe.value("inputElement");
            collect = zeebe.value("outputCollection");
            String output = zeebe.value("outputElement");
            result = output == null ? null : feel(el, "output element", output);
        } else {
            for (String ns : VENDORS) {
                String c = loop.value(ns, "collection");
                if (c != null) {
                    collection = vendorCollection(el, c);
                    element = loop.value(ns, "elementVariable");
                    break;
                }
            }
            XmlElement cardinality = loop.child(BPMN, "loopCardinality");
            if (collection == null && problems.size() == before && cardinality != null
                    && cardinality.trimmedText() != null) {
                collection = cardinality(el, cardinality.trimmedText());
            }
        }
        if (loop != null) {
            for (String ns : List.of(FLOWABLE, ACTIVITI)) {
                if (loop.attr(ns, "elementIndexVariable") != null) {
                    report(el, BpmnMessages.NOT_EXECUTED, "an element index variable ("
                            + (ns.equals(FLOWABLE) ? "flowable" : "activiti")
                            + ":elementIndexVariable; Baton's instances see their number in loopCounter)");
                }
            }
            if (loop.extension(FLOWABLE, "variableAggregation") != null) {
                report(el, BpmnMessages.NOT_EXECUTED, "a variable aggregation (flowable:variableAggregation)");
            }
        }
        XmlElement condition = loop == null ? null : loop.child(BPMN, "completionCondition");
        if (condition != null && condition.trimmedText() != null) {
            completion = completionCondition(el, condition);
        }
        if (collection == null) {
            if (problems.size() == before) {
                report(el, BpmnMessages.MULTI_WITHOUT_COLLECTION);
            }
            return null;
        }
        return new MultiInstance(collection, element != null ? element : MultiInstance.DEFAULT_ELEMENT, sequential,
                collect, result, completion);
    }

    /** Camunda's, Flowable's and Activiti's collection: a variable's name, or a JUEL expression giving the list. */
    private Expression vendorCollection(XmlElement el, String text) {
        String t = text.strip();
        ConditionTranslator.Translation translated = translator.translate(
                t.startsWith("${") || t.startsWith("#{") ? t : "${" + t + "}");
        if (!translated.translated()) {
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, "multi-instance collection", t, translated.reason());
            return null;
        }
        return Expression.jsonata(translated.jsonata());
    }

    /** {@code loopCardinality}: n instances, over the numbers 1 to n; n a number, or a JUEL or FEEL expression. */
    private Expression cardinality(XmlElement el, String text) {
        if (text.matches("\\d+")) {
            return Expression.jsonata("[1.." + text + "]");
        }
        ConditionTranslator.Translation translated = translator.translate(text);
        if (!translated.translated()) {
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, "loop cardinality", text, translated.reason());
            return null;
        }
        return Expression.jsonata("[1..(" + translated.jsonata() + ")]");
    }

    /** A completion condition: as written when marked JSONata or Baton's, else translated from JUEL or FEEL. */
    private Expression completionCondition(XmlElement el, XmlElement condition) {
        String declared = condition.value(BATON, "language");
        if (declared != null) {
            return new Expression(declared, condition.text());
        }
        String language = condition.value("language");
        if (language != null && JSONATA_LANGUAGES.contains(language.toLowerCase(Locale.ROOT).replaceAll("/$", ""))) {
            return Expression.jsonata(condition.text());
        }
        ConditionTranslator.Translation translated = translator.translate(condition.trimmedText());
        if (!translated.translated()) {
            report(el, BpmnMessages.EXPRESSION_NOT_TRANSLATED, "completion condition", condition.trimmedText(),
                    translated.reason());
            return null;
        }
        return Expression.jsonata(translated.jsonata());
    }

    /** Listeners run the engine's code around an element: Baton has no such hook. */
    private void checkListeners(XmlElement el) {
        Set<String> found = new LinkedHashSet<>();
        for (String ns : VENDORS) {
            for (XmlElement ext : el.extensions(ns)) {
                if (ext.name().endsWith("Listener")) {
                    found.add(ext.name());
                }
            }
        }
        for (String kind : found) {
            report(el, BpmnMessages.NOT_EXECUTED, article(words(kind)) + " (code the engine would run)");
        }
    }

    // ---- Baton's extensions ----

    /** An expression element: its text as written, in its {@code language} or the definition's. */
    private Expression expression(XmlElement el) {
        if (el == null) {
            return null;
        }
        String declared = el.value("language");
        String lang = declared != null ? declared : language;
        if (declared != null && !Expression.LANGUAGES.contains(declared)) {
            report(el, BpmnMessages.UNKNOWN_LANGUAGE, String.join(", ", new TreeSet<>(Expression.LANGUAGES)), declared);
        }
        return new Expression(lang, el.text());
    }

    private RetryPolicy retry(XmlElement el, RetryPolicy base) {
        XmlElement r = el.extension(BATON, "retry");
        if (r == null) {
            return foreignRetry(el, base);
        }
        Integer attempts = null;
        Double multiplier = null;
        try {
            attempts = r.value("attempts") == null ? null : Integer.valueOf(r.value("attempts"));
        } catch (NumberFormatException e) {
            report(el, BpmnMessages.BAD_EXTENSION, "baton:retry attempts", "an integer", r.value("attempts"));
        }
        try {
            multiplier = r.value("multiplier") == null ? null : Double.valueOf(r.value("multiplier"));
        } catch (NumberFormatException e) {
            report(el, BpmnMessages.BAD_EXTENSION, "baton:retry multiplier", "a number", r.value("multiplier"));
        }
        Duration backoff = duration(el, "baton:retry backoff", r.value("backoff"));
        Duration maxBackoff = duration(el, "baton:retry maxBackoff", r.value("maxBackoff"));
        return new RetryPolicy(attempts != null ? attempts : base.maxAttempts(),
                backoff != null ? backoff : base.initialBackoff(),
                multiplier != null ? multiplier : base.multiplier(),
                maxBackoff != null ? maxBackoff : base.maxBackoff());
    }

    /**
     * Another engine's retry settings, where Baton has the same concept: Camunda's, Flowable's and Activiti's
     * {@code failedJobRetryTimeCycle} {@code R<n>/<duration>} (n runs in all, that far apart) and Zeebe's
     * {@code taskDefinition retries} (n runs in all, the base back-off). Null when the element has none.
     */
    private RetryPolicy foreignRetry(XmlElement el, RetryPolicy base) {
        XmlElement task = el.extension(ZEEBE, "taskDefinition");
        String retries = task == null ? null : task.value("retries");
        if (retries != null) {
            try {
                int n = Integer.parseInt(retries.strip());
                if (n >= 1) {
                    return new RetryPolicy(n, base.initialBackoff(), base.multiplier(), base.maxBackoff());
                }
            } catch (NumberFormatException e) {
                // an expression: reported below
            }
            report(el, BpmnMessages.BAD_EXTENSION, "zeebe:taskDefinition retries", "a number of runs, 1 or more", retries);
            return null;
        }
        for (String ns : VENDORS) {
            XmlElement cycle = el.extension(ns, "failedJobRetryTimeCycle");
            String text = cycle == null ? el.value(ns, "failedJobRetryTimeCycle") : cycle.trimmedText();
            if (text == null) {
                continue;
            }
            Matcher m = RETRY_CYCLE.matcher(text.strip());
            Duration every = null;
            if (m.matches()) {
                try {
                    every = Duration.parse(m.group(2));
                } catch (DateTimeParseException e) {
                    every = null;
                }
            }
            if (every == null || Integer.parseInt(m.group(1)) < 1) {
                report(el, BpmnMessages.BAD_EXTENSION, "failedJobRetryTimeCycle",
                        "R<runs>/<ISO-8601 duration> such as R5/PT5M (lists of intervals are not read)", text);
                return null;
            }
            return new RetryPolicy(Integer.parseInt(m.group(1)), every, 1.0, every);
        }
        return null;
    }

    private Duration duration(XmlElement el, String what, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            report(el, BpmnMessages.BAD_EXTENSION, what, "an ISO-8601 duration such as PT30S", text);
            return null;
        }
    }

    private boolean bool(XmlElement el, String what, String text, boolean absent) {
        if (text == null) {
            return absent;
        }
        if (!text.equals("true") && !text.equals("false")) {
            report(el, BpmnMessages.BAD_EXTENSION, what, "true or false", text);
            return absent;
        }
        return Boolean.parseBoolean(text);
    }

    /** The settings in {@code baton:with}: {@code baton:value} elements by name. */
    private Map<String, Object> values(XmlElement owner, XmlElement holder) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (XmlElement v : holder.children(BATON, "value")) {
            String name = v.attr("name");
            if (name == null) {
                report(owner, BpmnMessages.MISSING_EXTENSION_ATTRIBUTE, "baton:value", "name");
            } else if (out.containsKey(name)) {
                report(owner, BpmnMessages.DUPLICATE_EXTENSION_NAME, name, "baton:" + holder.name());
            } else {
                out.put(name, value(owner, v));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** One {@code baton:value}: text of a {@code type} (string by default), or a list or map of values. */
    private Object value(XmlElement owner, XmlElement v) {
        String type = v.value("type") == null ? "string" : v.value("type");
        String text = v.text();
        switch (type) {
            case "string":
                return text;
            case "null":
                return null;
            case "boolean":
                if (!text.strip().equals("true") && !text.strip().equals("false")) {
                    report(owner, BpmnMessages.BAD_EXTENSION, "baton:value", "true or false", text);
                }
                return Boolean.parseBoolean(text.strip());
            case "integer":
                try {
                    // read as the YAML parser reads integers: the narrowest of int, long and big integer
                    BigInteger big = new BigInteger(text.strip());
                    if (big.bitLength() < 32) {
                        return big.intValue();
                    }
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                } catch (NumberFormatException e) {
                    report(owner, BpmnMessages.BAD_EXTENSION, "baton:value", "an integer", text);
                    return null;
                }
            case "number":
                try {
                    return Double.valueOf(text.strip());
                } catch (NumberFormatException e) {
                    report(owner, BpmnMessages.BAD_EXTENSION, "baton:value", "a number", text);
                    return null;
                }
            case "list":
                List<Object> items = new ArrayList<>();
                for (XmlElement item : v.children(BATON, "value")) {
                    items.add(value(owner, item));
                }
                return Collections.unmodifiableList(items);
            case "map":
                return values(owner, v);
            default:
                report(owner, BpmnMessages.BAD_EXTENSION, "baton:value type",
                        "string, integer, number, boolean, null, list or map", type);
                return null;
        }
    }

    // ---- Helpers ----

    private List<XmlElement> eventDefinitions(XmlElement event) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : event.children()) {
            if (BPMN.equals(c.namespace()) && c.name().endsWith("EventDefinition")) {
                out.add(c);
            }
        }
        for (XmlElement ref : event.children(BPMN, "eventDefinitionRef")) {
            report(event, BpmnMessages.NOT_EXECUTED, "an event definition by reference ('" + ref.trimmedText() + "')");
        }
        return out;
    }

    /** The first value of an attribute among the vendors' namespaces. */
    private static String vendorValue(XmlElement el, String attribute) {
        for (String ns : VENDORS) {
            if (el.value(ns, attribute) != null) {
                return el.value(ns, attribute);
            }
        }
        return null;
    }

    /** A reference may carry a namespace prefix ({@code tns:Message_1}); ids are unique in a file, so the local part names it. */
    private static String localRef(String ref) {
        int colon = ref.indexOf(':');
        return colon < 0 ? ref : ref.substring(colon + 1);
    }

    /**
     * A step id from a BPMN id. BPMN ids are XML names and may hold dots or begin with '_'; Baton's
     * name queues ({@code [A-Za-z0-9][A-Za-z0-9_-]*}): other characters become '-', leading ones go.
     */
    static String sanitize(String bpmnId) {
        String id = bpmnId.replaceAll("[^A-Za-z0-9_-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        return id.isEmpty() ? "step" : id;
    }

    private String allocate(String bpmnId) {
        String base = sanitize(bpmnId);
        String id = base;
        for (int n = 2; !usedIds.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private void report(XmlElement el, String template, Object... args) {
        problems.add(new Problem(describe(el), String.format(template, args), el.line()));
    }

    /** {@code bpmn userTask 'review' (Review the order)}: how problems name an element. */
    static String describe(XmlElement el) {
        StringBuilder s = new StringBuilder("bpmn ").append(el.name());
        if (el.value("id") != null) {
            s.append(" '").append(el.value("id")).append('\'');
        }
        if (el.value("name") != null) {
            s.append(" (").append(el.value("name").replaceAll("\\s+", " ")).append(')');
        }
        return s.toString();
    }

    /** {@code userTask} → {@code user task}. */
    private static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /** {@code a timer start event}, {@code an error boundary event}. */
    private static String article(String what) {
        String w = what.contains(" ") ? what : words(what);
        return ("aeiou".indexOf(w.charAt(0)) >= 0 && !w.startsWith("us") ? "an " : "a ") + w;
    }
}
