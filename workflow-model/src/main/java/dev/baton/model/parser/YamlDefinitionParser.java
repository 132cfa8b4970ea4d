package dev.baton.model.parser;

import static dev.baton.model.parser.YamlNodes.describe;
import static dev.baton.model.parser.YamlNodes.line;
import static dev.baton.model.validation.ValidationMessages.MALFORMED_YAML;
import static dev.baton.model.validation.ValidationMessages.NOT_A_MAPPING;
import static dev.baton.model.validation.ValidationMessages.TOO_LARGE;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import dev.baton.model.definition.ProcessDefinition;
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
 *
 * <p>Package-private readers do the reading, one concern each: {@link ParseRun} the top level,
 * {@link TriggerReader} the triggers, {@link StepReader} the steps (one reader method per kind) and
 * {@link Fields} the typed values of one mapping, expressions and free-form data included.
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
        ParseRun run = new ParseRun();
        ProcessDefinition definition = run.definition(mapping);
        List<Problem> problems = new ArrayList<>(run.problems());
        problems.sort(Comparator.comparingInt(Problem::line));
        return new ParseResult(definition, problems);
    }

    static LoaderOptions loaderOptions() {
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
}
