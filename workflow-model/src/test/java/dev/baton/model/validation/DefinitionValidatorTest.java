package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.SOURCE_NOT_A_CHANNEL;
import static dev.baton.model.validation.ValidationMessages.BLANK_ERROR_CODE;
import static dev.baton.model.validation.ValidationMessages.BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.CATCH_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.CATCH_NOT_ALLOWED;
import static dev.baton.model.validation.ValidationMessages.BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.CHOICE_WITHOUT_DEFAULT;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_WITHOUT_CONDITION;
import static dev.baton.model.validation.ValidationMessages.CRON_FIELDS;
import static dev.baton.model.validation.ValidationMessages.TIMER_EVERY_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_KIND;
import static dev.baton.model.validation.ValidationMessages.TIMER_TIMES_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.CROSSES_SUBPROCESS;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_NOT_ALLOWED;
import static dev.baton.model.validation.ValidationMessages.MESSAGE_BOUNDARY_WITHOUT_MESSAGE;
import static dev.baton.model.validation.ValidationMessages.CYCLE_WITHOUT_WAIT;
import static dev.baton.model.validation.ValidationMessages.DUPLICATE_STEP_ID;
import static dev.baton.model.validation.ValidationMessages.END_TERMINATES_AND_THROWS;
import static dev.baton.model.validation.ValidationMessages.EVENT_WITHOUT_TYPE;
import static dev.baton.model.validation.ValidationMessages.HUMAN_TASK_WITHOUT_ROLES;
import static dev.baton.model.validation.ValidationMessages.INVALID_EXPRESSION;
import static dev.baton.model.validation.ValidationMessages.INVALID_ID;
import static dev.baton.model.validation.ValidationMessages.MISSING_ID;
import static dev.baton.model.validation.ValidationMessages.MULTI_RESERVED_NAME;
import static dev.baton.model.validation.ValidationMessages.MULTI_VARIABLE_NAME;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_MULTI;
import static dev.baton.model.validation.ValidationMessages.NEGATIVE_CONCURRENCY;
import static dev.baton.model.validation.ValidationMessages.NO_START;
import static dev.baton.model.validation.ValidationMessages.NO_STEPS;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_BLANK;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_MALFORMED;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_BOUNDARY;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_KIND;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_SHARED;
import static dev.baton.model.validation.ValidationMessages.RACE_TOO_FEW;
import static dev.baton.model.validation.ValidationMessages.RETRY_ATTEMPTS;
import static dev.baton.model.validation.ValidationMessages.RETRY_BACKOFF;
import static dev.baton.model.validation.ValidationMessages.RETRY_MULTIPLIER;
import static dev.baton.model.validation.ValidationMessages.SLA_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.START_INSIDE_SUBPROCESS;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_START;
import static dev.baton.model.validation.ValidationMessages.SUBPROCESS_WITHOUT_STEPS;
import static dev.baton.model.validation.ValidationMessages.TIMEOUT_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITHOUT_TIME;
import static dev.baton.model.validation.ValidationMessages.TIMER_WITH_BOTH_TIMES;
import static dev.baton.model.validation.ValidationMessages.TOO_FEW_BRANCHES;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_OPERATION;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_START;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_TARGET;
import static dev.baton.model.validation.ValidationMessages.UNREACHABLE;
import static dev.baton.model.validation.ValidationMessages.WAIT_WITHOUT_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

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

class DefinitionValidatorTest {

    private static final ConnectorCatalog CATALOG = ConnectorCatalog.of(Set.of("sap.readOrder", "http.post", "http.get"));
    private static final String KNOWN_OPERATIONS = "http.get, http.post, sap.readOrder";
    private static final String KNOWN_LANGUAGES = "jsonata, jsonpath, simple";
    /** Stands in for a compiler: rejects any expression containing "??". */
    private static final ExpressionChecker CHECKER = e -> e.text().contains("??") ? "unexpected token '??'" : null;

    private final DefinitionValidator validator = new DefinitionValidator(CATALOG, CHECKER);

    /** Steps are numbered as if each took one source line, in the order a test builds them. */
    private int nextLine = 1;

    @Test
    void shouldAcceptAValidDefinitionWithEveryStepKind() {
        // given
        ProcessDefinition def = new ProcessDefinition("order-approval", 0, "Order approval", "sales-ops",
                Duration.ofHours(4), Expression.JSONATA, "read", RetryPolicy.DEFAULT,
                List.of(new EventTrigger("sap.SalesOrder.Created.v1", "sap", expr("data.amount > 0"), null, null),
                        new CronTrigger("0 0/5 * * * ?")),
                List.of(
                        call("read", "sap.readOrder", "decide"),
                        choice("decide", "split", when("order.amount > 1000", "approve")),
                        human("approve", "split"),
                        parallel("split", "a", "b"),
                        task("a", "merge"),
                        waitFor("b", "payment.received", "merge"),
                        join("merge", "pause"),
                        timer("pause", "check"),
                        choice("check", "pause", when("order.paid", "done")),
                        end("done")));

        // when
        List<Problem> problems = validator.validate(def);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportDuplicateStepIds() {
        // given
        ProcessDefinition def = process(task("a", "b"), task("b", null), task("b", null));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'b'", String.format(DUPLICATE_STEP_ID, "b", 2), 3));
    }

    @Test
    void shouldReportANextThatLeadsNowhere() {
        // given
        ProcessDefinition def = process(task("a", "nowhere"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'a'", String.format(UNKNOWN_TARGET, "a", "nowhere"), 1));
    }

    @Test
    void shouldReportAChoiceBranchThatLeadsNowhere() {
        // given
        ProcessDefinition def = process(choice("decide", "done", when("x > 1", "ghost")), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'decide'", String.format(UNKNOWN_TARGET, "decide", "ghost"), 1));
    }

    @Test
    void shouldReportADefaultBranchThatLeadsNowhere() {
        // given
        ProcessDefinition def = process(choice("decide", "ghost", when("x > 1", "done")), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'decide'", String.format(UNKNOWN_TARGET, "decide", "ghost"), 1));
    }

    @Test
    void shouldReportAParallelBranchThatLeadsNowhere() {
        // given
        ProcessDefinition def = process(parallel("split", "a", "ghost"), task("a", "merge"), join("merge", null));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'split'", String.format(UNKNOWN_TARGET, "split", "ghost"), 1));
    }

    @Test
    void shouldReportATimeoutThatLeadsNowhere() {
        // given
        ProcessDefinition def = process(withTimeout(task("a", "done"), Duration.ofSeconds(30), "ghost", true), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'a'", String.format(UNKNOWN_TARGET, "a", "ghost"), 1));
    }

    @Test
    void shouldReportAStartThatDoesNotExist() {
        // given
        ProcessDefinition def = startingAt("ghost", process(task("a", null)));

        // then
        assertThat(validator.validate(def)).containsExactly(new Problem("definition", String.format(UNKNOWN_START, "ghost"), 0));
    }

    @Test
    void shouldReportADefinitionWithoutStart() {
        // given
        ProcessDefinition def = startingAt(null, process(task("a", null)));

        // then
        assertThat(validator.validate(def)).containsExactly(new Problem("definition", NO_START, 0));
    }

    @Test
    void shouldReportUnreachableSteps() {
        // given
        ProcessDefinition def = process(task("a", "done"), end("done"), task("orphan", "done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'orphan'", String.format(UNREACHABLE, "orphan"), 3));
    }

    @Test
    void shouldReachStepsThroughTimeouts() {
        // given
        ProcessDefinition def = process(withTimeout(task("a", "done"), Duration.ofSeconds(30), "escalate", false),
                task("escalate", null), end("done"));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportABranchThatEndsWithoutJoin() {
        // given
        ProcessDefinition def = process(parallel("split", "a", "b"), task("a", "merge"), task("b", null),
                join("merge", null));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'split'", String.format(BRANCH_WITHOUT_JOIN, "split", "b"), 1));
    }

    @Test
    void shouldFollowEveryAlternativeOfAChoiceInsideABranch() {
        // given: b's default leads to an end instead of the join
        ProcessDefinition def = process(parallel("split", "a", "b"), task("a", "merge"),
                choice("b", "done", when("x > 1", "merge")), join("merge", "done"), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'split'", String.format(BRANCH_WITHOUT_JOIN, "split", "b"), 1));
    }

    @Test
    void shouldLetANestedJoinCloseANestedFork() {
        // given
        ProcessDefinition def = process(parallel("outer", "a", "inner"), task("a", "outerJoin"),
                parallel("inner", "c", "d"), task("c", "innerJoin"), task("d", "innerJoin"),
                join("innerJoin", "outerJoin"), join("outerJoin", "done"), end("done"));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportAnOuterBranchThatStopsAtTheNestedJoin() {
        // given: the nested join leads nowhere, so branch 'inner' never reaches the outer join
        ProcessDefinition def = process(parallel("outer", "a", "inner"), task("a", "outerJoin"),
                parallel("inner", "c", "d"), task("c", "innerJoin"), task("d", "innerJoin"),
                join("innerJoin", null), join("outerJoin", "done"), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'outer'", String.format(BRANCH_WITHOUT_JOIN, "outer", "inner"), 1));
    }

    @Test
    void shouldLetABranchEndTheWholeInstanceOnPurpose() {
        // given
        ProcessDefinition def = process(parallel("split", "a", "b"), task("a", "merge"),
                choice("b", "abort", when("x > 1", "merge")), join("merge", null), terminate("abort"));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportBranchesThatReachDifferentJoins() {
        // given
        ProcessDefinition def = process(parallel("split", "a", "b"), task("a", "j1"), task("b", "j2"),
                join("j1", "done"), join("j2", "done"), end("done"));

        // then
        assertThat(validator.validate(def)).containsExactly(new Problem("step 'split'",
                String.format(BRANCHES_REACH_DIFFERENT_JOINS, "split", "'j1' (from 'a'), 'j2' (from 'b')"), 1));
    }

    @Test
    void shouldAcceptInclusiveSplitsNestedInForksAndDiscriminatorJoins() {
        // given: an inclusive split inside a parallel branch, closed by its own join; a discriminator after both
        ProcessDefinition def = process(parallel("outer", "a", "notify"), task("a", "first"),
                inclusive("notify", "log", when("email", "send-email"), when("sms", "send-sms")),
                task("send-email", "merge"), task("send-sms", "merge"), task("log", "merge"),
                join("merge", "first"), new JoinStep(info("first", "done"), true), end("done"));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportAnInclusiveBranchThatEndsWithoutJoinAndABadCondition() {
        // given: the default path ends before the join
        ProcessDefinition def = process(inclusive("notify", "log", when("email ?? sms", "send-email")),
                task("send-email", "merge"), task("log", null), join("merge", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'notify'", String.format(INVALID_EXPRESSION, "'inclusive[1].when'", "step 'notify'",
                        "unexpected token '??'"), 1),
                new Problem("step 'notify'", String.format(INCLUSIVE_BRANCH_WITHOUT_JOIN, "notify", "log"), 1));
    }

    @Test
    void shouldReportAnInclusiveSplitWithoutConditionOrWhoseBranchesReachDifferentJoins() {
        // given
        ProcessDefinition onlyDefault = process(inclusive("notify", "log"), task("log", "merge"), join("merge", null));
        nextLine = 1;
        ProcessDefinition twoJoins = process(inclusive("notify", null, when("email", "a"), when("sms", "b")),
                task("a", "j1"), task("b", "j2"), join("j1", "done"), join("j2", "done"), end("done"));

        // then
        assertThat(validator.validate(onlyDefault)).containsExactly(
                new Problem("step 'notify'", String.format(INCLUSIVE_WITHOUT_CONDITION, "notify"), 1));
        assertThat(validator.validate(twoJoins)).containsExactly(new Problem("step 'notify'",
                String.format(INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS, "notify", "'j1' (from 'a'), 'j2' (from 'b')"), 1));
    }

    @Test
    void shouldReportAChoiceWithoutDefault() {
        // given
        ProcessDefinition def = process(choice("decide", null, when("x > 1", "done")), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'decide'", String.format(CHOICE_WITHOUT_DEFAULT, "decide"), 1));
    }

    @Test
    void shouldReportAChoiceWithoutCondition() {
        // given
        ProcessDefinition def = process(choice("decide", "done"), end("done"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'decide'", String.format(CHOICE_WITHOUT_CONDITION, "decide"), 1));
    }

    @Test
    void shouldReportAnUnknownConnectorOperationWithTheKnownOnes() {
        // given
        ProcessDefinition def = process(call("read", "sap.readOrdr", null));

        // then
        assertThat(validator.validate(def)).containsExactly(new Problem("step 'read'",
                String.format(UNKNOWN_OPERATION, "sap.readOrdr", "read", KNOWN_OPERATIONS), 1));
    }

    @Test
    void shouldReportACycleWithoutWait() {
        // given
        ProcessDefinition def = process(task("a", "b"), task("b", "a"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'a'", String.format(CYCLE_WITHOUT_WAIT, "a → b → a"), 1));
    }

    @Test
    void shouldReportAStepThatLeadsToItself() {
        // given
        ProcessDefinition def = process(task("again", "again"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'again'", String.format(CYCLE_WITHOUT_WAIT, "again → again"), 1));
    }

    @Test
    void shouldStartACycleAtItsStepThatComesFirstInTheSource() {
        // given: the loop is entered at 'b' but 'd' is written first
        ProcessDefinition def = process(task("start", "b"), task("d", "b"), task("c", "d"), choice("b", "c", when("x", "end")),
                end("end"));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'd'", String.format(CYCLE_WITHOUT_WAIT, "d → b → c → d"), 2));
    }

    @Test
    void shouldAcceptACycleThatWaits() {
        // given
        ProcessDefinition def = process(call("poll", "http.get", "check"),
                choice("check", "pause", when("done", "end")), timer("pause", "poll"), end("end"));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportInvalidAndMissingIds() {
        // given
        ProcessDefinition def = new ProcessDefinition("order.approval", 0, "x", null, null, Expression.JSONATA, "read.order",
                null, List.of(), List.of(task("read.order", null), task(null, null)));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("definition", String.format(INVALID_ID, "definition", "order.approval"), 0),
                new Problem("step 'read.order'", String.format(INVALID_ID, "step", "read.order"), 1),
                new Problem("step 2", String.format(MISSING_ID, "step 2"), 2));
    }

    @Test
    void shouldReportADefinitionWithoutId() {
        // given
        ProcessDefinition def = new ProcessDefinition(null, 0, null, null, null, Expression.JSONATA, "a",
                null, List.of(), List.of(task("a", null)));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("definition", String.format(MISSING_ID, "the definition"), 0));
    }

    @Test
    void shouldReportUnknownExpressionLanguagesOnce() {
        // given: plain expressions in the unknown default language are not reported one by one
        ProcessDefinition def = new ProcessDefinition("p", 0, "p", null, null, "groovy", "read", null, List.of(),
                List.of(new CallStep(info("read", null), "http.get", Map.of(), new Expression("groovy", "x"),
                        Map.of("y", new Expression("xpath", "/y")))));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("definition", String.format(UNKNOWN_LANGUAGE, "the definition", KNOWN_LANGUAGES, "groovy"), 0),
                new Problem("step 'read'", String.format(UNKNOWN_LANGUAGE, "the 'output.y' expression of step 'read'",
                        KNOWN_LANGUAGES, "xpath"), 1));
    }

    @Test
    void shouldReportExpressionsTheirLanguageRejects() {
        // given
        ProcessDefinition def = process(new EventTrigger("order.created", null, expr("data ??"), null, null),
                choice("decide", "done", when("amount ??", "done")), end("done"));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("trigger 1", String.format(INVALID_EXPRESSION, "'when'", "trigger 1", "unexpected token '??'"), 0),
                new Problem("step 'decide'", String.format(INVALID_EXPRESSION, "'choice[1].when'", "step 'decide'",
                        "unexpected token '??'"), 1));
    }

    @Test
    void shouldReportAHumanTaskWithoutRoles() {
        // given
        ProcessDefinition def = process(new HumanTaskStep(info("approve", null), "Approve", List.of(), null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'approve'", String.format(HUMAN_TASK_WITHOUT_ROLES, "approve"), 1));
    }

    @Test
    void shouldReportTimersWithNeitherOrBothTimesOrANonPositiveDuration() {
        // given
        ProcessDefinition def = process(new TimerStep(info("neither", "both"), null, null),
                new TimerStep(info("both", "zero"), Duration.ofMinutes(5), Instant.parse("2026-12-01T09:00:00Z")),
                new TimerStep(info("zero", null), Duration.ZERO, null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'neither'", String.format(TIMER_WITHOUT_TIME, "neither"), 1),
                new Problem("step 'both'", String.format(TIMER_WITH_BOTH_TIMES, "both"), 2),
                new Problem("step 'zero'", String.format(TIMER_NOT_POSITIVE, "zero", Duration.ZERO), 3));
    }

    @Test
    void shouldReportAWaitWithoutMessage() {
        // given
        ProcessDefinition def = process(waitFor("pay", null, null));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'pay'", String.format(WAIT_WITHOUT_MESSAGE, "pay"), 1));
    }

    @Test
    void shouldReportUnusableRetryPolicies() {
        // given
        RetryPolicy noAttempts = new RetryPolicy(0, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
        RetryPolicy shrinking = new RetryPolicy(3, Duration.ofSeconds(-1), 0.5, Duration.ofMinutes(1));
        ProcessDefinition def = new ProcessDefinition("p", 0, "p", null, null, Expression.JSONATA, "a", shrinking,
                List.of(), List.of(new TaskStep(new StepInfo("a", "a", null, noAttempts, null, 0, 7), Map.of())));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("definition", String.format(RETRY_MULTIPLIER, "the definition", 0.5), 0),
                new Problem("definition", String.format(RETRY_BACKOFF, "backoff", "the definition", Duration.ofSeconds(-1)), 0),
                new Problem("step 'a'", String.format(RETRY_ATTEMPTS, "step 'a'", 0), 7));
    }

    @Test
    void shouldReportATimeoutThatIsNotPositive() {
        // given
        ProcessDefinition def = process(withTimeout(task("a", null), Duration.ZERO, "b", false), task("b", null));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'a'", String.format(TIMEOUT_NOT_POSITIVE, "a", Duration.ZERO), 1));
    }

    @Test
    void shouldReportNegativeConcurrency() {
        // given
        ProcessDefinition def = process(new TaskStep(new StepInfo("a", "a", null, null, null, -1, 1), Map.of()));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'a'", String.format(NEGATIVE_CONCURRENCY, "a", -1), 1));
    }

    @Test
    void shouldReportAParallelStepWithFewerThanTwoBranches() {
        // given
        ProcessDefinition def = process(parallel("split", "a"), task("a", "merge"), join("merge", null));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("step 'split'", String.format(TOO_FEW_BRANCHES, "split", 1), 1));
    }

    @Test
    void shouldReportTriggersWithoutTypeOrWithABadCron() {
        // given
        ProcessDefinition def = process(List.of(new EventTrigger(null, "sap", null, null, null),
                new CronTrigger("0 */5 * * *")), task("a", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("trigger 1", String.format(EVENT_WITHOUT_TYPE, 1), 0),
                new Problem("trigger 2", String.format(CRON_FIELDS, 2, 5), 0));
    }

    @Test
    void shouldReportTimerTriggersWithAnIntervalOrCountThatIsNotPositive() {
        // given
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        ProcessDefinition def = process(List.of(TimerTrigger.once(at),
                TimerTrigger.repeating(Duration.ofHours(1), 3, at),
                TimerTrigger.repeating(Duration.ZERO, null, null),
                TimerTrigger.repeating(Duration.ofMinutes(-5), 0, null),
                new TimerTrigger(at, Duration.ofHours(1), null, null),
                new TimerTrigger(null, null, null, null)), task("a", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("trigger 3", String.format(TIMER_EVERY_NOT_POSITIVE, 3, Duration.ZERO), 0),
                new Problem("trigger 4", String.format(TIMER_EVERY_NOT_POSITIVE, 4, Duration.ofMinutes(-5)), 0),
                new Problem("trigger 4", String.format(TIMER_TIMES_NOT_POSITIVE, 4, 0), 0),
                new Problem("trigger 5", String.format(TIMER_KIND, 5), 0),
                new Problem("trigger 6", String.format(TIMER_KIND, 6), 0));
    }

    @Test
    void shouldReportADefinitionWithoutSteps() {
        // given
        ProcessDefinition def = new ProcessDefinition("empty", 0, "empty", null, null, Expression.JSONATA, null, null,
                List.of(), List.of());

        // then
        assertThat(validator.validate(def)).containsExactly(new Problem("definition", NO_STEPS, 0));
    }

    @Test
    void shouldReportASlaThatIsNotPositive() {
        // given
        ProcessDefinition def = new ProcessDefinition("p", 0, "p", null, Duration.ofMinutes(-5), Expression.JSONATA, "a",
                null, List.of(), List.of(task("a", null)));

        // then
        assertThat(validator.validate(def))
                .containsExactly(new Problem("definition", String.format(SLA_NOT_POSITIVE, Duration.ofMinutes(-5)), 0));
    }

    @Test
    void shouldAcceptPersonalPathsIntoNestedMapsAndTheBusinessKey() {
        // given
        ProcessDefinition def = withPersonal(process(task("a", null)),
                "customer.email", "contactName", "businessKey", "customer.addresses.street", "first_name", "x-ref");

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportBlankMalformedAndDuplicatePersonalPathsNamingTheEntry() {
        // given
        ProcessDefinition def = withPersonal(process(task("a", null)),
                "customer.email", " ", "customer..email", "customer.email", "$.customer", "contact name", "customer.email");

        // when
        List<Problem> problems = validator.validate(def);

        // then
        assertThat(problems).containsExactly(
                new Problem("personal[2]", String.format(PERSONAL_PATH_BLANK, 2), 0),
                new Problem("personal[3]", String.format(PERSONAL_PATH_MALFORMED, 3, "customer..email"), 0),
                new Problem("personal[4]", String.format(PERSONAL_PATH_DUPLICATE, "customer.email", 3), 0),
                new Problem("personal[5]", String.format(PERSONAL_PATH_MALFORMED, 5, "$.customer"), 0),
                new Problem("personal[6]", String.format(PERSONAL_PATH_MALFORMED, 6, "contact name"), 0));
        assertThat(problems.get(3).message()).isEqualTo("Expected personal field 5 to be a variable path of names"
                + " (letters, digits, '_' and '-') joined by dots, such as customer.email, but it is '$.customer'");
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        // given
        ProcessDefinition def = new ProcessDefinition("bad id", 0, "x", null, null, Expression.JSONATA, "read", null,
                List.of(new CronTrigger("never")),
                List.of(call("read", "erp.read", "decide"),
                        choice("decide", null, when("x ??", "approve")),
                        new HumanTaskStep(info("approve", "ghost"), "Approve", List.of(), null),
                        task("loop", "loop")));

        // when
        List<Problem> problems = validator.validate(def);

        // then
        assertThat(problems).containsExactly(
                new Problem("definition", String.format(INVALID_ID, "definition", "bad id"), 0),
                new Problem("trigger 1", String.format(CRON_FIELDS, 1, 1), 0),
                new Problem("step 'read'", String.format(UNKNOWN_OPERATION, "erp.read", "read", KNOWN_OPERATIONS), 1),
                new Problem("step 'decide'", String.format(CHOICE_WITHOUT_DEFAULT, "decide"), 2),
                new Problem("step 'decide'", String.format(INVALID_EXPRESSION, "'choice[1].when'", "step 'decide'",
                        "unexpected token '??'"), 2),
                new Problem("step 'approve'", String.format(HUMAN_TASK_WITHOUT_ROLES, "approve"), 3),
                new Problem("step 'approve'", String.format(UNKNOWN_TARGET, "approve", "ghost"), 3),
                new Problem("step 'loop'", String.format(UNREACHABLE, "loop"), 4),
                new Problem("step 'loop'", String.format(CYCLE_WITHOUT_WAIT, "loop → loop"), 4));
    }

    // ---- sub-processes, errors, races ----

    @Test
    void shouldAcceptSubprocessesErrorBoundariesAndRaces() {
        // given: a sub-process with a fork, a boundary timer and an error boundary; a race after it
        ProcessDefinition def = process(
                sub(info("fix", "review-or-remind", new StepTimeout(Duration.ofHours(4), "hand-over", true),
                                List.of(new ErrorCatch("ORDER_REJECTED", "rejected"))), "split",
                        parallel("split", "hardware", "software"),
                        human("hardware", "merge"),
                        call("software", "http.post", "merge"),
                        join("merge", "check"),
                        choice("check", "done", when("broken", "reject")),
                        errorEnd("reject", "ORDER_REJECTED"),
                        end("done")),
                human("hand-over", null),
                task("rejected", null),
                race("review-or-remind", "reviewed", "day-passed"),
                waitFor("reviewed", "review.received", null),
                timer("day-passed", "review-or-remind"));

        // when
        List<Problem> problems = validator.validate(def);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportStepsThatLeadAcrossTheBoundaryOfASubprocess() {
        // given
        ProcessDefinition def = process(
                task("before", "inside"),
                sub(info("fix", "after"), "inside", task("inside", "after")),
                task("after", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'before'", String.format(CROSSES_SUBPROCESS, "before", "the top level", "inside",
                        "sub-process 'fix'"), 1),
                new Problem("step 'inside'", String.format(CROSSES_SUBPROCESS, "inside", "sub-process 'fix'", "after",
                        "the top level"), 3),
                new Problem("step 'fix'", String.format(UNREACHABLE, "fix"), 2));
    }

    @Test
    void shouldReportASubprocessWithoutStepsOrStartingOutsideItself() {
        // given
        ProcessDefinition def = process(
                sub(info("empty", "odd")),
                sub(info("odd", "last"), "last", task("inside", null)),
                task("last", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'empty'", String.format(SUBPROCESS_WITHOUT_STEPS, "empty"), 1),
                new Problem("step 'odd'", String.format(SUBPROCESS_START, "odd", "last"), 2),
                new Problem("step 'inside'", String.format(UNREACHABLE, "inside"), 3));
    }

    @Test
    void shouldReportADefinitionThatStartsInsideASubprocess() {
        // given
        ProcessDefinition def = startingAt("inside", process(sub(info("fix", null), "inside", task("inside", null))));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("definition", String.format(START_INSIDE_SUBPROCESS, "inside", "fix"), 0),
                new Problem("step 'fix'", String.format(UNREACHABLE, "fix"), 1));
    }

    @Test
    void shouldReportAStepIdUsedInsideAndOutsideASubprocess() {
        // given: ids name queues, so they are unique across the whole definition
        ProcessDefinition def = process(sub(info("fix", "a"), "a", task("a", null)), task("a", null));

        // then
        assertThat(validator.validate(def)).contains(
                new Problem("step 'a'", String.format(DUPLICATE_STEP_ID, "a", 2), 3));
    }

    @Test
    void shouldReachStepsThroughCatchesAndLetABranchEndInAnError() {
        // given: one branch throws instead of reaching the join; the handler is reached only by the catch
        ProcessDefinition def = process(
                sub(info("fix", "after", null, List.of(new ErrorCatch(null, "handle"))), "split",
                        parallel("split", "a", "b"), task("a", "merge"), errorEnd("b", "BROKEN"), join("merge", null)),
                task("after", null),
                task("handle", null));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportACycleThroughASubprocessOnlyWhenNothingInsideWaits() {
        // given
        ProcessDefinition busy = process(sub(info("busy", "busy"), "work", task("work", null)));
        ProcessDefinition waiting = process(sub(info("patient", "patient"), "pause", timer("pause", null)));

        // then
        assertThat(validator.validate(busy)).containsExactly(
                new Problem("step 'busy'", String.format(CYCLE_WITHOUT_WAIT, "busy → busy"), 1));
        assertThat(validator.validate(waiting)).isEmpty();
    }

    @Test
    void shouldReportRacesWithTooFewOrWrongOrSharedAlternatives() {
        // given
        ProcessDefinition def = process(
                race("single", "reviewed"),
                waitFor("reviewed", "review.received", "choose"),
                race("choose", "work", "pause", "late"),
                task("work", "late"),
                withTimeout(timer("pause", null), Duration.ofHours(1), "work", true),
                waitFor("late", "late.received", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'single'", String.format(RACE_TOO_FEW, "single", 1), 1),
                new Problem("step 'choose'", String.format(RACE_ALTERNATIVE_KIND, "work", "choose", "task"), 3),
                new Problem("step 'choose'", String.format(RACE_ALTERNATIVE_BOUNDARY, "pause", "choose", "a timeout"), 3),
                new Problem("step 'choose'", String.format(RACE_ALTERNATIVE_SHARED, "work", "choose", "step 'pause'"), 3),
                new Problem("step 'choose'", String.format(RACE_ALTERNATIVE_SHARED, "late", "choose", "step 'work'"), 3));
    }

    @Test
    void shouldReportCatchesOnStepsThatThrowNothingAndCatchesRepeated() {
        // given
        ProcessDefinition def = process(
                human("approve", "book", List.of(new ErrorCatch("X", "handle"))),
                new CallStep(info("book", null, null, List.of(new ErrorCatch("BATON-HTTP-404", "handle"),
                        new ErrorCatch("BATON-HTTP-404", "handle"), new ErrorCatch(null, "handle"),
                        new ErrorCatch(null, "handle"), new ErrorCatch(" ", "handle"))),
                        "http.post", Map.of(), null, Map.of()),
                task("handle", null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'approve'", String.format(CATCH_NOT_ALLOWED, "approve", "human"), 1),
                new Problem("step 'book'", String.format(BLANK_ERROR_CODE, "book", "catch[5].error"), 2),
                new Problem("step 'book'", String.format(CATCH_DUPLICATE, "book", "error 'BATON-HTTP-404'", 2), 2),
                new Problem("step 'book'", String.format(CATCH_DUPLICATE, "book", "every error", 2), 2));
    }

    @Test
    void shouldReachStepsThroughMessageBoundariesAndLetANonInterruptingOneEndWithoutTheJoin() {
        // given: the cancellation path is reached only through the boundary; the interrupting one continues the
        // branch to the join, the non-interrupting one runs detached and ends on its own
        ProcessDefinition def = process(
                parallel("split", "approve", "ship"),
                withMessages(human("approve", "merge"), new MessageCatch("order.cancelled", expr("order.id"), "cancel", true),
                        new MessageCatch("order.changed", null, "notify", false)),
                task("ship", "merge"),
                task("cancel", "merge"),
                task("notify", null),
                join("merge", null));

        // then
        assertThat(validator.validate(def)).isEmpty();
    }

    @Test
    void shouldReportMessageBoundariesWithoutMessageRepeatedLeadingNowhereOrWithBadKeys() {
        // given
        ProcessDefinition def = process(
                withMessages(waitFor("pay", "payment.received", null),
                        new MessageCatch(" ", null, "cancel", true),
                        new MessageCatch("payment.received", null, "cancel", true),
                        new MessageCatch("order.cancelled", expr("order.id ??"), "ghost", false)),
                task("cancel", null),
                withMessages(timer("pause", null), new MessageCatch("m", null, "cancel", true)),
                withMessages(race("choose", "pay", "pause"), new MessageCatch("m", null, "cancel", true)));

        // then
        assertThat(validator.validate(def)).contains(
                new Problem("step 'pay'", String.format(MESSAGE_BOUNDARY_WITHOUT_MESSAGE, 1, "pay"), 1),
                new Problem("step 'pay'", String.format(INVALID_EXPRESSION, "'messages[3].key'", "step 'pay'",
                        "unexpected token '??'"), 1),
                new Problem("step 'pay'", String.format(MESSAGE_BOUNDARY_DUPLICATE, "pay", "payment.received", 2), 1),
                new Problem("step 'pay'", String.format(UNKNOWN_TARGET, "pay", "ghost"), 1),
                new Problem("step 'pause'", String.format(MESSAGE_BOUNDARY_NOT_ALLOWED, "pause", "timer"), 3),
                new Problem("step 'choose'", String.format(MESSAGE_BOUNDARY_NOT_ALLOWED, "choose", "race"), 4),
                new Problem("step 'choose'", String.format(RACE_ALTERNATIVE_BOUNDARY, "pay", "choose", "a message boundary"), 4));
    }

    @Test
    void shouldReportSourcesThatAreNotChannelsOnWaitsAndMessageBoundaries() {
        // given: the CloudEvents source attribute written where the channel belongs, and good channels
        WaitStep wait = waitFor("ship", "order.shipped", "done");
        ProcessDefinition def = process(
                withMessages(new WaitStep(wait.info(), wait.message(), null, null, null, List.of("/wms", "wms")),
                        new MessageCatch("order.cancelled", null, "done", true, List.of("shop", "call centre")),
                        new MessageCatch("order.changed", null, "done", false, List.of("shop.eu-1_b"))),
                end("done"));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'ship'", String.format(SOURCE_NOT_A_CHANNEL, "ship", "messages[1].source",
                        "call centre"), 1),
                new Problem("step 'ship'", String.format(SOURCE_NOT_A_CHANNEL, "ship", "wait.source", "/wms"), 1));
    }

    /** The same step with these message boundaries. */
    private static Step withMessages(Step step, MessageCatch... messages) {
        StepInfo info = step.info().withMessages(List.of(messages));
        if (step instanceof HumanTaskStep h) {
            return new HumanTaskStep(info, h.title(), h.candidateRoles(), h.due(), h.fourEyes());
        } else if (step instanceof WaitStep w) {
            return new WaitStep(info, w.message(), w.key(), w.eventKey(), w.resultVariable(), w.sources());
        } else if (step instanceof TimerStep t) {
            return new TimerStep(info, t.duration(), t.date());
        } else if (step instanceof RaceStep r) {
            return new RaceStep(info, r.alternatives());
        }
        throw new IllegalArgumentException(step.kind());
    }

    @Test
    void shouldReportAnEndThatBothTerminatesAndThrows() {
        // given
        ProcessDefinition def = process(task("a", "stop"), new EndStep(info("stop", null), true, "BROKEN"));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'stop'", String.format(END_TERMINATES_AND_THROWS, "stop"), 2));
    }

    // ---- building definitions ----

    private StepInfo info(String id, String next, StepTimeout timeout, List<ErrorCatch> catches) {
        return new StepInfo(id, id, next, null, timeout, 0, nextLine++, catches);
    }

    private StepInfo info(String id, String next, List<ErrorCatch> catches) {
        return info(id, next, null, catches);
    }

    /** The sub-process's info comes first, so its line precedes its steps' as in a source. */
    private static SubprocessStep sub(StepInfo info, String start, Step... steps) {
        return new SubprocessStep(info, start, List.of(steps));
    }

    private static SubprocessStep sub(StepInfo info) {
        return new SubprocessStep(info, null, List.of());
    }

    private RaceStep race(String id, String... alternatives) {
        return new RaceStep(info(id, null), List.of(alternatives));
    }

    private EndStep errorEnd(String id, String code) {
        return new EndStep(info(id, null), false, code);
    }

    private HumanTaskStep human(String id, String next, List<ErrorCatch> catches) {
        return new HumanTaskStep(info(id, next, catches), "Approve", List.of("sales-manager"), Duration.ofHours(4));
    }

    private static TimerStep withTimeout(TimerStep step, Duration after, String next, boolean interrupting) {
        StepInfo i = step.info();
        return new TimerStep(new StepInfo(i.id(), i.name(), i.next(), i.retry(), new StepTimeout(after, next, interrupting),
                i.concurrency(), i.line()), step.duration(), step.date());
    }

    private ProcessDefinition process(Step... steps) {
        return process(List.of(), steps);
    }

    private ProcessDefinition process(Trigger trigger, Step... steps) {
        return process(List.of(trigger), steps);
    }

    private ProcessDefinition process(List<Trigger> triggers, Step... steps) {
        return new ProcessDefinition("p", 0, "p", null, null, Expression.JSONATA, steps[0].id(), null, triggers,
                List.of(steps));
    }

    private static ProcessDefinition withPersonal(ProcessDefinition def, String... paths) {
        return new ProcessDefinition(def.id(), def.version(), def.name(), def.owner(), def.sla(), def.expressionLanguage(),
                def.start(), def.defaultRetry(), def.triggers(), def.steps(), java.util.Arrays.asList(paths));
    }

    private static ProcessDefinition startingAt(String start, ProcessDefinition def) {
        return new ProcessDefinition(def.id(), def.version(), def.name(), def.owner(), def.sla(), def.expressionLanguage(),
                start, def.defaultRetry(), def.triggers(), def.steps());
    }

    private StepInfo info(String id, String next) {
        return new StepInfo(id, id, next, null, null, 0, nextLine++);
    }

    private TaskStep task(String id, String next) {
        return new TaskStep(info(id, next), Map.of());
    }

    private CallStep call(String id, String operation, String next) {
        return new CallStep(info(id, next), operation, Map.of(), null, Map.of());
    }

    private ChoiceStep choice(String id, String otherwise, ChoiceStep.Branch... branches) {
        return new ChoiceStep(info(id, null), List.of(branches), otherwise);
    }

    private static ChoiceStep.Branch when(String condition, String next) {
        return new ChoiceStep.Branch(expr(condition), next);
    }

    private InclusiveStep inclusive(String id, String otherwise, ChoiceStep.Branch... branches) {
        return new InclusiveStep(info(id, null), List.of(branches), otherwise);
    }

    private ParallelStep parallel(String id, String... branches) {
        return new ParallelStep(info(id, null), List.of(branches));
    }

    private JoinStep join(String id, String next) {
        return new JoinStep(info(id, next));
    }

    private WaitStep waitFor(String id, String message, String next) {
        return new WaitStep(info(id, next), message, null, null, null);
    }

    private TimerStep timer(String id, String next) {
        return new TimerStep(info(id, next), Duration.ofMinutes(5), null);
    }

    private HumanTaskStep human(String id, String next) {
        return new HumanTaskStep(info(id, next), "Approve", List.of("sales-manager"), Duration.ofHours(4));
    }

    @Test
    void shouldReportMultiInstanceExpressionsAndNamesThatAreNotVariables() {
        // given
        TaskStep each = task("each", "after");
        TaskStep counted = task("counted", null);
        ProcessDefinition def = process(
                new TaskStep(each.info().withMulti(new MultiInstance(expr("order.lines ??"), "the line", false, "all-results",
                        expr("line ??"), expr("done ??"))), Map.of()),
                task("after", "counted"),
                new TaskStep(counted.info().withMulti(new MultiInstance(expr("[1..3]"), "loopCounter", true, null, null,
                        null)), Map.of()));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'each'", String.format(INVALID_EXPRESSION, "'multi.over'", "step 'each'",
                        "unexpected token '??'"), 1),
                new Problem("step 'each'", String.format(INVALID_EXPRESSION, "'multi.result'", "step 'each'",
                        "unexpected token '??'"), 1),
                new Problem("step 'each'", String.format(INVALID_EXPRESSION, "'multi.until'", "step 'each'",
                        "unexpected token '??'"), 1),
                new Problem("step 'each'", String.format(MULTI_VARIABLE_NAME, "multi.as", "each", "the line"), 1),
                new Problem("step 'each'", String.format(MULTI_VARIABLE_NAME, "multi.collect", "each", "all-results"), 1),
                new Problem("step 'counted'", String.format(MULTI_RESERVED_NAME, "counted", "loopCounter"), 2));
    }

    @Test
    void shouldReportARaceAlternativeThatRunsPerElement() {
        // given
        WaitStep paid = new WaitStep(info("paid", null), "payment.received", null, null, null);
        ProcessDefinition def = process(new RaceStep(info("first", null), List.of("paid", "late")),
                new WaitStep(paid.info().withMulti(new MultiInstance(expr("orders"), "order", false, null, null, null)),
                        "payment.received", null, null, null),
                new TimerStep(info("late", null), java.time.Duration.ofHours(1), null));

        // then
        assertThat(validator.validate(def)).containsExactly(
                new Problem("step 'first'", String.format(RACE_ALTERNATIVE_MULTI, "paid", "first"),
                        def.steps().get(0).info().line()));
    }

    private EndStep end(String id) {
        return new EndStep(info(id, null), false);
    }

    private EndStep terminate(String id) {
        return new EndStep(info(id, null), true);
    }

    private static TaskStep withTimeout(TaskStep step, Duration after, String next, boolean interrupting) {
        StepInfo i = step.info();
        return new TaskStep(new StepInfo(i.id(), i.name(), i.next(), i.retry(), new StepTimeout(after, next, interrupting),
                i.concurrency(), i.line()), step.set());
    }

    private static Expression expr(String text) {
        return Expression.jsonata(text);
    }
}
