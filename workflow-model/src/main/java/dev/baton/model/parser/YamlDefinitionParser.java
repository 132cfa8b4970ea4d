package dev.baton.model.parser;

import static dev.baton.model.validation.ValidationMessages.CHOICE_ENTRY;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_ENTRY;
import static dev.baton.model.validation.ValidationMessages.SEVERAL_INCLUSIVE_DEFAULTS;
import static dev.baton.model.validation.ValidationMessages.DUPLICATE_KEY;
import static dev.baton.model.validation.ValidationMessages.KEY_NOT_A_NAME;
import static dev.baton.model.validation.ValidationMessages.MALFORMED_YAML;
import static dev.baton.model.validation.ValidationMessages.MISSING_FIELD;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_EXPRESSION;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_INSTANT;
import static dev.baton.model.validation.ValidationMessages.NOT_A_DURATION;
import static dev.baton.model.validation.ValidationMessages.NOT_A_MAPPING;
import static dev.baton.model.validation.ValidationMessages.NOT_PLAIN_DATA;
import static dev.baton.model.validation.ValidationMessages.SEVERAL_DEFAULTS;
import static dev.baton.model.validation.ValidationMessages.STEP_WITHOUT_KIND;
import static dev.baton.model.validation.ValidationMessages.STEP_WITH_SEVERAL_KINDS;
import static dev.baton.model.validation.ValidationMessages.TOO_LARGE;
import static dev.baton.model.validation.ValidationMessages.TRIGGER_KIND;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_FIELD;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE_KEY;
import static dev.baton.model.validation.ValidationMessages.WRONG_TYPE;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.EventTrigger;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
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
 * Reads a process definition from YAML: the reference of Baton's process language.
 *
 * <pre>{@code
 * id: order-approval            # required; [A-Za-z0-9][A-Za-z0-9_-]*, no dots: queues are baton.<id>.<step>
 * name: Order approval          # optional, default = id
 * owner: sales-ops              # optional
 * sla: PT4H                     # optional ISO-8601 duration
 * expressionLanguage: jsonata   # optional, default jsonata: the language of expressions written as plain strings
 * retry: {attempts: 3, backoff: PT1S, multiplier: 2, maxBackoff: PT1M}
 *                               # optional default of every step; each field optional, defaults from RetryPolicy.DEFAULT
 * personal:                     # optional: the variables holding personal data, as paths
 *   - customer.email            #   dotted into nested maps (and into every map of a list on the way)
 *   - contactName               #   a top-level variable
 *   - businessKey               #   the business key itself; segments: letters, digits, '_' and '-'
 *                               # masked as "***" for callers without clearance, scrubbed from logs,
 *                               # spans and error texts, erased by POST /api/personal-data/erasure
 * triggers:                     # optional
 *   - event: sap.s4.beh.salesorder.v1.SalesOrder.Created.v1   # CloudEvent type
 *     source: sap               # optional: only events arriving on /events/sap
 *     when: "data.amount > 0"   # optional expression over the CloudEvent
 *     businessKey: "data.SalesOrder"   # optional expression, default: the event's subject
 *     variables: '{"order": data}'     # optional expression, default: {"event": data}
 *   - cron: "0 0/5 * * * ?"     # Quartz cron, 6 or 7 fields
 *   - at: 2026-12-01T08:00:00Z  # once, at an ISO-8601 date-time (no offset: UTC); past when deployed: never
 *   - every: PT1H               # ISO-8601 duration (weeks, days, hours, minutes, seconds), positive
 *     times: 3                  # optional integer >= 1, default: no end
 *     from: 2026-12-01T08:00:00Z   # optional first start, default: one interval after the version is deployed
 * start: read                   # optional, default = the first step in the list
 * steps:                        # required, non-empty list
 *   - id: read                  # required, same pattern as the definition id
 *     name: Read order          # optional, default = id
 *     call: http.post           # the kind key, here: a connector operation
 *     with: {url: "http://..."} # call only: static settings, any YAML mapping of plain data
 *     input: "{ 'id': orderId }"   # call only: optional expression giving the request
 *     output: {order: "$"}      # call only: optional variable -> expression over the response
 *     retry: {attempts: 5}      # optional; fields default from the definition's retry, then RetryPolicy.DEFAULT
 *     timeout: {after: PT30S, next: escalate, interrupting: true}   # optional; after and next required,
 *                               # interrupting default true
 *     concurrency: 4            # optional integer >= 0 (0 = the hub's default)
 *     messages:                 # optional message boundaries (task, call, wait, human, subprocess): while the
 *       - message: com.example.order.cancelled   # step is open (queued, running, waiting, in an incident), a
 *         key: "order.id"       # message of this name whose subject equals the key (an expression over the
 *         next: cancel          # variables, default: the business key) takes the path at next; message and
 *         interrupting: true    # next required; interrupting (default true) abandons the step as an
 *         source: shop          # interrupting timeout does; false starts next beside it, once per message,
 *                               # and the step stays open; an object's fields are merged into the variables;
 *                               # source (optional, default any): the channel or list of channels the
 *                               # message must arrive on, as a wait's
 *     next: decide              # optional; without it the path ends
 *   - id: decide
 *     choice:                   # {when, next} entries in order, and exactly one {otherwise}
 *       - when: "order.amount > 100000"
 *         next: approve
 *       - otherwise: auto
 *   - id: approve
 *     human: {title: "Approve order", roles: [sales-manager], due: PT4H, fourEyes: true}
 *                               # title and due optional; roles required unless assignee (an expression
 *                               # naming one user: "requester") is given; fourEyes optional, default false:
 *                               # true forbids whoever started the instance to complete the task (the hub's
 *                               # baton.tasks.four-eyes=true sets it for every task)
 *   - id: split
 *     parallel: [a, b, c]       # every branch starts; a join waits for all of them
 *   - id: a
 *     task: {set: {x: "1 + 1"}} # variable -> expression; `task: {}` or `task:` is a no-op step
 *     next: merge
 *   - id: merge
 *     join: {}                  # or `join:`; {first: true}: a discriminator, continues at the first arrival
 *     next: last                # and swallows the later ones
 *   - id: notify
 *     inclusive:                # every {when, next} whose condition holds starts, in one fork: the join
 *       - when: "email"         # waits for the branches taken; at most one {otherwise}, taken only when no
 *         next: send-email      # condition holds (without it, that is an incident); at least one when
 *       - otherwise: log
 *   - id: pay
 *     wait: {message: payment.received, key: "order.id", eventKey: "data.orderId", into: payment, source: bank}
 *                               # message required; key, eventKey, into (the result variable) and source
 *                               # optional; source: the channel (/events/{channel}) or list of channels the
 *                               # message must arrive on, default any
 *   - id: pause
 *     timer: {duration: PT5M}   # or {date: 2026-12-01T09:00:00Z}; exactly one of the two
 *   - id: done
 *     end: {}                   # or `end:`; {terminate: true} ends every path of the enclosing sub-process
 *                               # (which then completes) or of the instance; {error: ORDER_REJECTED} throws
 *                               # that code to the innermost enclosing step that catches it
 *   - id: fix                   # an embedded sub-process: its steps run in a scope of their own; it
 *     subprocess:               # completes, and continues at next, once every path inside has ended
 *       start: investigate      # optional, default = its first step
 *       steps:                  # required, non-empty; steps here lead only to steps here; ids are unique
 *         - id: investigate     # across the whole definition (queues stay baton.<id>.<step>)
 *           human: {roles: [engineering]}
 *     timeout: {after: PT4H, next: hand-over}   # a boundary timer: interrupting cancels every path inside
 *     catch:                    # call, task and subprocess only: error boundaries, tried innermost first
 *       - error: ORDER_REJECTED #   the code an error end inside throws, or the failure type (BATON-HTTP-404)
 *         next: handle          #   a call or task fails with once its retries are spent; required
 *       - next: anything-else   #   no error: catches every error (after the catches that name it)
 *     next: report
 *   - id: publish               # a call activity: starts an instance of another deployed definition and
 *     process:                  # waits for it to end; a cancelled child fails the step with BATON-CALL-002
 *       definition: publication #   required: the definition id
 *       version: 2              #   optional, default: the newest deployed when the step runs
 *       input: '{"job": job}'   #   optional object expression: the child's variables (default: all of ours)
 *       output: {links: links}  #   optional variable -> expression over the child's final variables
 *                               #   (default: all of them; {} for none); takes catch like call and task
 *   - id: ship-lines            # any work step (task, call, wait, timer, human, subprocess) may run once per
 *     call: http.post           # element of a collection (BPMN multi-instance):
 *     with: {url: "http://..."}
 *     input: "{'sku': line.sku}"
 *     output: {shipment: "$"}
 *     multi:
 *       over: "order.lines"     #   required: an expression giving a JSON array, evaluated when the step is entered
 *       as: line                #   optional, default element: the variable local to each instance holding its
 *                               #   element; loopCounter (1-based, as in Zeebe) holds its number; the counters
 *                               #   nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances are local too
 *       sequential: false       #   optional, default false: all instances at once; true: one after the other
 *       collect: shipments      #   optional: the variable receiving every instance's result, in collection
 *                               #   order, once the step completes (an empty array for an empty collection)
 *       result: "shipment.id"   #   optional, default: the element; evaluated over the instance's view as it completes
 *       until: "nrOfCompletedInstances >= 2"   # optional completion condition, evaluated after each instance
 *                               #   completes (over its view): true cancels the others
 *     next: report              # taken once, after every instance (or the completion condition); a timeout and
 *                               # catches apply to all instances together (a boundary on the whole)
 *   - id: wait-for-review       # a deferred choice (BPMN event-based gateway): every alternative starts,
 *     race: [reviewed, remind]  # the first to happen continues at its own next, the others are withdrawn;
 *                               # alternatives are wait and timer steps reached only through the race
 * }</pre>
 *
 * <p>An expression is a plain string, in the definition's {@code expressionLanguage}, or a mapping of
 * exactly one language to the text: {@code {simple: "${body[amount]} > 10"}}, {@code {jsonpath: "$.a"}},
 * {@code {jsonata: "a+1"}}. Which fields a step may have depends on its kind: work steps (task, call,
 * wait, timer, human) take {@code next}, {@code retry}, {@code timeout} and {@code concurrency}; task and
 * call also {@code catch}; all but timer also {@code messages}; a sub-process takes {@code next}, {@code timeout}, {@code catch} and
 * {@code concurrency} (it has no work of its own to retry); work steps and sub-processes also take {@code multi};
 * a join takes {@code next}; choice, parallel,
 * inclusive, race and end take only {@code id} and {@code name}, since they route themselves. Anchors and aliases ({@code &x}, {@code *x}, at most 50) and merge keys ({@code <<})
 * work; tags naming Java types do not.
 *
 * <p>Division of labour with {@link dev.baton.model.validation.DefinitionValidator}: the parser
 * reports what it cannot read (malformed YAML, duplicate or unknown keys, wrong types, unparsable
 * durations and dates, a step with no or two kind keys, an unknown expression language key, missing
 * fields the model cannot do without); the validator reports what is readable but wrong (ids,
 * references, reachability, missing messages or roles, ...). Each problem is reported by one of them.
 *
 * <p>Never constructs Java objects named by the document. Thread-safe: each call reads with its own
 * SnakeYAML instance.
 */
public final class YamlDefinitionParser {

    /** Aliases of collections one document may use: enough for shared settings, too few for a "billion laughs". */
    public static final int MAX_ALIASES = 50;
    /** The largest document read, in code points (about 3 MB). */
    public static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
    /** The deepest nesting of collections read. */
    public static final int MAX_NESTING_DEPTH = 64;

    /**
     * What parsing produced.
     *
     * @param definition the definition as far as it could be read; null only when the document is
     *                   unusable (malformed, or not a mapping). When {@code problems} is not empty it
     *                   is a best-effort reading, good for further checks only, never for deployment:
     *                   {@link DefinitionReader} drops it.
     * @param problems   what could not be read, in source order
     */
    public record ParseResult(ProcessDefinition definition, List<Problem> problems) {
        public ParseResult {
            problems = List.copyOf(problems);
        }
    }

    private static final List<String> DEFINITION_FIELDS = List.of("id", "name", "owner", "sla", "expressionLanguage",
            "retry", "triggers", "start", "steps", "personal");
    private static final List<String> EVENT_FIELDS = List.of("event", "source", "when", "businessKey", "variables");
    private static final List<String> RETRY_FIELDS = List.of("attempts", "backoff", "multiplier", "maxBackoff");
    private static final List<String> TIMEOUT_FIELDS = List.of("after", "next", "interrupting");
    private static final List<String> WORK_FIELDS = List.of("id", "name", "next", "retry", "timeout", "concurrency");
    private static final List<String> CALL_FIELDS = List.of("with", "input", "output");
    private static final List<String> CATCH_FIELDS = List.of("catch");
    /** What every step with a timeout (work steps and sub-processes) may have besides: running once per element. */
    private static final List<String> MULTI_FIELDS = List.of("multi");
    private static final List<String> MULTI_ENTRY_FIELDS = List.of("over", "as", "sequential", "collect", "result", "until");
    private static final List<String> SUBPROCESS_FIELDS = List.of("id", "name", "next", "timeout", "catch", "concurrency");
    /** Message boundaries: on every work step but a timer (an event in BPMN, where no boundary event attaches). */
    private static final List<String> MESSAGES_FIELDS = List.of("messages");
    private static final List<String> MESSAGE_FIELDS = List.of("message", "key", "next", "interrupting", "source");
    private static final List<String> MESSAGE_HOSTS = List.of("task", "call", "wait", "human", "subprocess", "process");

    /** Reads one kind of step; the kind's key and the step's own fields are in {@code step}. */
    @FunctionalInterface
    private interface KindReader {
        Step read(Reading reading, StepInfo info, Fields step);
    }

    /**
     * A step kind: the fields a step of the kind may have besides its kind key, and its reader.
     * Routing kinds take no retry, timeout or concurrency: no token ever sits on them.
     */
    private record Kind(List<String> fields, KindReader reader) {
    }

    /** The step kinds by their key: a new kind is one line here and one reader method. */
    private static final Map<String, Kind> KINDS;

    static {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put("task", new Kind(concat(WORK_FIELDS, CATCH_FIELDS), Reading::task));
        kinds.put("call", new Kind(concat(concat(WORK_FIELDS, CALL_FIELDS), CATCH_FIELDS), Reading::call));
        kinds.put("choice", new Kind(List.of("id", "name"), Reading::choice));
        kinds.put("parallel", new Kind(List.of("id", "name"), Reading::parallel));
        kinds.put("join", new Kind(List.of("id", "name", "next"), Reading::join));
        kinds.put("wait", new Kind(WORK_FIELDS, Reading::await));
        kinds.put("timer", new Kind(WORK_FIELDS, Reading::timer));
        kinds.put("human", new Kind(WORK_FIELDS, Reading::human));
        kinds.put("end", new Kind(List.of("id", "name"), Reading::end));
        kinds.put("subprocess", new Kind(SUBPROCESS_FIELDS, Reading::subprocess));
        kinds.put("race", new Kind(List.of("id", "name"), Reading::race));
        kinds.put("process", new Kind(concat(WORK_FIELDS, CATCH_FIELDS), Reading::process));
        kinds.put("inclusive", new Kind(List.of("id", "name"), Reading::inclusive));
        for (String host : MESSAGE_HOSTS) {
            Kind kind = kinds.get(host);
            kinds.put(host, new Kind(concat(kind.fields(), MESSAGES_FIELDS), kind.reader()));
        }
        KINDS = Collections.unmodifiableMap(kinds);
    }

    /** Every field some step may have: what a step whose kind is unclear is held against. */
    private static final List<String> STEP_FIELDS = concat(concat(concat(WORK_FIELDS, CALL_FIELDS), CATCH_FIELDS),
            List.copyOf(KINDS.keySet()));

    /**
     * Reads a definition. Never throws: everything wrong is a {@link Problem}, all of them at once.
     *
     * @param yaml the document; null reads as empty
     */
    public ParseResult parse(String yaml) {
        String text = yaml == null ? "" : yaml;
        // SnakeYAML enforces the limit too, but only after scanning up to it, which takes seconds.
        int size = text.codePointCount(0, text.length());
        if (size > MAX_CODE_POINTS) {
            return unusable(new Problem("yaml", String.format(TOO_LARGE, MAX_CODE_POINTS, size), 0));
        }
        Node root;
        try {
            root = new Yaml(loaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            return unusable(new Problem("yaml", String.format(MALFORMED_YAML, describe(e)),
                    mark == null ? 0 : mark.getLine() + 1));
        } catch (YAMLException e) {
            return unusable(new Problem("yaml", String.format(MALFORMED_YAML, e.getMessage()), 0));
        }
        if (!(root instanceof MappingNode mapping)) {
            return unusable(new Problem("yaml", String.format(NOT_A_MAPPING, root == null ? "empty" : describe(root)),
                    root == null ? 0 : line(root)));
        }
        Reading reading = new Reading();
        ProcessDefinition definition = reading.definition(mapping);
        List<Problem> problems = new ArrayList<>(reading.problems);
        problems.sort(Comparator.comparingInt(Problem::line));
        return new ParseResult(definition, problems);
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // Composing does not look at keys: Fields reports duplicates itself, with their lines; this
        // setting guards the free-form data PlainData constructs.
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(true);
        return options;
    }

    private static ParseResult unusable(Problem problem) {
        return new ParseResult(null, List.of(problem));
    }

    /** {@code line 3, column 5: mapping values are not allowed here}, with the context when SnakeYAML gives one. */
    private static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        // SnakeYAML phrases some problems as the second half of a sentence ("but found another document").
        if (problem != null && problem.startsWith("but ")) {
            problem = problem.substring(4);
        }
        StringBuilder text = new StringBuilder();
        if (mark != null) {
            text.append(position(mark)).append(": ");
        }
        text.append(problem);
        if (e.getProblem() != null && e.getContext() != null) {
            text.append(" (").append(e.getContext());
            if (e.getContextMark() != null) {
                text.append(" at ").append(position(e.getContextMark()));
            }
            text.append(')');
        }
        return text.toString();
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** What a value is, for messages: {@code 'soon'}, {@code empty}, {@code a list}, {@code a mapping}. */
    private static String describe(Node node) {
        if (isNull(node)) {
            return "empty";
        } else if (node instanceof ScalarNode scalar) {
            return "'" + scalar.getValue() + "'";
        } else if (node instanceof SequenceNode) {
            return "a list";
        }
        return "a mapping";
    }

    /** One parse: the problems found so far and what later fields depend on (the default language). */
    private static final class Reading {
        private final List<Problem> problems = new ArrayList<>();
        private String language = Expression.JSONATA;

        ProcessDefinition definition(MappingNode root) {
            Fields def = new Fields(this, root, "definition", "the definition", "");
            def.allow(DEFINITION_FIELDS);
            String id = def.text("id", "a process id");
            String name = def.text("name", "a string");
            String owner = def.text("owner", "a string");
            Duration sla = def.duration("sla");
            String declared = def.text("expressionLanguage", "an expression language");
            if (declared != null) {
                language = declared;
            }
            RetryPolicy retry = retry(def, RetryPolicy.DEFAULT);
            List<String> personal = def.texts("personal", "a list of variable paths");
            List<Trigger> triggers = triggers(def);
            List<Step> steps = steps(def, retry != null ? retry : RetryPolicy.DEFAULT);
            String start = def.text("start", "a step id");
            if (start == null && !steps.isEmpty()) {
                start = steps.get(0).id();
            }
            return new ProcessDefinition(id, 0, name != null ? name : id, owner, sla, language, start, retry,
                    triggers, steps, personal);
        }

        private List<Trigger> triggers(Fields def) {
            List<Trigger> triggers = new ArrayList<>();
            List<Node> items = def.list("triggers", "a list of triggers");
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                if (!(item instanceof MappingNode mapping)) {
                    def.wrongType(item, "triggers[" + (i + 1) + "]", "a mapping");
                    continue;
                }
                String element = "trigger " + (i + 1);
                Fields t = new Fields(this, mapping, element, element, "");
                boolean event = t.has("event");
                boolean cron = t.has("cron");
                if (t.has("at") || t.has("every")) {
                    timerTrigger(t, mapping, element, event || cron).ifPresent(triggers::add);
                } else if (event == cron) {
                    t.problem(mapping, TRIGGER_KIND, element, event ? "both" : "neither");
                    t.allow(concat(EVENT_FIELDS, List.of("cron")));
                } else if (event) {
                    t.allow(EVENT_FIELDS);
                    triggers.add(new EventTrigger(t.text("event", "a CloudEvent type"), t.text("source", "a source name"),
                            t.expression("when"), t.expression("businessKey"), t.expression("variables")));
                } else {
                    t.allow(List.of("cron"));
                    triggers.add(new CronTrigger(t.text("cron", "a Quartz cron expression")));
                }
            }
            return triggers;
        }

        /** {@code at}, or {@code every} with optional {@code times} and {@code from}: a timer start. */
        private Optional<TimerTrigger> timerTrigger(Fields t, MappingNode mapping, String element,
                                                             boolean otherKind) {
            boolean at = t.has("at");
            if (otherKind || (at && t.has("every"))) {
                t.problem(mapping, TRIGGER_KIND, element, "several");
            }
            t.allow(at ? List.of("at", "event", "cron", "every") : List.of("every", "times", "from", "event", "cron"));
            if (at) {
                Instant instant = timerInstant(t, "at");
                return instant == null ? Optional.empty() : Optional.of(TimerTrigger.once(instant));
            }
            String every = t.text("every", "an ISO-8601 duration such as PT1H");
            Duration interval = null;
            if (every != null) {
                try {
                    interval = TimerTrigger.parseDuration(every);
                } catch (IllegalArgumentException e) {
                    t.problem(t.value("every"), NOT_A_DURATION, element, t.path("every"), every);
                }
            }
            Integer times = t.integer("times");
            Instant from = t.has("from") ? timerInstant(t, "from") : null;
            return interval == null ? Optional.empty()
                    : Optional.of(TimerTrigger.repeating(interval, times, from));
        }

        private Instant timerInstant(Fields t, String key) {
            String text = t.text(key, "an ISO-8601 date-time such as 2026-12-01T09:00:00Z");
            if (text == null) {
                return null;
            }
            try {
                return TimerTrigger.parseDate(text);
            } catch (IllegalArgumentException e) {
                t.problem(t.value(key), NOT_AN_INSTANT, t.owner, t.path(key), text);
                return null;
            }
        }

        /** The retry policy steps inherit: the definition's, which sub-processes pass on to their steps. */
        private RetryPolicy baseRetry = RetryPolicy.DEFAULT;

        private List<Step> steps(Fields def, RetryPolicy baseRetry) {
            this.baseRetry = baseRetry;
            List<Step> steps = new ArrayList<>();
            List<Node> items = def.list("steps", "a list of steps");
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                if (item instanceof MappingNode mapping) {
                    steps.add(step(mapping, i + 1, baseRetry));
                } else {
                    def.wrongType(item, def.path("steps") + "[" + (i + 1) + "]", "a mapping");
                }
            }
            return steps;
        }

        private Step step(MappingNode node, int number, RetryPolicy baseRetry) {
            String id = peekText(node, "id");
            String element = id != null ? "step '" + id + "'" : "step " + number;
            Fields step = new Fields(this, node, element, element, "");
            List<String> kinds = step.keys().stream().filter(KINDS::containsKey).toList();
            if (kinds.size() != 1) {
                if (kinds.isEmpty()) {
                    step.problem(node, STEP_WITHOUT_KIND, element, String.join(", ", KINDS.keySet()));
                } else {
                    step.problem(node, STEP_WITH_SEVERAL_KINDS, element,
                            kinds.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ")));
                }
                step.allow(STEP_FIELDS);
                // A no-op stand-in keeps references to the step intact, so validation adds no false alarms.
                return new TaskStep(info(step, line(node), baseRetry), Map.of());
            }
            Kind kind = KINDS.get(kinds.get(0));
            step.allow(concat(concat(kind.fields(), kinds), kind.fields().contains("timeout") ? MULTI_FIELDS : List.of()));
            return kind.reader().read(this, info(step, line(node), baseRetry), step);
        }

        private StepInfo info(Fields step, int line, RetryPolicy baseRetry) {
            String id = step.text("id", "a step id");
            String name = step.text("name", "a string");
            Integer concurrency = step.integer("concurrency");
            StepInfo info = new StepInfo(id, name != null ? name : id, step.text("next", "a step id"), retry(step, baseRetry),
                    timeout(step), concurrency != null ? concurrency : 0, line, catches(step));
            return info.withMessages(messages(step)).withMulti(multi(step));
        }

        /**
         * {@code messages: [{message: NAME, key: expr, next: step, interrupting: false}]}: message boundaries;
         * message and next required, interrupting by default.
         */
        private List<MessageCatch> messages(Fields step) {
            List<MessageCatch> messages = new ArrayList<>();
            List<Node> entries = step.list("messages", "a list of {message, key, next, interrupting} entries");
            for (int i = 0; i < entries.size(); i++) {
                String path = "messages[" + (i + 1) + "]";
                if (!(entries.get(i) instanceof MappingNode mapping)) {
                    step.wrongType(entries.get(i), path, "a mapping");
                    continue;
                }
                Fields entry = step.nested(mapping, path);
                entry.allow(MESSAGE_FIELDS);
                String message = entry.required("message") != null ? entry.text("message", "a message name") : null;
                Expression key = entry.expression("key");
                String next = entry.required("next") != null ? entry.text("next", "a step id") : null;
                Boolean interrupting = entry.bool("interrupting");
                List<String> sources = entry.channels("source");
                if (message != null && next != null) {
                    messages.add(new MessageCatch(message, key, next, interrupting == null || interrupting, sources));
                }
            }
            return messages;
        }

        /** {@code multi: {over, as, sequential, collect, result, until}}: the step runs once per element of {@code over}. */
        private MultiInstance multi(Fields step) {
            Fields m = step.mapping("multi");
            if (m == null) {
                return null;
            }
            m.allow(MULTI_ENTRY_FIELDS);
            Expression over = m.required("over") != null ? m.expression("over") : null;
            String as = m.text("as", "a variable name");
            Boolean sequential = m.bool("sequential");
            String collect = m.text("collect", "a variable name");
            Expression result = m.expression("result");
            Expression until = m.expression("until");
            if (over == null) {
                return null;
            }
            return new MultiInstance(over, as != null ? as : MultiInstance.DEFAULT_ELEMENT,
                    sequential != null && sequential, collect, result, until);
        }

        /** {@code catch: [{error: CODE, next: step}, {next: step}]}: error boundaries, a missing error catching all. */
        private List<ErrorCatch> catches(Fields step) {
            List<ErrorCatch> catches = new ArrayList<>();
            List<Node> entries = step.list("catch", "a list of {error, next} entries");
            for (int i = 0; i < entries.size(); i++) {
                String path = "catch[" + (i + 1) + "]";
                if (!(entries.get(i) instanceof MappingNode mapping)) {
                    step.wrongType(entries.get(i), path, "a mapping");
                    continue;
                }
                Fields entry = step.nested(mapping, path);
                entry.allow(List.of("error", "next"));
                String error = entry.has("error") && entry.required("error") != null
                        ? entry.text("error", "an error code") : null;
                String next = entry.required("next") != null ? entry.text("next", "a step id") : null;
                if (next != null && (error != null || !entry.has("error"))) {
                    catches.add(new ErrorCatch(error, next));
                }
            }
            return catches;
        }

        private RetryPolicy retry(Fields owner, RetryPolicy base) {
            Fields r = owner.mapping("retry");
            if (r == null) {
                return null;
            }
            r.allow(RETRY_FIELDS);
            Integer attempts = r.integer("attempts");
            Duration backoff = r.duration("backoff");
            Double multiplier = r.number("multiplier");
            Duration maxBackoff = r.duration("maxBackoff");
            return new RetryPolicy(attempts != null ? attempts : base.maxAttempts(),
                    backoff != null ? backoff : base.initialBackoff(),
                    multiplier != null ? multiplier : base.multiplier(),
                    maxBackoff != null ? maxBackoff : base.maxBackoff());
        }

        private StepTimeout timeout(Fields step) {
            Fields t = step.mapping("timeout");
            if (t == null) {
                return null;
            }
            t.allow(TIMEOUT_FIELDS);
            Duration after = t.required("after") != null ? t.duration("after") : null;
            String next = t.required("next") != null ? t.text("next", "a step id") : null;
            Boolean interrupting = t.bool("interrupting");
            if (after == null || next == null) {
                return null;
            }
            return new StepTimeout(after, next, interrupting == null || interrupting);
        }

        Step task(StepInfo info, Fields step) {
            Fields body = step.mapping("task");
            if (body == null) {
                return new TaskStep(info, Map.of());
            }
            body.allow(List.of("set"));
            Map<String, Expression> set = body.expressions("set");
            return new TaskStep(info, set != null ? set : Map.of());
        }

        Step call(StepInfo info, Fields step) {
            String operation = step.required("call") != null
                    ? step.text("call", "a connector operation such as http.post") : null;
            Map<String, Object> with = step.plainData("with");
            Map<String, Expression> output = step.expressions("output");
            return new CallStep(info, operation, with != null ? with : Map.of(), step.expression("input"),
                    output != null ? output : Map.of());
        }

        Step choice(StepInfo info, Fields step) {
            Branches b = branches(info, step, "choice", "a list of {when, next} entries and one {otherwise}",
                    CHOICE_ENTRY, SEVERAL_DEFAULTS);
            return new ChoiceStep(info, b.branches(), b.otherwise());
        }

        Step inclusive(StepInfo info, Fields step) {
            Branches b = branches(info, step, "inclusive", "a list of {when, next} entries and at most one {otherwise}",
                    INCLUSIVE_ENTRY, SEVERAL_INCLUSIVE_DEFAULTS);
            return new InclusiveStep(info, b.branches(), b.otherwise());
        }

        /** What a choice or an inclusive split lists: its {when, next} branches in order, and its otherwise. */
        private record Branches(List<ChoiceStep.Branch> branches, String otherwise) {
        }

        /** Reads the {@code {when, next}} and {@code {otherwise}} entries of a choice or an inclusive split. */
        private Branches branches(StepInfo info, Fields step, String kind, String expected, String badEntry,
                                  String severalDefaults) {
            List<ChoiceStep.Branch> branches = new ArrayList<>();
            String otherwise = null;
            int defaults = 0;
            List<Node> entries = step.list(kind, expected);
            for (int i = 0; i < entries.size(); i++) {
                String path = kind + "[" + (i + 1) + "]";
                if (!(entries.get(i) instanceof MappingNode mapping)) {
                    step.wrongType(entries.get(i), path, "a mapping");
                    continue;
                }
                Fields entry = step.nested(mapping, path);
                if (entry.has("otherwise")) {
                    entry.allow(List.of("otherwise"));
                    defaults++;
                    String target = entry.text("otherwise", "a step id");
                    if (otherwise == null) {
                        otherwise = target;
                    }
                } else if (entry.has("when")) {
                    entry.allow(List.of("when", "next"));
                    Expression when = entry.required("when") != null ? entry.expression("when") : null;
                    String next = entry.required("next") != null ? entry.text("next", "a step id") : null;
                    if (when != null && next != null) {
                        branches.add(new ChoiceStep.Branch(when, next));
                    }
                } else {
                    String has = entry.keys().isEmpty() ? "nothing"
                            : entry.keys().stream().map(k -> "'" + k + "'").collect(Collectors.joining(", "));
                    step.problem(mapping, badEntry, i + 1, info.id(), has);
                }
            }
            if (defaults > 1) {
                step.problem(step.node(), severalDefaults, info.id(), defaults);
            }
            return new Branches(branches, otherwise);
        }

        Step parallel(StepInfo info, Fields step) {
            return new ParallelStep(info, step.texts("parallel", "a list of step ids"));
        }

        Step join(StepInfo info, Fields step) {
            Fields body = step.mapping("join");
            if (body != null) {
                body.allow(List.of("first"));
                Boolean first = body.bool("first");
                return new JoinStep(info, first != null && first);
            }
            return new JoinStep(info);
        }


        Step await(StepInfo info, Fields step) {
            Fields body = step.mapping("wait");
            if (body == null) {
                return new WaitStep(info, null, null, null, null);
            }
            body.allow(List.of("message", "key", "eventKey", "into", "source"));
            return new WaitStep(info, body.text("message", "a message name"), body.expression("key"),
                    body.expression("eventKey"), body.text("into", "a variable name"), body.channels("source"));
        }

        Step timer(StepInfo info, Fields step) {
            Fields body = step.mapping("timer");
            if (body == null) {
                return new TimerStep(info, null, null);
            }
            body.allow(List.of("duration", "date"));
            return new TimerStep(info, body.duration("duration"), body.instant("date"));
        }

        Step human(StepInfo info, Fields step) {
            Fields body = step.mapping("human");
            if (body == null) {
                return new HumanTaskStep(info, null, List.of(), null);
            }
            body.allow(List.of("title", "roles", "due", "fourEyes", "assignee"));
            Boolean fourEyes = body.bool("fourEyes");
            List<String> roles = body.has("roles") ? body.texts("roles", "a list of role names") : List.of();
            return new HumanTaskStep(info, body.text("title", "a string"), roles,
                    body.duration("due"), fourEyes != null && fourEyes, body.expression("assignee"));
        }

        Step end(StepInfo info, Fields step) {
            Fields body = step.mapping("end");
            if (body == null) {
                return new EndStep(info, false);
            }
            body.allow(List.of("terminate", "error"));
            Boolean terminate = body.bool("terminate");
            String error = body.has("error") && body.required("error") != null
                    ? body.text("error", "an error code") : null;
            return new EndStep(info, terminate != null && terminate, error);
        }

        Step subprocess(StepInfo info, Fields step) {
            Fields body = step.required("subprocess") != null ? step.mapping("subprocess") : null;
            if (body == null) {
                return new SubprocessStep(info, null, List.of());
            }
            body.allow(List.of("start", "steps"));
            List<Step> steps = body.required("steps") != null ? steps(body, baseRetry) : List.of();
            String start = body.text("start", "a step id");
            if (start == null && !steps.isEmpty()) {
                start = steps.get(0).id();
            }
            return new SubprocessStep(info, start, steps);
        }

        Step process(StepInfo info, Fields step) {
            Fields body = step.required("process") != null ? step.mapping("process") : null;
            if (body == null) {
                return new CallActivityStep(info, null, null, null, null);
            }
            body.allow(List.of("definition", "version", "input", "output"));
            String definition = body.required("definition") != null ? body.text("definition", "a definition id") : null;
            return new CallActivityStep(info, definition, body.integer("version"), body.expression("input"),
                    body.has("output") ? body.expressions("output") : null);
        }

        Step race(StepInfo info, Fields step) {
            return new RaceStep(info, step.texts("race", "a list of wait and timer step ids"));
        }

        /** A scalar value of a key, without reporting anything: for naming the owner before reading it. */
        private static String peekText(MappingNode node, String key) {
            for (NodeTuple t : node.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())
                        && t.getValueNode() instanceof ScalarNode v && !isNull(v)) {
                    return v.getValue();
                }
            }
            return null;
        }
    }

    /**
     * The entries of one YAML mapping, read field by field. Every getter returns null for an absent or
     * empty field and for a value it reports as wrong, so callers fall back to defaults.
     */
    private static final class Fields {
        private final Reading reading;
        private final Node node;
        private final String element;
        private final String owner;
        private final String prefix;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        Fields(Reading reading, MappingNode node, String element, String owner, String prefix) {
            this.reading = reading;
            this.node = node;
            this.element = element;
            this.owner = owner;
            this.prefix = prefix;
            for (NodeTuple t : node.getValue()) {
                Node key = t.getKeyNode();
                if (!(key instanceof ScalarNode name) || isNull(key)) {
                    problem(key, KEY_NOT_A_NAME, subject(), describe(key));
                } else if (entries.putIfAbsent(name.getValue(), t) != null) {
                    problem(key, DUPLICATE_KEY, name.getValue(), subject());
                }
            }
        }

        Node node() {
            return node;
        }

        Set<String> keys() {
            return entries.keySet();
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        /** Reports every key not in {@code known} and forgets it, so no getter reads it. */
        void allow(List<String> known) {
            for (String key : List.copyOf(entries.keySet())) {
                if (!known.contains(key)) {
                    problem(entries.get(key).getKeyNode(), UNKNOWN_FIELD, subject(), String.join(", ", known), key);
                    entries.remove(key);
                }
            }
        }

        /** The value, or null for an absent or empty field. */
        Node value(String key) {
            NodeTuple t = entries.get(key);
            return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
        }

        /** The value; reports it as missing (or empty) when there is none. */
        Node required(String key) {
            NodeTuple t = entries.get(key);
            if (t == null) {
                problem(node, MISSING_FIELD, owner, path(key));
                return null;
            }
            Node value = value(key);
            if (value == null) {
                problem(t.getValueNode(), WRONG_TYPE, owner, path(key), "given", "empty");
            }
            return value;
        }

        String text(String key, String expected) {
            Node value = value(key);
            if (value == null) {
                return null;
            }
            if (value instanceof ScalarNode scalar) {
                return scalar.getValue();
            }
            return wrongType(value, path(key), expected);
        }

        Integer integer(String key) {
            Node value = value(key);
            if (value instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
                try {
                    return Integer.valueOf(scalar.getValue().replace("_", ""));
                } catch (NumberFormatException e) {
                    // an integer too large for int, or in a radix notation: wrong for a count
                }
            }
            return value == null ? null : wrongType(value, path(key), "an integer");
        }

        Double number(String key) {
            Node value = value(key);
            if (value instanceof ScalarNode scalar && (Tag.INT.equals(scalar.getTag()) || Tag.FLOAT.equals(scalar.getTag()))) {
                try {
                    return Double.valueOf(scalar.getValue().replace("_", ""));
                } catch (NumberFormatException e) {
                    // .inf, .nan and the like: not a usable factor
                }
            }
            return value == null ? null : wrongType(value, path(key), "a number");
        }

        Boolean bool(String key) {
            Node value = value(key);
            if (value instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
                return Set.of("true", "yes", "on").contains(scalar.getValue().toLowerCase());
            }
            return value == null ? null : wrongType(value, path(key), "true or false");
        }

        Duration duration(String key) {
            String text = text(key, "an ISO-8601 duration such as PT30S");
            if (text == null) {
                return null;
            }
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                problem(value(key), NOT_A_DURATION, owner, path(key), text);
                return null;
            }
        }

        Instant instant(String key) {
            String text = text(key, "an ISO-8601 date-time such as 2026-12-01T09:00:00Z");
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException again) {
                    problem(value(key), NOT_AN_INSTANT, owner, path(key), text);
                    return null;
                }
            }
        }

        /** A plain string in the definition's language, or {@code {language: text}}. */
        Expression expression(String key) {
            Node value = value(key);
            if (value == null) {
                return null;
            }
            if (value instanceof ScalarNode scalar) {
                return new Expression(reading.language, scalar.getValue());
            }
            if (!(value instanceof MappingNode mapping) || mapping.getValue().size() != 1) {
                String what = value instanceof MappingNode m ? "a mapping with " + m.getValue().size() + " keys" : describe(value);
                problem(value, NOT_AN_EXPRESSION, owner, path(key), what);
                return null;
            }
            NodeTuple only = mapping.getValue().get(0);
            String language = only.getKeyNode() instanceof ScalarNode k ? k.getValue() : describe(only.getKeyNode());
            if (!Expression.LANGUAGES.contains(language)) {
                problem(only.getKeyNode(), UNKNOWN_LANGUAGE_KEY, owner, path(key),
                        String.join(", ", new TreeSet<>(Expression.LANGUAGES)), language);
                return null;
            }
            if (!(only.getValueNode() instanceof ScalarNode text) || isNull(text)) {
                return wrongType(only.getValueNode(), path(key) + "." + language, "an expression text");
            }
            return new Expression(language, text.getValue());
        }

        /** A mapping of names to expressions, in source order; an empty value is reported. */
        Map<String, Expression> expressions(String key) {
            Fields map = mapping(key);
            if (map == null) {
                return null;
            }
            Map<String, Expression> out = new LinkedHashMap<>();
            for (String name : map.keys()) {
                Expression e = map.expression(name);
                if (e != null) {
                    out.put(name, e);
                } else if (map.value(name) == null) {
                    map.problem(map.entries.get(name).getValueNode(), NOT_AN_EXPRESSION, owner, map.path(name), "empty");
                }
            }
            return Collections.unmodifiableMap(out);
        }

        /** The items of a list; an absent or empty field is an empty list. */
        List<Node> list(String key, String expected) {
            Node value = value(key);
            if (value == null) {
                return List.of();
            }
            if (value instanceof SequenceNode sequence) {
                return sequence.getValue();
            }
            wrongType(value, path(key), expected);
            return List.of();
        }

        List<String> texts(String key, String expected) {
            Node value = value(key);
            if (value != null && !(value instanceof SequenceNode)) {
                wrongType(value, path(key), expected);
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (Node item : list(key, expected)) {
                if (item instanceof ScalarNode scalar && !isNull(item)) {
                    out.add(scalar.getValue());
                } else {
                    wrongType(item, path(key), expected);
                }
            }
            return List.copyOf(out);
        }

        /**
         * Channel names ({@code /events/{channel}}): one as a string, or a non-empty list of them; an absent
         * field is an empty list (any channel). Whether each is a valid name is the validator's concern.
         */
        List<String> channels(String key) {
            Node value = value(key);
            String expected = "a channel name or a non-empty list of channel names";
            if (value instanceof ScalarNode scalar) {
                return List.of(scalar.getValue());
            }
            if (value instanceof SequenceNode sequence && sequence.getValue().isEmpty()) {
                // Read as "any channel" it would silently widen what the author meant to narrow.
                problem(value, WRONG_TYPE, owner, path(key), expected, "an empty list");
                return List.of();
            }
            return value == null ? List.of() : texts(key, expected);
        }

        /** A nested mapping whose fields are named {@code key.field}; null when absent or not a mapping. */
        Fields mapping(String key) {
            Node value = value(key);
            if (value == null) {
                return null;
            }
            if (value instanceof MappingNode mapping) {
                return nested(mapping, key);
            }
            return wrongType(value, path(key), "a mapping");
        }

        Fields nested(MappingNode mapping, String key) {
            return new Fields(reading, mapping, element, owner, path(key) + ".");
        }

        /** Free-form settings: any YAML mapping, turned into maps, lists, strings, numbers and booleans. */
        Map<String, Object> plainData(String key) {
            Node value = value(key);
            if (value == null) {
                return null;
            }
            if (!(value instanceof MappingNode)) {
                return wrongType(value, path(key), "a mapping");
            }
            int before = reading.problems.size();
            if (!isTree(value, path(key), Collections.newSetFromMap(new IdentityHashMap<>()),
                    Collections.newSetFromMap(new IdentityHashMap<>())) || reading.problems.size() > before) {
                return null;
            }
            try {
                if (!(new PlainData().construct(value) instanceof Map<?, ?> data)) {
                    // the one mapping YAML turns into something else: !!set
                    problem(value, NOT_PLAIN_DATA, owner, path(key), "it is a set");
                    return null;
                }
                Map<String, Object> out = new LinkedHashMap<>();
                data.forEach((k, v) -> out.put(String.valueOf(k), v));
                return Collections.unmodifiableMap(out);
            } catch (YAMLException e) {
                String why = e instanceof MarkedYAMLException marked ? describe(marked) : e.getMessage();
                problem(value, NOT_PLAIN_DATA, owner, path(key), why);
                return null;
            }
        }

        /**
         * Whether the data below {@code node} is a tree (aliases allowed, cycles not: they cannot become
         * JSON); reports duplicate keys on the way. Each node is visited once, so aliases cannot blow up.
         */
        private boolean isTree(Node node, String path, Set<Node> onPath, Set<Node> done) {
            if (onPath.contains(node)) {
                problem(node, NOT_PLAIN_DATA, owner, path, "it refers to itself");
                return false;
            }
            if (!done.add(node)) {
                return true;
            }
            onPath.add(node);
            boolean tree = true;
            if (node instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    tree &= isTree(item, path, onPath, done);
                }
            } else if (node instanceof MappingNode mapping) {
                Set<String> seen = new LinkedHashSet<>();
                for (NodeTuple t : mapping.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && !seen.add(k.getValue())) {
                        problem(k, DUPLICATE_KEY, k.getValue(), owner + " field '" + path + "'");
                    }
                    tree &= isTree(t.getKeyNode(), path, onPath, done) && isTree(t.getValueNode(), path, onPath, done);
                }
            }
            onPath.remove(node);
            return tree;
        }

        /** Reports a value of the wrong type; returns null, typed for the caller's convenience. */
        <T> T wrongType(Node value, String path, String expected) {
            problem(value, WRONG_TYPE, owner, path, expected, describe(value));
            return null;
        }

        void problem(Node at, String template, Object... args) {
            reading.problems.add(new Problem(element, String.format(template, args), at == null ? 0 : line(at)));
        }

        String path(String key) {
            return prefix + key;
        }

        /** Who the fields belong to in messages: {@code step 'x'}, or {@code step 'x' field 'timeout'} when nested. */
        private String subject() {
            return prefix.isEmpty() ? owner : owner + " field '" + prefix.substring(0, prefix.length() - 1) + "'";
        }
    }

    /**
     * SnakeYAML's safe construction of standard YAML types only (maps, lists, strings, numbers,
     * booleans), reused so that free-form settings read exactly as YAML defines them.
     */
    private static final class PlainData extends SafeConstructor {
        PlainData() {
            super(loaderOptions());
            // JSON has no date type: a timestamp stays the text it was written as.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).distinct().toList();
    }
}
