package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.BLANK_ERROR_CODE;
import static dev.baton.model.validation.ValidationMessages.PROCESS_VERSION_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.PROCESS_WITHOUT_DEFINITION;
import static dev.baton.model.validation.ValidationMessages.SOURCE_NOT_A_CHANNEL;
import static dev.baton.model.validation.ValidationMessages.BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.CATCH_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.CATCH_NOT_ALLOWED;
import static dev.baton.model.validation.ValidationMessages.BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_DEFAULT;
import static dev.baton.model.validation.ValidationMessages.CRON_FIELDS;
import static dev.baton.model.validation.ValidationMessages.TIMER_EVERY_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_KIND;
import static dev.baton.model.validation.ValidationMessages.TIMER_TIMES_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.CROSSES_SUBPROCESS;
import static dev.baton.model.validation.ValidationMessages.CYCLE_WITHOUT_WAIT;
import static dev.baton.model.validation.ValidationMessages.DUPLICATE_STEP_ID;
import static dev.baton.model.validation.ValidationMessages.END_TERMINATES_AND_THROWS;
import static dev.baton.model.validation.ValidationMessages.EVENT_WITHOUT_TYPE;
import static dev.baton.model.validation.ValidationMessages.HUMAN_TASK_WITHOUT_ROLES;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.INVALID_EXPRESSION;
import static dev.baton.model.validation.ValidationMessages.INVALID_ID;
import static dev.baton.model.validation.ValidationMessages.MISSING_ID;
import static dev.baton.model.validation.ValidationMessages.MULTI_RESERVED_NAME;
import static dev.baton.model.validation.ValidationMessages.MULTI_VARIABLE_NAME;
import static dev.baton.model.validation.ValidationMessages.NEGATIVE_CONCURRENCY;
import static dev.baton.model.validation.ValidationMessages.NO_START;
import static dev.baton.model.validation.ValidationMessages.NO_STEPS;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_BLANK;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_MALFORMED;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_BOUNDARY;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_KIND;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_MULTI;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_SHARED;
import static dev.baton.model.validation.ValidationMessages.RACE_TOO_FEW;
import static dev.baton.model.validation.ValidationMessages.RETRY_ATTEMPTS;
import static dev.baton.model.validation.ValidationMessages.RETRY_BACKOFF;
import static dev.baton.model.validation.ValidationMessages.RETRY_MULTIPLIER;
import static dev.baton.model.validation.ValidationMessages.SLA_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.START_INSIDE_SUBPROCESS;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_START;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_WITHOUT_START;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_WITHOUT_STEPS;
import static dev.baton.model.validation.ValidationMessages.TIMEOUT_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITHOUT_TIME;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITH_BOTH_TIMES;
import static dev.baton.model.validation.ValidationMessages.TOO_FEW_BRANCHES;
import static dev.baton.model.validation.ValidationMessages.TOO_LONG;
import static dev.baton.model.validation.ValidationMessages.TOO_MANY_STEPS;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_OPERATION;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_START;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_TARGET;
import static dev.baton.model.validation.ValidationMessages.UNREACHABLE;
import static dev.baton.model.validation.ValidationMessages.WAIT_WITHOUT_MESSAGE;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_NOT_ALLOWED;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_WITHOUT_MESSAGE;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.Trigger;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.Engine;

/**
 * Checks a definition before it is deployed and reports every problem at once, as values: nothing
 * is thrown and checking never stops at the first problem. Each {@link Problem} names its element
 * ({@code definition}, {@code step 'approve'}, {@code step 3} for a step without id, {@code trigger 2})
 * and carries the step's source line when known; its message is one of {@link ValidationMessages}.
 *
 * <p>The graph rules follow the engine's routing: a step leads to its {@code next} (work steps and
 * joins), a choice to its branches and default, a parallel step to its branches, a race to its
 * alternatives, a sub-process to its start, and any step to its timeout's escalation step and its
 * catches' steps. Steps inside a sub-process are checked with every other step (ids are unique across
 * the definition), and lead only to steps of the same sub-process. Stateless and thread-safe; the
 * ports are asked from memory only.
 */
public final class DefinitionValidator {

    /** Ids name queues ({@code baton.<id>.<step>}), so no dots and no leading punctuation. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** A variable a multi-instance step names: one that every expression language reads as a plain name. */
    public static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A personal field: variable names joined by dots, {@code customer.email}; see {@code ProcessDefinition#personal}. */
    public static final Pattern PERSONAL_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /**
     * A channel, the {@code {channel}} of {@code /events/{channel}} (and of the credential
     * {@code integration:<channel>}) that a wait or message boundary may name in {@code source}.
     */
    public static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /**
     * The most steps a definition may have unless configured otherwise. Checking, compiling and drawing
     * a definition all walk its steps; a bound keeps a deployment's cost (and a caller's) in proportion.
     */
    public static final int DEFAULT_MAX_STEPS = 1_000;

    private final ConnectorCatalog catalog;
    private final ExpressionChecker checker;
    private final int maxSteps;

    public DefinitionValidator(ConnectorCatalog catalog, ExpressionChecker checker) {
        this(catalog, checker, DEFAULT_MAX_STEPS);
    }

    /** @param maxSteps the most steps a definition may have, those inside sub-processes included */
    public DefinitionValidator(ConnectorCatalog catalog, ExpressionChecker checker, int maxSteps) {
        this.catalog = catalog;
        this.checker = checker;
        this.maxSteps = maxSteps;
    }

    /**
     * @return every problem of the definition, definition-wide ones first, then triggers, then steps; empty
     *         when valid. A definition with more steps than allowed has that one problem and is not checked
     *         further.
     */
    public List<Problem> validate(ProcessDefinition def) {
        int steps = def.allSteps().size();
        if (steps > maxSteps) {
            return List.of(new Problem("definition", String.format(TOO_MANY_STEPS, maxSteps, steps), 0));
        }
        return new Check(def).run();
    }

    /** The steps a step can lead to, in a stable order, nulls left out. */
    static List<String> successors(Step step) {
        List<String> out = new ArrayList<>(2);
        if (step instanceof ChoiceStep choice) {
            for (ChoiceStep.Branch b : choice.branches()) {
                out.add(b.next());
            }
            out.add(choice.otherwise());
        } else if (step instanceof ParallelStep parallel) {
            out.addAll(parallel.branches());
        } else if (step instanceof InclusiveStep inclusive) {
            out.addAll(forkBranches(inclusive));
        } else if (step instanceof RaceStep race) {
            out.addAll(race.alternatives());
        } else if (!(step instanceof EndStep)) {
            out.add(step.next());
        }
        if (step instanceof SubprocessStep sub) {
            out.add(sub.start());
        }
        StepTimeout timeout = step.info().timeout();
        if (timeout != null) {
            out.add(timeout.next());
        }
        for (ErrorCatch c : step.info().catches()) {
            out.add(c.next());
        }
        for (MessageCatch m : step.info().messages()) {
            out.add(m.next());
        }
        out.removeIf(s -> s == null);
        return out;
    }

    /** The first steps of a fork's branches: a parallel step's, an inclusive split's (its default included); else null. */
    private static List<String> forkBranches(Step step) {
        if (step instanceof ParallelStep parallel) {
            return parallel.branches();
        }
        if (step instanceof InclusiveStep inclusive) {
            List<String> out = new ArrayList<>();
            for (ChoiceStep.Branch b : inclusive.branches()) {
                out.add(b.next());
            }
            out.add(inclusive.otherwise());
            out.removeIf(Objects::isNull);
            return out;
        }
        return null;
    }

    /** Whether a step waits for something outside the instance; a sub-process when a step inside does. */
    private static boolean waits(Step step) {
        if (step instanceof SubprocessStep sub) {
            return sub.steps().stream().anyMatch(DefinitionValidator::waits);
        }
        return step.isWaiting();
    }

    /** One validation run: the definition, its steps by id and the problems found so far. */
    private final class Check {
        private final ProcessDefinition def;
        private final List<Step> steps;
        private final Map<String, Step> byId;
        private final Map<String, Integer> sourceIndex = new HashMap<>();
        /** The sub-process each step id is directly inside; absent for top-level steps. */
        private final Map<String, String> enclosing = new HashMap<>();
        private final List<Problem> problems = new ArrayList<>();

        Check(ProcessDefinition def) {
            this.def = def;
            this.steps = def.allSteps();
            recordEnclosing(def.steps(), null);
            Map<String, Step> ids = new LinkedHashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s.id() != null && ids.putIfAbsent(s.id(), s) == null) {
                    sourceIndex.put(s.id(), i);
                }
            }
            this.byId = ids;
        }

        private void recordEnclosing(List<Step> level, String owner) {
            for (Step s : level) {
                if (s.id() != null && owner != null) {
                    enclosing.putIfAbsent(s.id(), owner);
                }
                if (s instanceof SubprocessStep sub) {
                    recordEnclosing(sub.steps(), sub.id());
                }
            }
        }

        /** {@code sub-process 'fix'} or {@code the top level}, for messages. */
        private String where(String stepId) {
            String owner = enclosing.get(stepId);
            return owner == null ? "the top level" : "sub-process '" + owner + "'";
        }

        List<Problem> run() {
            checkDefinition();
            for (int i = 0; i < def.triggers().size(); i++) {
                checkTrigger(def.triggers().get(i), i + 1);
            }
            for (int i = 0; i < steps.size(); i++) {
                checkStep(steps.get(i), i + 1);
            }
            checkDuplicateIds();
            checkTargets();
            checkReachability();
            checkForks();
            checkRaces();
            checkCycles();
            return List.copyOf(problems);
        }

        private void checkDefinition() {
            if (def.id() == null) {
                report("definition", 0, MISSING_ID, "the definition");
            } else if (def.id().length() > TextLimits.ID) {
                report("definition", 0, TOO_LONG, "the definition's id", TextLimits.ID, def.id().length());
            } else if (!ID.matcher(def.id()).matches()) {
                report("definition", 0, INVALID_ID, "definition", def.id());
            }
            checkLength(def.name(), TextLimits.NAME, "the definition's name", "definition", 0);
            checkLength(def.owner(), TextLimits.NAME, "the definition's owner", "definition", 0);
            if (def.sla() != null && (def.sla().isNegative() || def.sla().isZero())) {
                report("definition", 0, SLA_NOT_POSITIVE, def.sla());
            }
            if (def.expressionLanguage() != null && !Expression.LANGUAGES.contains(def.expressionLanguage())) {
                report("definition", 0, UNKNOWN_LANGUAGE, "the definition", knownLanguages(), def.expressionLanguage());
            }
            checkRetry(def.defaultRetry(), "definition", "the definition", 0);
            checkPersonal();
            if (def.steps().isEmpty()) {
                report("definition", 0, NO_STEPS);
            } else if (def.start() == null) {
                report("definition", 0, NO_START);
            } else if (!byId.containsKey(def.start())) {
                report("definition", 0, UNKNOWN_START, def.start());
            } else if (enclosing.containsKey(def.start())) {
                report("definition", 0, START_INSIDE_SUBPROCESS, def.start(), enclosing.get(def.start()));
            }
        }

        /** Each personal path well-formed and listed once; problems name the entry, {@code personal[2]}. */
        private void checkPersonal() {
            Map<String, Integer> seen = new HashMap<>();
            List<String> paths = def.personal();
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                String element = "personal[" + (i + 1) + "]";
                if (path == null || path.isBlank()) {
                    report(element, 0, PERSONAL_PATH_BLANK, i + 1);
                } else if (!PERSONAL_PATH.matcher(path).matches()) {
                    report(element, 0, PERSONAL_PATH_MALFORMED, i + 1, path);
                } else if (seen.merge(path, 1, Integer::sum) == 2) {
                    report(element, 0, PERSONAL_PATH_DUPLICATE, path, paths.stream().filter(path::equals).count());
                }
            }
        }

        private void checkTrigger(Trigger trigger, int number) {
            String element = "trigger " + number;
            if (trigger instanceof EventTrigger event) {
                if (event.type() == null || event.type().isBlank()) {
                    report(element, 0, EVENT_WITHOUT_TYPE, number);
                }
                checkExpression(event.when(), "'when'", element, 0);
                checkExpression(event.businessKey(), "'businessKey'", element, 0);
                checkExpression(event.variables(), "'variables'", element, 0);
            } else if (trigger instanceof CronTrigger cron) {
                int fields = cron.cron() == null || cron.cron().isBlank() ? 0 : cron.cron().trim().split("\\s+").length;
                if (fields != 6 && fields != 7) {
                    report(element, 0, CRON_FIELDS, number, fields);
                }
            } else if (trigger instanceof TimerTrigger timer) {
                if ((timer.at() == null) == (timer.every() == null)) {
                    report(element, 0, TIMER_KIND, number);
                }
                if (timer.every() != null && timer.every().toMillis() < 1) {
                    report(element, 0, TIMER_EVERY_NOT_POSITIVE, number, timer.every());
                }
                if (timer.times() != null && timer.times() < 1) {
                    report(element, 0, TIMER_TIMES_NOT_POSITIVE, number, timer.times());
                }
            }
        }

        private void checkStep(Step step, int number) {
            String element = element(step, number);
            int line = step.info().line();
            if (step.id() == null) {
                report(element, line, MISSING_ID, element);
            } else if (step.id().length() > TextLimits.ID) {
                report("step " + number, line, TOO_LONG, "the id of step " + number, TextLimits.ID, step.id().length());
            } else if (!ID.matcher(step.id()).matches()) {
                report(element, line, INVALID_ID, "step", step.id());
            }
            checkRetry(step.info().retry(), element, element, line);
            StepTimeout timeout = step.info().timeout();
            if (timeout != null && (timeout.after() == null || timeout.after().isNegative() || timeout.after().isZero())) {
                report(element, line, TIMEOUT_NOT_POSITIVE, step.id(), timeout.after());
            }
            if (step.info().concurrency() < 0) {
                report(element, line, NEGATIVE_CONCURRENCY, step.id(), step.info().concurrency());
            }
            checkCatches(step, element, line);
            checkMessages(step, element, line);
            checkKind(step, element, line);
            checkMulti(step, element, line);
        }

        /** A multi-instance step: its expressions compile, and the variables it names are names. */
        private void checkMulti(Step step, String element, int line) {
            MultiInstance multi = step.info().multi();
            if (multi == null) {
                return;
            }
            checkExpression(multi.collection(), "'multi.over'", element, line);
            checkExpression(multi.result(), "'multi.result'", element, line);
            checkExpression(multi.completion(), "'multi.until'", element, line);
            if (multi.element() == null || !VARIABLE.matcher(multi.element()).matches()) {
                report(element, line, MULTI_VARIABLE_NAME, "multi.as", step.id(), multi.element());
            } else if (Engine.LOOP_VARIABLES.contains(multi.element())) {
                report(element, line, MULTI_RESERVED_NAME, step.id(), multi.element());
            }
            if (multi.collect() != null && !VARIABLE.matcher(multi.collect()).matches()) {
                report(element, line, MULTI_VARIABLE_NAME, "multi.collect", step.id(), multi.collect());
            }
        }

        private void checkCatches(Step step, String element, int line) {
            List<ErrorCatch> catches = step.info().catches();
            if (catches.isEmpty()) {
                return;
            }
            if (!(step instanceof CallStep || step instanceof TaskStep || step instanceof SubprocessStep
                    || step instanceof CallActivityStep)) {
                report(element, line, CATCH_NOT_ALLOWED, step.id(), step.kind());
            }
            Map<String, Integer> times = new LinkedHashMap<>();
            for (int i = 0; i < catches.size(); i++) {
                String error = catches.get(i).error();
                if (error != null && error.isBlank()) {
                    report(element, line, BLANK_ERROR_CODE, step.id(), "catch[" + (i + 1) + "].error");
                }
                checkLength(error, TextLimits.ERROR_CODE, "the error of catch[" + (i + 1) + "] of step '" + step.id()
                        + "'", element, line);
                times.merge(error == null ? "every error" : "error '" + error + "'", 1, Integer::sum);
            }
            times.forEach((what, n) -> {
                if (n > 1) {
                    report(element, line, CATCH_DUPLICATE, step.id(), what, n);
                }
            });
        }

        /** Message boundaries: on steps a token sits at, each naming a message once, their keys compiling. */
        private void checkMessages(Step step, String element, int line) {
            List<MessageCatch> messages = step.info().messages();
            if (messages.isEmpty()) {
                return;
            }
            if (!step.isWork() || step instanceof TimerStep) {
                report(element, line, MESSAGE_BOUNDARY_NOT_ALLOWED, step.id(), step.kind());
            }
            Map<String, Integer> times = new LinkedHashMap<>();
            if (step instanceof WaitStep wait && wait.message() != null) {
                times.put(wait.message(), 1);
            }
            for (int i = 0; i < messages.size(); i++) {
                MessageCatch m = messages.get(i);
                if (m.message() == null || m.message().isBlank()) {
                    report(element, line, MESSAGE_BOUNDARY_WITHOUT_MESSAGE, i + 1, step.id());
                } else if (m.message().length() > TextLimits.MESSAGE) {
                    report(element, line, TOO_LONG, "the message of messages[" + (i + 1) + "] of step '" + step.id()
                            + "'", TextLimits.MESSAGE, m.message().length());
                } else {
                    times.merge(m.message(), 1, Integer::sum);
                }
                checkExpression(m.key(), "'messages[" + (i + 1) + "].key'", element, line);
                checkChannels(m.sources(), "messages[" + (i + 1) + "].source", step, element, line);
            }
            times.forEach((message, n) -> {
                if (n > 1) {
                    report(element, line, MESSAGE_BOUNDARY_DUPLICATE, step.id(), message, n);
                }
            });
        }

        private void checkChannels(List<String> sources, String field, Step step, String element, int line) {
            for (String source : sources) {
                if (source == null || !CHANNEL.matcher(source).matches()) {
                    report(element, line, SOURCE_NOT_A_CHANNEL, step.id(), field, source);
                }
            }
        }

        private void checkKind(Step step, String element, int line) {
            if (step instanceof CallStep call) {
                if (!catalog.has(call.operation())) {
                    String known = new TreeSet<>(catalog.operations()).stream().collect(Collectors.joining(", "));
                    report(element, line, UNKNOWN_OPERATION, call.operation(), step.id(), known.isEmpty() ? "none" : known);
                }
                checkExpression(call.input(), "'input'", element, line);
                checkExpressions(call.output(), "output.", element, line);
            } else if (step instanceof TaskStep task) {
                checkExpressions(task.set(), "set.", element, line);
            } else if (step instanceof ChoiceStep choice) {
                if (choice.branches().isEmpty()) {
                    report(element, line, CHOICE_WITHOUT_CONDITION, step.id());
                }
                if (choice.otherwise() == null) {
                    report(element, line, CHOICE_WITHOUT_DEFAULT, step.id());
                }
                for (int i = 0; i < choice.branches().size(); i++) {
                    checkExpression(choice.branches().get(i).when(), "'choice[" + (i + 1) + "].when'", element, line);
                }
            } else if (step instanceof InclusiveStep inclusive) {
                if (inclusive.branches().isEmpty()) {
                    report(element, line, INCLUSIVE_WITHOUT_CONDITION, step.id());
                }
                for (int i = 0; i < inclusive.branches().size(); i++) {
                    checkExpression(inclusive.branches().get(i).when(), "'inclusive[" + (i + 1) + "].when'", element,
                            line);
                }
            } else if (step instanceof ParallelStep parallel) {
                if (parallel.branches().size() < 2) {
                    report(element, line, TOO_FEW_BRANCHES, step.id(), parallel.branches().size());
                }
            } else if (step instanceof HumanTaskStep human) {
                if ((human.candidateRoles() == null || human.candidateRoles().isEmpty()) && human.assignee() == null) {
                    report(element, line, HUMAN_TASK_WITHOUT_ROLES, step.id());
                }
                checkLength(human.title() != null ? human.title() : human.name(), TextLimits.TITLE,
                        "the title of human task '" + step.id() + "'", element, line);
                if (human.candidateRoles() != null) {
                    checkLength(String.join(",", human.candidateRoles()), TextLimits.CANDIDATE_ROLES,
                            "the candidate roles of human task '" + step.id() + "', joined by commas,", element, line);
                }
                checkExpression(human.assignee(), "'human.assignee'", element, line);
            } else if (step instanceof CallActivityStep process) {
                if (process.definition() == null || process.definition().isBlank()) {
                    report(element, line, PROCESS_WITHOUT_DEFINITION, step.id());
                }
                checkLength(process.definition(), TextLimits.ID, "the definition step '" + step.id() + "' calls",
                        element, line);
                if (process.version() != null && process.version() < 1) {
                    report(element, line, PROCESS_VERSION_NOT_POSITIVE, step.id(), process.version());
                }
                checkExpression(process.input(), "'process.input'", element, line);
                if (process.output() != null) {
                    checkExpressions(process.output(), "process.output.", element, line);
                }
            } else if (step instanceof TimerStep timer) {
                if (timer.duration() == null && timer.date() == null) {
                    report(element, line, TIMER_WITHOUT_TIME, step.id());
                } else if (timer.duration() != null && timer.date() != null) {
                    report(element, line, TIMER_WITH_BOTH_TIMES, step.id());
                } else if (timer.duration() != null && (timer.duration().isNegative() || timer.duration().isZero())) {
                    report(element, line, TIMER_NOT_POSITIVE, step.id(), timer.duration());
                }
            } else if (step instanceof WaitStep wait) {
                if (wait.message() == null || wait.message().isBlank()) {
                    report(element, line, WAIT_WITHOUT_MESSAGE, step.id());
                }
                checkLength(wait.message(), TextLimits.MESSAGE, "the message of wait step '" + step.id() + "'", element,
                        line);
                checkExpression(wait.key(), "'wait.key'", element, line);
                checkExpression(wait.eventKey(), "'wait.eventKey'", element, line);
                checkChannels(wait.sources(), "wait.source", step, element, line);
            } else if (step instanceof EndStep end) {
                if (end.terminate() && end.error() != null) {
                    report(element, line, END_TERMINATES_AND_THROWS, step.id());
                }
                if (end.error() != null && end.error().isBlank()) {
                    report(element, line, BLANK_ERROR_CODE, step.id(), "end.error");
                }
                checkLength(end.error(), TextLimits.ERROR_CODE, "the error of end step '" + step.id() + "'", element,
                        line);
            } else if (step instanceof SubprocessStep sub) {
                if (sub.steps().isEmpty()) {
                    report(element, line, SUBPROCESS_WITHOUT_STEPS, step.id());
                } else if (sub.start() == null) {
                    report(element, line, SUBPROCESS_WITHOUT_START, step.id());
                } else if (step.id() != null && !step.id().equals(enclosing.get(sub.start()))) {
                    report(element, line, SUBPROCESS_START, step.id(), sub.start());
                }
            } else if (step instanceof RaceStep race) {
                if (race.alternatives().size() < 2) {
                    report(element, line, RACE_TOO_FEW, step.id(), race.alternatives().size());
                }
                for (String id : new LinkedHashSet<>(race.alternatives())) {
                    Step alternative = byId.get(id);
                    if (alternative == null) {
                        continue; // reported as an unknown target
                    }
                    if (!(alternative instanceof WaitStep || alternative instanceof TimerStep)) {
                        report(element, line, RACE_ALTERNATIVE_KIND, id, step.id(), alternative.kind());
                    }
                    if (alternative.info().timeout() != null) {
                        report(element, line, RACE_ALTERNATIVE_BOUNDARY, id, step.id(), "a timeout");
                    }
                    if (!alternative.info().catches().isEmpty()) {
                        report(element, line, RACE_ALTERNATIVE_BOUNDARY, id, step.id(), "a catch");
                    }
                    if (!alternative.info().messages().isEmpty()) {
                        report(element, line, RACE_ALTERNATIVE_BOUNDARY, id, step.id(), "a message boundary");
                    }
                    if (alternative.info().multi() != null) {
                        report(element, line, RACE_ALTERNATIVE_MULTI, id, step.id());
                    }
                }
            }
        }

        private void checkLength(String text, int max, String what, String element, int line) {
            if (text != null && text.length() > max) {
                report(element, line, TOO_LONG, what, max, text.length());
            }
        }

        private void checkRetry(RetryPolicy retry, String element, String owner, int line) {
            if (retry == null) {
                return;
            }
            if (retry.maxAttempts() < 1) {
                report(element, line, RETRY_ATTEMPTS, owner, retry.maxAttempts());
            }
            if (retry.multiplier() < 1) {
                report(element, line, RETRY_MULTIPLIER, owner, retry.multiplier());
            }
            checkBackoff(retry.initialBackoff(), "backoff", element, owner, line);
            checkBackoff(retry.maxBackoff(), "maxBackoff", element, owner, line);
        }

        private void checkBackoff(Duration backoff, String field, String element, String owner, int line) {
            if (backoff == null || backoff.isNegative()) {
                report(element, line, RETRY_BACKOFF, field, owner, backoff);
            }
        }

        private void checkExpressions(Map<String, Expression> expressions, String prefix, String element, int line) {
            if (expressions == null) {
                return;
            }
            for (Map.Entry<String, Expression> e : expressions.entrySet()) {
                checkExpression(e.getValue(), "'" + prefix + e.getKey() + "'", element, line);
            }
        }

        private void checkExpression(Expression expression, String field, String element, int line) {
            if (expression == null) {
                return;
            }
            if (!Expression.LANGUAGES.contains(expression.language())) {
                // An unknown default language is reported once, on the definition, not on every expression.
                if (!expression.language().equals(def.expressionLanguage())) {
                    report(element, line, UNKNOWN_LANGUAGE, "the " + field + " expression of " + element,
                            knownLanguages(), expression.language());
                }
                return;
            }
            String reason = checker.check(expression);
            if (reason != null) {
                report(element, line, INVALID_EXPRESSION, field, element, reason);
            }
        }

        private void checkDuplicateIds() {
            Map<String, List<Step>> byIdAll = new LinkedHashMap<>();
            for (Step s : steps) {
                if (s.id() != null) {
                    byIdAll.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
                }
            }
            for (Map.Entry<String, List<Step>> e : byIdAll.entrySet()) {
                List<Step> same = e.getValue();
                if (same.size() > 1) {
                    // The first one is the step the others are mistaken for: point at the second.
                    report("step '" + e.getKey() + "'", same.get(1).info().line(), DUPLICATE_STEP_ID, e.getKey(), same.size());
                }
            }
        }

        private void checkTargets() {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                // A sub-process's start is checked as its own field; its other targets lead beside it.
                Set<String> targets = new LinkedHashSet<>(step instanceof SubprocessStep sub
                        ? successorsOutside(sub) : successors(step));
                for (String target : targets) {
                    if (!byId.containsKey(target)) {
                        report(element(step, i + 1), step.info().line(), UNKNOWN_TARGET, step.id(), target);
                    } else if (step.id() != null
                            && !Objects.equals(enclosing.get(step.id()), enclosing.get(target))) {
                        report(element(step, i + 1), step.info().line(), CROSSES_SUBPROCESS, step.id(),
                                where(step.id()), target, where(target));
                    }
                }
            }
        }

        /** A sub-process's targets but its start: next, escalation and catches, all beside it. */
        private List<String> successorsOutside(SubprocessStep sub) {
            List<String> out = new ArrayList<>(successors(sub));
            out.remove(sub.start());
            return out;
        }

        /**
         * Each alternative of a race is reached through it alone (BPMN: the targets of an event-based
         * gateway have no other incoming flow), so a race's tokens are exactly its alternatives.
         */
        private void checkRaces() {
            Map<String, List<String>> referrers = new LinkedHashMap<>();
            for (Step step : byId.values()) {
                for (String target : new LinkedHashSet<>(successors(step))) {
                    referrers.computeIfAbsent(target, k -> new ArrayList<>()).add(step.id());
                }
            }
            for (Step step : byId.values()) {
                if (!(step instanceof RaceStep race)) {
                    continue;
                }
                for (String id : new LinkedHashSet<>(race.alternatives())) {
                    if (!byId.containsKey(id)) {
                        continue;
                    }
                    List<String> others = new ArrayList<>();
                    if (id.equals(def.start())) {
                        others.add("the definition's start");
                    }
                    for (String from : referrers.getOrDefault(id, List.of())) {
                        if (!from.equals(race.id())) {
                            others.add("step '" + from + "'");
                        }
                    }
                    if (!others.isEmpty()) {
                        report(element(step, 0), step.info().line(), RACE_ALTERNATIVE_SHARED, id, race.id(),
                                String.join(", ", others));
                    }
                }
            }
        }

        private void checkReachability() {
            if (def.start() == null || !byId.containsKey(def.start())) {
                return; // already reported; every step would look unreachable
            }
            Set<String> reached = new HashSet<>();
            Deque<String> queue = new ArrayDeque<>();
            reached.add(def.start());
            queue.add(def.start());
            while (!queue.isEmpty()) {
                for (String next : successors(byId.get(queue.poll()))) {
                    if (byId.containsKey(next) && reached.add(next)) {
                        queue.add(next);
                    }
                }
            }
            for (Step step : byId.values()) {
                if (!reached.contains(step.id())) {
                    report(element(step, 0), step.info().line(), UNREACHABLE, step.id());
                }
            }
        }

        private void checkForks() {
            for (Step step : byId.values()) {
                List<String> forkBranches = forkBranches(step);
                if (forkBranches == null) {
                    continue;
                }
                boolean inclusive = step instanceof InclusiveStep;
                Map<String, List<String>> branchesByJoin = new LinkedHashMap<>();
                for (String branch : new LinkedHashSet<>(forkBranches)) {
                    if (branch == null || !byId.containsKey(branch)) {
                        continue; // reported as an unknown target
                    }
                    BranchEnds ends = walkBranch(branch);
                    if (ends.withoutJoin) {
                        report(element(step, 0), step.info().line(),
                                inclusive ? INCLUSIVE_BRANCH_WITHOUT_JOIN : BRANCH_WITHOUT_JOIN, step.id(), branch);
                    }
                    for (String join : ends.joins) {
                        branchesByJoin.computeIfAbsent(join, k -> new ArrayList<>()).add(branch);
                    }
                }
                if (branchesByJoin.size() > 1) {
                    String reached = branchesByJoin.entrySet().stream()
                            .map(e -> "'" + e.getKey() + "' (from " + quoted(e.getValue()) + ")")
                            .collect(Collectors.joining(", "));
                    report(element(step, 0), step.info().line(),
                            inclusive ? INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS : BRANCHES_REACH_DIFFERENT_JOINS,
                            step.id(), reached);
                }
            }
        }

        /**
         * Follows every path of one branch, counting nested forks, until it reaches a join at depth 0 or
         * ends. A path ending deeper is the nested fork's own problem, reported when that fork is checked.
         */
        private BranchEnds walkBranch(String branch) {
            BranchEnds ends = new BranchEnds();
            // Forks inside loops could nest forever; deeper than the number of steps cannot be meaningful.
            int maxDepth = byId.size();
            Set<Position> seen = new HashSet<>();
            Deque<Position> todo = new ArrayDeque<>();
            todo.push(new Position(branch, 0));
            while (!todo.isEmpty()) {
                Position at = todo.pop();
                Step step = byId.get(at.step());
                if (step == null || at.depth() > maxDepth || !seen.add(at)) {
                    continue;
                }
                int depth = at.depth();
                if (step instanceof JoinStep join) {
                    if (depth == 0) {
                        ends.joins.add(join.id());
                    } else {
                        follow(join.next(), depth - 1, todo, ends);
                    }
                } else if (step instanceof ParallelStep nested) {
                    for (String b : nested.branches()) {
                        if (b != null) {
                            todo.push(new Position(b, depth + 1));
                        }
                    }
                } else if (step instanceof InclusiveStep nested) {
                    for (String b : forkBranches(nested)) {
                        todo.push(new Position(b, depth + 1));
                    }
                } else if (step instanceof ChoiceStep || step instanceof RaceStep) {
                    for (String alternative : successors(step)) {
                        todo.push(new Position(alternative, depth));
                    }
                } else if (step instanceof EndStep end) {
                    // A terminating end finishes its scope on purpose, and a thrown error cancels the scope
                    // that catches it: nobody waits at the join.
                    if (!end.terminate() && end.error() == null && depth == 0) {
                        ends.withoutJoin = true;
                    }
                } else {
                    follow(step.next(), depth, todo, ends);
                    StepTimeout timeout = step.info().timeout();
                    // A non-interrupting escalation runs detached and is never joined, so only the
                    // interrupting one continues this branch; so does an error path, which interrupts.
                    if (timeout != null && timeout.interrupting() && timeout.next() != null) {
                        todo.push(new Position(timeout.next(), depth));
                    }
                    for (ErrorCatch c : step.info().catches()) {
                        if (c.next() != null) {
                            todo.push(new Position(c.next(), depth));
                        }
                    }
                    // Like deadlines: an interrupting message boundary continues the branch, the others detach.
                    for (MessageCatch m : step.info().messages()) {
                        if (m.interrupting() && m.next() != null) {
                            todo.push(new Position(m.next(), depth));
                        }
                    }
                }
            }
            return ends;
        }

        private void follow(String next, int depth, Deque<Position> todo, BranchEnds ends) {
            if (next != null) {
                todo.push(new Position(next, depth));
            } else if (depth == 0) {
                ends.withoutJoin = true;
            }
        }

        private void checkCycles() {
            for (List<String> component : new Components().strong()) {
                String first = component.stream().min((a, b) -> sourceIndex.get(a) - sourceIndex.get(b)).orElseThrow();
                boolean loops = component.size() > 1 || successors(byId.get(first)).contains(first);
                if (loops && component.stream().noneMatch(id -> waits(byId.get(id)))) {
                    Step step = byId.get(first);
                    report(element(step, 0), step.info().line(), CYCLE_WITHOUT_WAIT, cycleThrough(first, Set.copyOf(component)));
                }
            }
        }

        /** The shortest cycle from {@code first} back to it inside its component, as {@code a → b → a}. */
        private String cycleThrough(String first, Set<String> component) {
            Map<String, String> cameFrom = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>();
            queue.add(first);
            String last = null;
            while (!queue.isEmpty() && last == null) {
                String at = queue.poll();
                for (String next : successors(byId.get(at))) {
                    if (next.equals(first)) {
                        last = at;
                        break;
                    }
                    if (component.contains(next) && !next.equals(first) && !cameFrom.containsKey(next)) {
                        cameFrom.put(next, at);
                        queue.add(next);
                    }
                }
            }
            List<String> path = new ArrayList<>();
            for (String at = last; at != null && !at.equals(first); at = cameFrom.get(at)) {
                path.add(0, at);
            }
            path.add(0, first);
            path.add(first);
            return String.join(" → ", path);
        }

        private void report(String element, int line, String template, Object... args) {
            problems.add(new Problem(element, String.format(template, args), line));
        }

        /** Tarjan's strongly connected components over the existing steps, in source order. */
        private final class Components {
            private final Map<String, Integer> index = new HashMap<>();
            private final Map<String, Integer> low = new HashMap<>();
            private final Deque<String> stack = new ArrayDeque<>();
            private final Set<String> onStack = new HashSet<>();
            private final List<List<String>> found = new ArrayList<>();

            List<List<String>> strong() {
                for (String id : byId.keySet()) {
                    if (!index.containsKey(id)) {
                        visit(id);
                    }
                }
                found.sort((a, b) -> minIndex(a) - minIndex(b));
                return found;
            }

            /**
             * Tarjan's algorithm with an explicit stack of frames (a step and how many of its successors
             * are done), so that a chain of many thousand steps cannot overflow the thread's stack.
             */
            private void visit(String root) {
                Deque<Frame> frames = new ArrayDeque<>();
                frames.push(enter(root));
                while (!frames.isEmpty()) {
                    Frame frame = frames.peek();
                    if (frame.next < frame.successors.size()) {
                        String next = frame.successors.get(frame.next++);
                        if (!byId.containsKey(next)) {
                            continue;
                        }
                        if (!index.containsKey(next)) {
                            frames.push(enter(next));
                        } else if (onStack.contains(next)) {
                            low.put(frame.id, Math.min(low.get(frame.id), index.get(next)));
                        }
                        continue;
                    }
                    frames.pop();
                    String id = frame.id;
                    if (!frames.isEmpty()) {
                        String parent = frames.peek().id;
                        low.put(parent, Math.min(low.get(parent), low.get(id)));
                    }
                    if (low.get(id).equals(index.get(id))) {
                        List<String> component = new ArrayList<>();
                        String member;
                        do {
                            member = stack.pop();
                            onStack.remove(member);
                            component.add(member);
                        } while (!member.equals(id));
                        found.add(component);
                    }
                }
            }

            private Frame enter(String id) {
                index.put(id, index.size());
                low.put(id, index.get(id));
                stack.push(id);
                onStack.add(id);
                return new Frame(id, successors(byId.get(id)));
            }

            private int minIndex(List<String> component) {
                return component.stream().mapToInt(sourceIndex::get).min().orElse(0);
            }
        }
    }

    private static String element(Step step, int number) {
        return step.id() != null ? "step '" + step.id() + "'" : "step " + number;
    }

    private static String knownLanguages() {
        return String.join(", ", new TreeSet<>(Expression.LANGUAGES));
    }

    private static String quoted(List<String> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
    }

    private record Position(String step, int depth) {
    }

    /** A step Tarjan's walk is in, and how many of its successors it has followed. */
    private static final class Frame {
        private final String id;
        private final List<String> successors;
        private int next;

        private Frame(String id, List<String> successors) {
            this.id = id;
            this.successors = successors;
        }
    }

    /** Where the paths of one branch end: the joins they reach at depth 0, and whether one ends before any. */
    private static final class BranchEnds {
        private final Set<String> joins = new LinkedHashSet<>();
        private boolean withoutJoin;
    }
}
