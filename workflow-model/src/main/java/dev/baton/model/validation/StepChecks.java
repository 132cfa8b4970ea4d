package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.BLANK_ERROR_CODE;
import static dev.baton.model.validation.ValidationMessages.CATCH_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.CATCH_NOT_ALLOWED;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_DEFAULT;
import static dev.baton.model.validation.ValidationMessages.END_TERMINATES_AND_THROWS;
import static dev.baton.model.validation.ValidationMessages.HUMAN_TASK_WITHOUT_ROLES;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.INVALID_ID;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_NOT_ALLOWED;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_WITHOUT_MESSAGE;
import static dev.baton.model.validation.ValidationMessages.MISSING_ID;
import static dev.baton.model.validation.ValidationMessages.MULTI_RESERVED_NAME;
import static dev.baton.model.validation.ValidationMessages.MULTI_VARIABLE_NAME;
import static dev.baton.model.validation.ValidationMessages.NEGATIVE_CONCURRENCY;
import static dev.baton.model.validation.ValidationMessages.PROCESS_VERSION_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.PROCESS_WITHOUT_DEFINITION;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_BOUNDARY;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_KIND;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_MULTI;
import static dev.baton.model.validation.ValidationMessages.RACE_TOO_FEW;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_START;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_WITHOUT_START;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_WITHOUT_STEPS;
import static dev.baton.model.validation.ValidationMessages.TIMEOUT_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITHOUT_TIME;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITH_BOTH_TIMES;
import static dev.baton.model.validation.ValidationMessages.TOO_FEW_BRANCHES;
import static dev.baton.model.validation.ValidationMessages.TOO_LONG;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_OPERATION;
import static dev.baton.model.validation.ValidationMessages.WAIT_WITHOUT_MESSAGE;
import static dev.baton.model.validation.ValidationRun.element;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.Engine;

/**
 * The checks of one step at a time: its id, retry, timeout and concurrency, its error and message
 * boundaries, what its kind requires (an operation the catalog knows, a choice's default, a human task's
 * roles, ...) and its multi-instance settings. How steps lead to each other is {@link GraphChecks}' concern.
 */
final class StepChecks {

    private final ValidationRun run;
    private final FieldChecks fields;
    private final ConnectorCatalog catalog;

    StepChecks(ValidationRun run, FieldChecks fields, ConnectorCatalog catalog) {
        this.run = run;
        this.fields = fields;
        this.catalog = catalog;
    }

    /** Every step, those inside sub-processes included, in source order. */
    void check() {
        List<Step> steps = run.steps();
        for (int i = 0; i < steps.size(); i++) {
            checkStep(steps.get(i), i + 1);
        }
    }

    private void checkStep(Step step, int number) {
        String element = element(step, number);
        int line = step.info().line();
        if (step.id() == null) {
            run.report(element, line, MISSING_ID, element);
        } else if (step.id().length() > TextLimits.ID) {
            run.report("step " + number, line, TOO_LONG, "the id of step " + number, TextLimits.ID, step.id().length());
        } else if (!DefinitionValidator.ID.matcher(step.id()).matches()) {
            run.report(element, line, INVALID_ID, "step", step.id());
        }
        fields.checkRetry(step.info().retry(), element, element, line);
        StepTimeout timeout = step.info().timeout();
        if (timeout != null && (timeout.after() == null || timeout.after().isNegative() || timeout.after().isZero())) {
            run.report(element, line, TIMEOUT_NOT_POSITIVE, step.id(), timeout.after());
        }
        if (step.info().concurrency() < 0) {
            run.report(element, line, NEGATIVE_CONCURRENCY, step.id(), step.info().concurrency());
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
        fields.checkExpression(multi.collection(), "'multi.over'", element, line);
        fields.checkExpression(multi.result(), "'multi.result'", element, line);
        fields.checkExpression(multi.completion(), "'multi.until'", element, line);
        if (multi.element() == null || !DefinitionValidator.VARIABLE.matcher(multi.element()).matches()) {
            run.report(element, line, MULTI_VARIABLE_NAME, "multi.as", step.id(), multi.element());
        } else if (Engine.LOOP_VARIABLES.contains(multi.element())) {
            run.report(element, line, MULTI_RESERVED_NAME, step.id(), multi.element());
        }
        if (multi.collect() != null && !DefinitionValidator.VARIABLE.matcher(multi.collect()).matches()) {
            run.report(element, line, MULTI_VARIABLE_NAME, "multi.collect", step.id(), multi.collect());
        }
    }

    private void checkCatches(Step step, String element, int line) {
        List<ErrorCatch> catches = step.info().catches();
        if (catches.isEmpty()) {
            return;
        }
        if (!(step instanceof CallStep || step instanceof TaskStep || step instanceof SubprocessStep
                || step instanceof CallActivityStep)) {
            run.report(element, line, CATCH_NOT_ALLOWED, step.id(), step.kind());
        }
        Map<String, Integer> times = new LinkedHashMap<>();
        for (int i = 0; i < catches.size(); i++) {
            String error = catches.get(i).error();
            if (error != null && error.isBlank()) {
                run.report(element, line, BLANK_ERROR_CODE, step.id(), "catch[" + (i + 1) + "].error");
            }
            fields.checkLength(error, TextLimits.ERROR_CODE, "the error of catch[" + (i + 1) + "] of step '" + step.id()
                    + "'", element, line);
            times.merge(error == null ? "every error" : "error '" + error + "'", 1, Integer::sum);
        }
        times.forEach((what, n) -> {
            if (n > 1) {
                run.report(element, line, CATCH_DUPLICATE, step.id(), what, n);
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
            run.report(element, line, MESSAGE_BOUNDARY_NOT_ALLOWED, step.id(), step.kind());
        }
        Map<String, Integer> times = new LinkedHashMap<>();
        if (step instanceof WaitStep wait && wait.message() != null) {
            times.put(wait.message(), 1);
        }
        for (int i = 0; i < messages.size(); i++) {
            MessageCatch m = messages.get(i);
            if (m.message() == null || m.message().isBlank()) {
                run.report(element, line, MESSAGE_BOUNDARY_WITHOUT_MESSAGE, i + 1, step.id());
            } else if (m.message().length() > TextLimits.MESSAGE) {
                run.report(element, line, TOO_LONG, "the message of messages[" + (i + 1) + "] of step '" + step.id()
                        + "'", TextLimits.MESSAGE, m.message().length());
            } else {
                times.merge(m.message(), 1, Integer::sum);
            }
            fields.checkExpression(m.key(), "'messages[" + (i + 1) + "].key'", element, line);
            fields.checkChannels(m.sources(), "messages[" + (i + 1) + "].source", step, element, line);
        }
        times.forEach((message, n) -> {
            if (n > 1) {
                run.report(element, line, MESSAGE_BOUNDARY_DUPLICATE, step.id(), message, n);
            }
        });
    }

    private void checkKind(Step step, String element, int line) {
        if (step instanceof CallStep call) {
            if (!catalog.has(call.operation())) {
                String known = new TreeSet<>(catalog.operations()).stream().collect(Collectors.joining(", "));
                run.report(element, line, UNKNOWN_OPERATION, call.operation(), step.id(),
                        known.isEmpty() ? "none" : known);
            }
            fields.checkExpression(call.input(), "'input'", element, line);
            fields.checkExpressions(call.output(), "output.", element, line);
        } else if (step instanceof TaskStep task) {
            fields.checkExpressions(task.set(), "set.", element, line);
        } else if (step instanceof ChoiceStep choice) {
            if (choice.branches().isEmpty()) {
                run.report(element, line, CHOICE_WITHOUT_CONDITION, step.id());
            }
            if (choice.otherwise() == null) {
                run.report(element, line, CHOICE_WITHOUT_DEFAULT, step.id());
            }
            for (int i = 0; i < choice.branches().size(); i++) {
                fields.checkExpression(choice.branches().get(i).when(), "'choice[" + (i + 1) + "].when'", element,
                        line);
            }
        } else if (step instanceof InclusiveStep inclusive) {
            if (inclusive.branches().isEmpty()) {
                run.report(element, line, INCLUSIVE_WITHOUT_CONDITION, step.id());
            }
            for (int i = 0; i < inclusive.branches().size(); i++) {
                fields.checkExpression(inclusive.branches().get(i).when(), "'inclusive[" + (i + 1) + "].when'", element,
                        line);
            }
        } else if (step instanceof ParallelStep parallel) {
            if (parallel.branches().size() < 2) {
                run.report(element, line, TOO_FEW_BRANCHES, step.id(), parallel.branches().size());
            }
        } else if (step instanceof HumanTaskStep human) {
            if ((human.candidateRoles() == null || human.candidateRoles().isEmpty()) && human.assignee() == null) {
                run.report(element, line, HUMAN_TASK_WITHOUT_ROLES, step.id());
            }
            fields.checkLength(human.title() != null ? human.title() : human.name(), TextLimits.TITLE,
                    "the title of human task '" + step.id() + "'", element, line);
            if (human.candidateRoles() != null) {
                fields.checkLength(String.join(",", human.candidateRoles()), TextLimits.CANDIDATE_ROLES,
                        "the candidate roles of human task '" + step.id() + "', joined by commas,", element, line);
            }
            fields.checkExpression(human.assignee(), "'human.assignee'", element, line);
        } else if (step instanceof CallActivityStep process) {
            if (process.definition() == null || process.definition().isBlank()) {
                run.report(element, line, PROCESS_WITHOUT_DEFINITION, step.id());
            }
            fields.checkLength(process.definition(), TextLimits.ID, "the definition step '" + step.id() + "' calls",
                    element, line);
            if (process.version() != null && process.version() < 1) {
                run.report(element, line, PROCESS_VERSION_NOT_POSITIVE, step.id(), process.version());
            }
            fields.checkExpression(process.input(), "'process.input'", element, line);
            if (process.output() != null) {
                fields.checkExpressions(process.output(), "process.output.", element, line);
            }
        } else if (step instanceof TimerStep timer) {
            if (timer.duration() == null && timer.date() == null) {
                run.report(element, line, TIMER_WITHOUT_TIME, step.id());
            } else if (timer.duration() != null && timer.date() != null) {
                run.report(element, line, TIMER_WITH_BOTH_TIMES, step.id());
            } else if (timer.duration() != null && (timer.duration().isNegative() || timer.duration().isZero())) {
                run.report(element, line, TIMER_NOT_POSITIVE, step.id(), timer.duration());
            }
        } else if (step instanceof WaitStep wait) {
            if (wait.message() == null || wait.message().isBlank()) {
                run.report(element, line, WAIT_WITHOUT_MESSAGE, step.id());
            }
            fields.checkLength(wait.message(), TextLimits.MESSAGE, "the message of wait step '" + step.id() + "'",
                    element, line);
            fields.checkExpression(wait.key(), "'wait.key'", element, line);
            fields.checkExpression(wait.eventKey(), "'wait.eventKey'", element, line);
            fields.checkChannels(wait.sources(), "wait.source", step, element, line);
        } else if (step instanceof EndStep end) {
            if (end.terminate() && end.error() != null) {
                run.report(element, line, END_TERMINATES_AND_THROWS, step.id());
            }
            if (end.error() != null && end.error().isBlank()) {
                run.report(element, line, BLANK_ERROR_CODE, step.id(), "end.error");
            }
            fields.checkLength(end.error(), TextLimits.ERROR_CODE, "the error of end step '" + step.id() + "'", element,
                    line);
        } else if (step instanceof SubprocessStep sub) {
            if (sub.steps().isEmpty()) {
                run.report(element, line, SUBPROCESS_WITHOUT_STEPS, step.id());
            } else if (sub.start() == null) {
                run.report(element, line, SUBPROCESS_WITHOUT_START, step.id());
            } else if (step.id() != null && !step.id().equals(run.enclosing(sub.start()))) {
                run.report(element, line, SUBPROCESS_START, step.id(), sub.start());
            }
        } else if (step instanceof RaceStep race) {
            if (race.alternatives().size() < 2) {
                run.report(element, line, RACE_TOO_FEW, step.id(), race.alternatives().size());
            }
            for (String id : new LinkedHashSet<>(race.alternatives())) {
                Step alternative = run.step(id);
                if (alternative == null) {
                    continue; // reported as an unknown target
                }
                if (!(alternative instanceof WaitStep || alternative instanceof TimerStep)) {
                    run.report(element, line, RACE_ALTERNATIVE_KIND, id, step.id(), alternative.kind());
                }
                if (alternative.info().timeout() != null) {
                    run.report(element, line, RACE_ALTERNATIVE_BOUNDARY, id, step.id(), "a timeout");
                }
                if (!alternative.info().catches().isEmpty()) {
                    run.report(element, line, RACE_ALTERNATIVE_BOUNDARY, id, step.id(), "a catch");
                }
                if (!alternative.info().messages().isEmpty()) {
                    run.report(element, line, RACE_ALTERNATIVE_BOUNDARY, id, step.id(), "a message boundary");
                }
                if (alternative.info().multi() != null) {
                    run.report(element, line, RACE_ALTERNATIVE_MULTI, id, step.id());
                }
            }
        }
    }}
