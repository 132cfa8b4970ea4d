package dev.baton.model.bpmn;

import static dev.baton.model.validation.ValidationMessages.BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_DEFAULT;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.CYCLE_WITHOUT_WAIT;
import static dev.baton.model.validation.ValidationMessages.NO_START;
import static dev.baton.model.validation.ValidationMessages.NO_STEPS;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_KIND;
import static dev.baton.model.validation.ValidationMessages.TIMEOUT_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITHOUT_TIME;
import static dev.baton.model.validation.ValidationMessages.TOO_FEW_BRANCHES;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_START;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_TARGET;
import static dev.baton.model.validation.ValidationMessages.UNREACHABLE;
import static dev.baton.model.validation.ValidationMessages.WAIT_WITHOUT_MESSAGE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.DefinitionValidator;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;

/**
 * Imports a BPMN 2.0 file (Camunda 7 and 8, Flowable, Activiti, Signavio, bpmn.io, or Baton's own
 * export) as a definition, or says precisely why not: every element Baton does not execute yet, every
 * condition it cannot translate, every task it cannot bind, each by element and line, all at once. Then,
 * as {@link dev.baton.model.parser.DefinitionReader} does for YAML, the {@link DefinitionValidator}
 * checks the result. Never throws; thread-safe.
 *
 * <h2>Which process</h2>
 * The one process with flow elements, or the one marked {@code isExecutable="true"} among several; a
 * document with several such processes, or several unmarked ones, is refused with their ids (Baton
 * deploys one process per document), listing what each of them would need too. Pools without a
 * process (black boxes), message flows and lanes are drawing only: lanes have no place in a definition
 * and are left out.
 *
 * <h2>What maps onto what</h2>
 * <ul>
 * <li>process: {@code id} (see ids below, or {@code baton:id} when the export had to rename the process
 *     because a step has its id), {@code name}; {@code baton:owner}, {@code baton:sla} (ISO-8601 duration),
 *     {@code baton:expressionLanguage} (default {@code jsonata}) attributes;
 *     {@code <baton:retry attempts backoff multiplier maxBackoff/>} (the default retry) and
 *     {@code <baton:personal>customer.email</baton:personal>} entries in its extension elements.</li>
 * <li>start events: every start event must lead to the same step, which becomes the definition's start.
 *     None: an API start. Message: an event trigger whose CloudEvent type is the message's name, with
 *     {@code <baton:trigger source="…"><baton:when>…</baton:when><baton:businessKey>…</baton:businessKey>
 *     <baton:variables>…</baton:variables></baton:trigger>} for the rest. Timer with a cron
 *     {@code timeCycle}: a cron trigger.</li>
 * <li>end events: none → end; terminate → end with {@code terminate}; error → end throwing the error's code
 *     (see errors below).</li>
 * <li>service, send and business-rule tasks → call: {@code <baton:call operation="http.post">} with
 *     {@code <baton:with>} settings (see values below), {@code <baton:input>} and
 *     {@code <baton:output variable="x">} expressions; or bound through {@link BpmnBindings} by their
 *     foreign type, then the operation gets every variable as input ({@code $}), settings from
 *     {@code camunda:/flowable:/activiti:field} strings and {@code zeebe:taskHeaders}, and a
 *     {@code resultVariable} receives the whole result. An unbound task is a problem.</li>
 * <li>script tasks → task: {@code <baton:set variable="x">expression</baton:set>} entries, or a JSONata
 *     script ({@code scriptFormat="jsonata"}) with a result variable, or a {@code zeebe:script} whose FEEL
 *     expression translates (see conditions).</li>
 * <li>user tasks → human task: roles from {@code camunda:/flowable:/activiti:candidateGroups},
 *     {@code zeebe:assignmentDefinition candidateGroups} (names, or a FEEL list of strings), and
 *     {@code potentialOwner} ({@code group(x)} or plain names in its formal expression, or the name of the
 *     {@code resource} it refers to); {@code baton:title}, {@code baton:due} (a duration),
 *     {@code baton:fourEyes} attributes. Assignees and candidate users are problems: Baton offers tasks
 *     to roles.</li>
 * <li>manual tasks, plain tasks, none intermediate throw events → task (no-op, or {@code baton:set}).</li>
 * <li>receive tasks and message intermediate catch events → wait for the message's name, keyed by
 *     {@code <baton:wait into="v"><baton:key>…</baton:key><baton:eventKey>…</baton:eventKey></baton:wait>}
 *     or the message's {@code zeebe:subscription correlationKey} (FEEL after {@code =}, else a fixed key);
 *     a {@code baton:source="wms"} attribute on the element names the channel (or channels, separated by
 *     blanks) the message must arrive on, as on a message boundary event.</li>
 * <li>timer intermediate catch events → timer ({@code timeDuration} or {@code timeDate}).</li>
 * <li>exclusive gateways → choice: conditional flows in document order, the {@code default} flow as
 *     {@code otherwise}; without a default, a pair of flows whose conditions are {@code x} and
 *     {@code not x} makes the second the default; otherwise there is none, and a path on which no
 *     condition holds stops in an incident at run time (as in Camunda and Zeebe).</li>
 * <li>inclusive gateways → inclusive (splitting: every flow whose condition holds, a flow without
 *     condition always, the {@code default} flow only when none holds) or join (merging), paired as
 *     parallel gateways are; a complex gateway with {@code baton:first="true"} → a join with
 *     {@code first} (the discriminator Baton's export writes).</li>
 * <li>parallel gateways → parallel (splitting) or join (merging); a node with several plain outgoing
 *     flows is an implicit parallel split, and gets a parallel step named {@code <id>-split}.
 *     Gateways that only merge exclusive paths, or only pass on, vanish: any step may have several
 *     predecessors.</li>
 * <li>a timer boundary event ({@code timeDuration}; interrupting, or {@code cancelActivity="false"}) on an
 *     activity, embedded sub-processes included → the step's timeout, its outgoing flow the escalation path.
 *     Timer events, which cannot carry boundary events, take {@code <baton:timeout after next interrupting/>}.</li>
 * <li>embedded sub-processes (not {@code triggeredByEvent}) → subprocess, their flow mapped as the process's,
 *     recursively: the step their none start event leads to is the start (without a start event, every node
 *     without incoming flow starts, through a parallel split {@code <id>-start} when there are several); a
 *     path ends where its flow ends or at an end event. Inner ids are unique across the definition, as
 *     BPMN's are across the document.</li>
 * <li>error boundary events (interrupting) on a sub-process or a task that does work (service, send,
 *     business-rule, script, plain or manual task) → the step's catches, in document order, their outgoing
 *     flow the error path. <b>Error codes</b>: a catch takes the {@code errorCode} of the {@code bpmn:error}
 *     its {@code errorRef} names; without {@code errorRef}, or when that error has no {@code errorCode}, it
 *     catches every error (as Camunda 7 and Zeebe read it). An error end event throws its error's
 *     {@code errorCode}, or, when the error has none, the error's {@code id} (unique and always there; a name
 *     is a label, may repeat and is renamed freely); an error end event without {@code errorRef} is a problem.
 *     An {@code errorRef} naming no {@code bpmn:error} is itself the code (as Camunda 7, Flowable and
 *     Activiti read it).</li>
 * <li>message boundary events (interrupting, or {@code cancelActivity="false"}) on any activity Baton runs,
 *     sub-processes included → the step's message boundaries, in document order: the message's {@code name},
 *     the key from {@code <baton:key>…</baton:key>} in the event's extension elements or the message's
 *     {@code zeebe:subscription correlationKey} (FEEL translated), the outgoing flow the message's path,
 *     the channels from {@code baton:source}.</li>
 * <li>event-based gateways → race, whose alternatives are the message and timer intermediate catch events
 *     and receive tasks its flows lead to.</li>
 * <li>any work step: {@code baton:concurrency} attribute and {@code <baton:retry/>}.</li>
 * </ul>
 * Expressions in {@code baton:} elements are their text, exactly as written, in their {@code language}
 * attribute's language or the definition's. A condition marked {@code language="https://jsonata.org"} or
 * {@code baton:language="simple|jsonpath|jsonata"} is taken as written; any other is translated from JUEL
 * or FEEL by {@link ConditionTranslator}. Values in {@code baton:with}:
 * {@code <baton:value name="url">https://…</baton:value>}, with {@code type} one of {@code string} (the
 * default), {@code integer}, {@code number}, {@code boolean}, {@code null}, {@code list} and {@code map}
 * (whose items are nested {@code baton:value}s, named in maps).
 *
 * <p>Everything else (other complex gateways, event, ad-hoc and transaction sub-processes, call
 * activities, multi-instance and loops, message, signal, escalation, compensation, conditional and link
 * events, error boundaries on user and receive tasks, non-interrupting error boundaries, error code
 * variables, event-based gateways leading to anything but message and timer catches and receive tasks,
 * or instantiating or parallel ones, data associations, listeners, vendors' input/output mappings) is a problem
 * {@link BpmnMessages#NOT_EXECUTED} naming the element as {@code bpmn <tag> '<id>' (<name>)}.
 *
 * <p><b>Ids.</b> BPMN ids are XML names; a step's id is its element's id with characters Baton's ids
 * lack ({@code .}, and any but letters, digits, {@code _} and {@code -}) turned into {@code -} and leading
 * non-alphanumerics dropped ({@code _42ab.c} → {@code 42ab-c}), numbered on a clash.
 *
 * <p><b>Problems.</b> The mapping's problems come first, in line order; the validator's follow, their
 * elements named as the BPMN elements they came from. While the mapping reports anything, the validator's
 * graph checks (targets, reachability, forks and joins, cycles) are left out, since the steps standing in
 * for what could not be mapped do not route as the elements would; nor are a missing message, time or
 * deadline, when the mapping already said why for that element.
 */
public final class BpmnReader {

    /** The largest document read: a modeler's file is a few hundred kilobytes. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    /** The validator's checks that stand-ins for unmapped elements would set off: skipped while the mapping reports any. */
    private static final List<Pattern> GRAPH_CHECKS = patterns(UNKNOWN_TARGET, UNREACHABLE, BRANCH_WITHOUT_JOIN,
            BRANCHES_REACH_DIFFERENT_JOINS, TOO_FEW_BRANCHES, CYCLE_WITHOUT_WAIT, NO_START, UNKNOWN_START, NO_STEPS,
            CHOICE_WITHOUT_DEFAULT, CHOICE_WITHOUT_CONDITION, RACE_ALTERNATIVE_KIND, INCLUSIVE_BRANCH_WITHOUT_JOIN,
            INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS, INCLUSIVE_WITHOUT_CONDITION);
    /**
     * The validator's checks that hold YAML to more than BPMN: an exclusive gateway without default flow runs
     * (no condition holding is an incident at run time, as in Camunda and Zeebe), a YAML choice needs one.
     */
    private static final List<Pattern> YAML_ONLY = patterns(CHOICE_WITHOUT_DEFAULT);
    /** The validator's checks whose failure the mapping explains when it reported the element: a missing message or time. */
    private static final List<Pattern> COVERED = patterns(WAIT_WITHOUT_MESSAGE, TIMER_WITHOUT_TIME, TIMEOUT_NOT_POSITIVE);
    private static final Pattern STEP_ELEMENT = Pattern.compile("step '(.*)'");
    private static final Pattern TRIGGER_ELEMENT = Pattern.compile("trigger (\\d+)");
    private static final Set<String> FLOW_ELEMENTS = Set.of("task", "manualTask", "userTask", "serviceTask",
            "sendTask", "receiveTask", "scriptTask", "businessRuleTask", "subProcess", "adHocSubProcess", "transaction",
            "callActivity", "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
            "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
            "complexGateway", "sequenceFlow");

    private final DefinitionValidator validator;
    private final BpmnBindings bindings;
    private final ConditionTranslator translator = new ConditionTranslator();
    private final XmlTreeReader xml = new XmlTreeReader();

    /** A reader without bindings: only tasks with a {@code baton:call} extension are bound. */
    public BpmnReader(ConnectorCatalog catalog, ExpressionChecker checker) {
        this(catalog, checker, BpmnBindings.NONE);
    }

    /**
     * @param catalog  the operations calls may name, as for YAML definitions
     * @param checker  compiles expressions, as for YAML definitions
     * @param bindings foreign task types → connector operations
     */
    public BpmnReader(ConnectorCatalog catalog, ExpressionChecker checker, BpmnBindings bindings) {
        this(catalog, checker, bindings, DefinitionValidator.DEFAULT_MAX_STEPS);
    }

    /** @param maxSteps the most steps a definition may have (see {@link DefinitionValidator#DEFAULT_MAX_STEPS}) */
    public BpmnReader(ConnectorCatalog catalog, ExpressionChecker checker, BpmnBindings bindings, int maxSteps) {
        this.validator = new DefinitionValidator(catalog, checker, maxSteps);
        this.bindings = bindings;
    }

    /**
     * Reads a BPMN document. Never throws: everything wrong is a {@link Problem}, all of them at once.
     *
     * @param document the file's bytes, in the encoding its declaration names (UTF-8 without one)
     * @return the definition, or null and the problems
     */
    public Reading read(byte[] document) {
        try {
            return readDocument(document);
        } catch (RuntimeException e) {
            return new Reading(null, List.of(new Problem("document", String.format(BpmnMessages.INTERNAL, e), 0)));
        }
    }

    private Reading readDocument(byte[] document) {
        if (document == null || document.length == 0) {
            return refused(new Problem("document", BpmnMessages.EMPTY, 0));
        }
        if (document.length > MAX_BYTES) {
            return refused(new Problem("document", String.format(BpmnMessages.TOO_LARGE, MAX_BYTES, document.length), 0));
        }
        XmlTreeReader.Result parsed = xml.read(document);
        if (parsed.root() == null) {
            return refused(new Problem("document", parsed.problem(), parsed.line()));
        }
        XmlElement root = parsed.root();
        if (!root.is(BpmnNamespaces.BPMN, "definitions")) {
            String found = root.namespace().isEmpty() ? root.name() : "{" + root.namespace() + "}" + root.name();
            return refused(new Problem("document", String.format(BpmnMessages.NOT_BPMN, BpmnNamespaces.BPMN, found),
                    root.line()));
        }
        Map<String, XmlElement> messages = byId(root, "message");
        Map<String, XmlElement> resources = byId(root, "resource");
        Map<String, XmlElement> errors = byId(root, "error");
        List<XmlElement> candidates = root.children(BpmnNamespaces.BPMN, "process").stream()
                .filter(BpmnReader::hasFlowElements).toList();
        List<XmlElement> executable = candidates.stream().filter(p -> "true".equals(p.value("isExecutable"))).toList();
        String definitions = ProcessMapper.describe(root);
        if (candidates.isEmpty()) {
            return refused(new Problem(definitions, BpmnMessages.NO_PROCESS, root.line()));
        }
        List<XmlElement> ambiguous = executable.size() > 1 ? executable
                : executable.isEmpty() && candidates.size() > 1 ? candidates : List.of();
        if (!ambiguous.isEmpty()) {
            String ids = ambiguous.stream().map(p -> "'" + p.value("id") + "'").collect(Collectors.joining(", "));
            List<Problem> problems = new ArrayList<>();
            problems.add(new Problem(definitions, String.format(executable.size() > 1 ? BpmnMessages.SEVERAL_EXECUTABLE
                    : BpmnMessages.SEVERAL_PROCESSES, ambiguous.size(), ids), root.line()));
            for (XmlElement process : ambiguous) {
                ProcessMapper mapper = new ProcessMapper(process, messages, resources, errors, bindings, translator);
                mapper.map();
                problems.addAll(sorted(mapper.problems()));
            }
            return refused(problems);
        }
        XmlElement process = executable.isEmpty() ? candidates.get(0) : executable.get(0);
        ProcessMapper mapper = new ProcessMapper(process, messages, resources, errors, bindings, translator);
        ProcessDefinition definition = mapper.map();
        List<Problem> problems = new ArrayList<>(sorted(mapper.problems()));
        boolean mappingFailed = !mapper.problems().isEmpty();
        Set<String> reported = problems.stream().map(Problem::element).collect(Collectors.toSet());
        for (Problem p : validator.validate(definition)) {
            if (mappingFailed && GRAPH_CHECKS.stream().anyMatch(g -> g.matcher(p.message()).matches())) {
                continue;
            }
            if (YAML_ONLY.stream().anyMatch(y -> y.matcher(p.message()).matches())) {
                continue;
            }
            Problem named = remap(p, mapper);
            if (reported.contains(named.element()) && COVERED.stream().anyMatch(c -> c.matcher(p.message()).matches())) {
                continue; // the mapping said why, in BPMN's words
            }
            problems.add(named);
        }
        return new Reading(definition, problems);
    }

    /** A validator problem, named after the BPMN element it concerns and with its line. */
    private static Problem remap(Problem p, ProcessMapper mapper) {
        ProcessMapper.Origin origin = mapper.processOrigin();
        Matcher step = STEP_ELEMENT.matcher(p.element());
        Matcher trigger = TRIGGER_ELEMENT.matcher(p.element());
        if (step.matches() && mapper.originOf(step.group(1)) != null) {
            origin = mapper.originOf(step.group(1));
        } else if (trigger.matches()) {
            origin = mapper.originOfTrigger(Integer.parseInt(trigger.group(1)));
        }
        return new Problem(origin.element(), p.message(), p.line() > 0 ? p.line() : origin.line());
    }

    private static boolean hasFlowElements(XmlElement process) {
        return process.children().stream().anyMatch(c -> BpmnNamespaces.BPMN.equals(c.namespace())
                && FLOW_ELEMENTS.contains(c.name()));
    }

    private static Map<String, XmlElement> byId(XmlElement root, String name) {
        Map<String, XmlElement> out = new HashMap<>();
        for (XmlElement e : root.children(BpmnNamespaces.BPMN, name)) {
            if (e.value("id") != null) {
                out.putIfAbsent(e.value("id"), e);
            }
        }
        return out;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparingInt(Problem::line));
        return out;
    }

    private static Reading refused(Problem problem) {
        return new Reading(null, List.of(problem));
    }

    private static Reading refused(List<Problem> problems) {
        return new Reading(null, problems);
    }

    /** A message template as a pattern matching every text it formats to. */
    private static List<Pattern> patterns(String... templates) {
        List<Pattern> out = new ArrayList<>();
        for (String t : templates) {
            List<String> parts = new ArrayList<>();
            for (String part : t.split("%[sd]", -1)) {
                parts.add(Pattern.quote(part));
            }
            out.add(Pattern.compile(String.join(".*", parts), Pattern.DOTALL));
        }
        return out;
    }
}
