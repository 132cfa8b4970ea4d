package dev.baton.model.parser;

import static dev.baton.model.parser.Fields.concat;
import static dev.baton.model.parser.YamlNodes.isNull;
import static dev.baton.model.parser.YamlNodes.line;
import static dev.baton.model.validation.ValidationMessages.CHOICE_ENTRY;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_ENTRY;
import static dev.baton.model.validation.ValidationMessages.SEVERAL_DEFAULTS;
import static dev.baton.model.validation.ValidationMessages.SEVERAL_INCLUSIVE_DEFAULTS;
import static dev.baton.model.validation.ValidationMessages.STEP_WITHOUT_KIND;
import static dev.baton.model.validation.ValidationMessages.STEP_WITH_SEVERAL_KINDS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.WaitStep;

/**
 * Reads steps: the fields every step has ({@code id}, {@code next}, {@code retry}, {@code timeout},
 * boundaries, {@code multi}), and each kind's own through the {@link #KINDS} table. One reader per parse.
 */
final class StepReader {

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
        Step read(StepReader reader, StepInfo info, Fields step);
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
        kinds.put("task", new Kind(concat(WORK_FIELDS, CATCH_FIELDS), StepReader::task));
        kinds.put("call", new Kind(concat(concat(WORK_FIELDS, CALL_FIELDS), CATCH_FIELDS), StepReader::call));
        kinds.put("choice", new Kind(List.of("id", "name"), StepReader::choice));
        kinds.put("parallel", new Kind(List.of("id", "name"), StepReader::parallel));
        kinds.put("join", new Kind(List.of("id", "name", "next"), StepReader::join));
        kinds.put("wait", new Kind(WORK_FIELDS, StepReader::await));
        kinds.put("timer", new Kind(WORK_FIELDS, StepReader::timer));
        kinds.put("human", new Kind(WORK_FIELDS, StepReader::human));
        kinds.put("end", new Kind(List.of("id", "name"), StepReader::end));
        kinds.put("subprocess", new Kind(SUBPROCESS_FIELDS, StepReader::subprocess));
        kinds.put("race", new Kind(List.of("id", "name"), StepReader::race));
        kinds.put("process", new Kind(concat(WORK_FIELDS, CATCH_FIELDS), StepReader::process));
        kinds.put("inclusive", new Kind(List.of("id", "name"), StepReader::inclusive));
        for (String host : MESSAGE_HOSTS) {
            Kind kind = kinds.get(host);
            kinds.put(host, new Kind(concat(kind.fields(), MESSAGES_FIELDS), kind.reader()));
        }
        KINDS = Collections.unmodifiableMap(kinds);
    }

    /** Every field some step may have: what a step whose kind is unclear is held against. */
    private static final List<String> STEP_FIELDS = concat(concat(concat(WORK_FIELDS, CALL_FIELDS), CATCH_FIELDS),
            List.copyOf(KINDS.keySet()));

    private final ParseRun run;

    /** The retry policy steps inherit: the definition's, which sub-processes pass on to their steps. */
    private RetryPolicy baseRetry = RetryPolicy.DEFAULT;

    StepReader(ParseRun run) {
        this.run = run;
    }

    /**
     * The {@code steps} list of {@code def}, the definition or a sub-process, in order; their retry
     * fields default from {@code baseRetry}.
     */
    List<Step> steps(Fields def, RetryPolicy baseRetry) {
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
        Fields step = new Fields(run, node, element, element, "");
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
        StepInfo info = new StepInfo(id, name != null ? name : id, step.text("next", "a step id"),
                run.retry(step, baseRetry), timeout(step), concurrency != null ? concurrency : 0, line, catches(step));
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
