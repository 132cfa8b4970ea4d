package dev.baton.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.MessageCatch;
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
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.Effect.CloseTask;
import dev.baton.model.engine.Effect.CreateTask;
import dev.baton.model.engine.Effect.ExecuteStep;
import dev.baton.model.engine.Effect.RaiseIncident;
import dev.baton.model.engine.Effect.ScheduleTimer;
import dev.baton.model.engine.Effect.Subscribe;
import dev.baton.model.engine.Effect.Unsubscribe;
import dev.baton.model.engine.Event.Cancelled;
import dev.baton.model.engine.Event.IncidentRetried;
import dev.baton.model.engine.Event.MessageCorrelated;
import dev.baton.model.engine.Event.StepExecuted;
import dev.baton.model.engine.Event.StepFailed;
import dev.baton.model.engine.Event.TaskCompleted;
import dev.baton.model.engine.Event.TimeoutFired;
import dev.baton.model.engine.Event.TimerFired;

class EngineTest {

    private static final Instant NOW = Instant.parse("2026-01-05T08:00:00Z");
    private static final Expression BIG_ORDER = Expression.jsonata("amount > 100");
    private static final Expression ORDER_ID = Expression.jsonata("order.id");

    /** Knows the two expressions these tests use, as a language implementation would evaluate them. */
    private static final ExpressionEvaluator EVALUATOR = (expression, context) -> {
        Map<?, ?> variables = (Map<?, ?>) context;
        if (expression.equals(BIG_ORDER)) {
            return ((Number) variables.get("amount")).intValue() > 100;
        } else if (expression.equals(ORDER_ID)) {
            return ((Map<?, ?>) variables.get("order")).get("id");
        }
        throw new ExpressionEvaluator.EvaluationException(expression, "not known to this test", null);
    };

    private final Engine engine = new Engine(EVALUATOR);

    @Test
    void shouldRunStepsInSequenceAndComplete() {
        // given
        ProcessDefinition def = process(task("a", "b"), call("b", null));

        // when
        Transition started = engine.start(def, "i1", "SO-1", Map.of("amount", 5), NOW);

        // then
        assertThat(started.event()).isEqualTo(Intent.INSTANCE_STARTED);
        assertThat(started.effects()).containsExactly(new ExecuteStep("a", "t1", 1, null));
        assertThat(started.state().status()).isEqualTo(InstanceStatus.RUNNING);

        // when
        Transition afterA = engine.apply(def, started.state(), new StepExecuted("a", "t1", 1, Map.of("x", 1)), NOW);

        // then
        assertThat(afterA.event()).isEqualTo(Intent.STEP_EXECUTED);
        assertThat(afterA.effects()).containsExactly(new ExecuteStep("b", "t2", 1, null));
        assertThat(afterA.state().variables()).containsEntry("amount", 5).containsEntry("x", 1);
        assertThat(afterA.state().tokens()).containsOnlyKeys("t2");

        // when
        Transition afterB = engine.apply(def, afterA.state(), new StepExecuted("b", "t2", 1, Map.of()), NOW);

        // then
        assertThat(afterB.effects()).isEmpty();
        assertThat(afterB.state().status()).isEqualTo(InstanceStatus.COMPLETED);
        assertThat(afterB.state().tokens()).isEmpty();
    }

    @Test
    void shouldTakeTheFirstBranchWhoseConditionHolds() {
        // given
        ProcessDefinition def = process(choice("decide", "auto", new ChoiceStep.Branch(BIG_ORDER, "approve")),
                task("approve", null), task("auto", null));

        // when
        Transition started = engine.start(def, "i1", null, Map.of("amount", 500), NOW);

        // then
        assertThat(started.effects()).containsExactly(new ExecuteStep("approve", "t1", 1, null));
    }

    @Test
    void shouldTakeTheDefaultWhenNoConditionHolds() {
        // given
        ProcessDefinition def = process(choice("decide", "auto", new ChoiceStep.Branch(BIG_ORDER, "approve")),
                task("approve", null), task("auto", null));

        // when
        Transition started = engine.start(def, "i1", null, Map.of("amount", 50), NOW);

        // then
        assertThat(started.effects()).containsExactly(new ExecuteStep("auto", "t1", 1, null));
    }

    @Test
    void shouldContinueAfterAJoinOnlyWhenTheThirdBranchArrives() {
        // given
        ProcessDefinition def = process(parallel("split", "a", "b", "c"), task("a", "merge"), task("b", "merge"),
                task("c", "merge"), join("merge", "after"), task("after", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        assertThat(started.effects()).containsExactly(new ExecuteStep("a", "t2", 1, null),
                new ExecuteStep("b", "t3", 1, null), new ExecuteStep("c", "t4", 1, null));

        // when
        Transition first = engine.apply(def, started.state(), new StepExecuted("a", "t2", 1, Map.of()), NOW);
        Transition second = engine.apply(def, first.state(), new StepExecuted("c", "t4", 1, Map.of()), NOW);

        // then
        assertThat(first.effects()).isEmpty();
        assertThat(second.effects()).isEmpty();
        assertThat(second.state().joins()).containsEntry("s1", new JoinCounter(3, 2));
        assertThat(second.state().status()).isEqualTo(InstanceStatus.RUNNING);

        // when
        Transition third = engine.apply(def, second.state(), new StepExecuted("b", "t3", 1, Map.of()), NOW);

        // then
        assertThat(third.effects()).containsExactly(new ExecuteStep("after", "t5", 1, null));
        assertThat(third.state().joins()).isEmpty();
        assertThat(third.state().tokens().get("t5").scope()).isEmpty();
    }

    @Test
    void shouldRetryWithBackOffThenRaiseAnIncidentThenRunAgainWhenTheIncidentIsRetried() {
        // given: two runs, 10 s apart
        RetryPolicy twice = new RetryPolicy(2, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1));
        ProcessDefinition def = process(new CallStep(new StepInfo("call", "call", "after", twice, null, 0, 0),
                "http.post", Map.of(), null, Map.of()), task("after", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Failure unavailable = Failure.retryable("BATON-HTTP-503", "Service unavailable");

        // when: the first run fails
        Transition retry = engine.apply(def, started.state(), new StepFailed("call", "t1", 1, unavailable), NOW);

        // then
        assertThat(retry.event()).isEqualTo(Intent.STEP_FAILED);
        ExecuteStep again = new ExecuteStep("call", "t1", 2, NOW.plusSeconds(10));
        assertThat(retry.effects()).containsExactly(again);
        assertThat(again.intent()).isEqualTo(Intent.RETRY_STEP);

        // when: the second and last run fails
        Transition incident = engine.apply(def, retry.state(), new StepFailed("call", "t1", 2, unavailable), NOW);

        // then
        assertThat(incident.event()).isEqualTo(Intent.INCIDENT_RAISED);
        assertThat(incident.effects()).containsExactly(new RaiseIncident("call", "t1", 2, unavailable));
        assertThat(incident.state().status()).isEqualTo(InstanceStatus.FAILED);

        // when: an operator retries, and the third run succeeds
        Transition retried = engine.apply(def, incident.state(), new IncidentRetried("call", "t1", "ops"), NOW);
        Transition done = engine.apply(def, retried.state(), new StepExecuted("call", "t1", 3, Map.of()), NOW);

        // then
        assertThat(retried.event()).isEqualTo(Intent.INCIDENT_RETRIED);
        assertThat(retried.effects()).containsExactly(new ExecuteStep("call", "t1", 3, null));
        assertThat(retried.state().status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(retried.state().tokens().get("t1").lastAttempt()).isEqualTo(4);
        assertThat(done.event()).isEqualTo(Intent.STEP_RETRIED);
        assertThat(done.effects()).containsExactly(new ExecuteStep("after", "t2", 1, null));
    }

    @Test
    void shouldRaiseAnIncidentAtOnceForAFailureThatRetryingCannotHelp() {
        // given
        ProcessDefinition def = process(call("call", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Failure notFound = Failure.permanent("BATON-HTTP-404", "No such order");

        // when
        Transition incident = engine.apply(def, started.state(), new StepFailed("call", "t1", 1, notFound), NOW);

        // then
        assertThat(incident.effects()).containsExactly(new RaiseIncident("call", "t1", 1, notFound));
    }

    @Test
    void shouldIgnoreADuplicateStepExecuted() {
        // given
        ProcessDefinition def = process(task("a", "b"), task("b", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        StepExecuted executed = new StepExecuted("a", "t1", 1, Map.of());
        Transition once = engine.apply(def, started.state(), executed, NOW);

        // when
        Transition twice = engine.apply(def, once.state(), executed, NOW);

        // then
        assertThat(twice.isIgnored()).isTrue();
        assertThat(twice.event()).isNull();
        assertThat(twice.effects()).isEmpty();
        assertThat(twice.state()).isEqualTo(once.state());
    }

    @Test
    void shouldIgnoreAStaleAttempt() {
        // given
        ProcessDefinition def = process(call("call", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Transition retry = engine.apply(def, started.state(),
                new StepFailed("call", "t1", 1, Failure.retryable("BATON-HTTP-503", "unavailable")), NOW);

        // when: the first attempt's result arrives late
        Transition late = engine.apply(def, retry.state(), new StepExecuted("call", "t1", 1, Map.of()), NOW);

        // then
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldWaitForATimer() {
        // given
        ProcessDefinition def = process(new TimerStep(new StepInfo("pause", "pause", "after", null, null, 0, 0),
                Duration.ofMinutes(5), null), task("after", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);

        // when
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("pause", "t1", 1, Map.of()), NOW);

        // then
        assertThat(waiting.event()).isEqualTo(Intent.STEP_WAITING);
        assertThat(waiting.effects()).containsExactly(
                new ScheduleTimer("pause", "t1", NOW.plus(Duration.ofMinutes(5)), Intent.FIRE_TIMER));
        assertThat(waiting.state().status()).isEqualTo(InstanceStatus.WAITING);

        // when
        Transition fired = engine.apply(def, waiting.state(), new TimerFired("pause", "t1"), NOW.plus(Duration.ofMinutes(5)));

        // then
        assertThat(fired.event()).isEqualTo(Intent.TIMER_FIRED);
        assertThat(fired.effects()).containsExactly(new ExecuteStep("after", "t2", 1, null));
    }

    @Test
    void shouldResumeAWaitWhenItsMessageIsCorrelated() {
        // given
        ProcessDefinition def = process(new WaitStep(new StepInfo("pay", "pay", "after", null, null, 0, 0),
                "payment.received", ORDER_ID, null, "payment"), task("after", null));
        Transition started = engine.start(def, "i1", "SO-1", Map.of("order", Map.of("id", "4711")), NOW);

        // when
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("pay", "t1", 1, Map.of()), NOW);

        // then
        assertThat(waiting.effects()).containsExactly(new Subscribe("pay", "t1", "payment.received", "4711"));

        // when
        Transition paid = engine.apply(def, waiting.state(),
                new MessageCorrelated("pay", "t1", Map.of("amount", 99)), NOW);

        // then
        assertThat(paid.event()).isEqualTo(Intent.MESSAGE_CORRELATED);
        assertThat(paid.effects()).containsExactly(new Unsubscribe("pay", "t1"), new ExecuteStep("after", "t2", 1, null));
        assertThat(paid.state().variables()).containsEntry("payment", Map.of("amount", 99));
    }

    @Test
    void shouldResumeAHumanTaskWhenItIsCompleted() {
        // given
        ProcessDefinition def = process(human("approve", "after", null), task("after", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);

        // when
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("approve", "t1", 1, Map.of()), NOW);

        // then
        assertThat(waiting.effects()).containsExactly(new CreateTask("approve", "t1", "Approve order",
                List.of("sales-manager"), NOW.plus(Duration.ofHours(4))));

        // when
        Transition approved = engine.apply(def, waiting.state(),
                new TaskCompleted("approve", "t1", Map.of("approved", true), "alice"), NOW);

        // then
        assertThat(approved.event()).isEqualTo(Intent.TASK_COMPLETED);
        assertThat(approved.effects()).containsExactly(new CloseTask("approve", "t1", "completed"),
                new ExecuteStep("after", "t2", 1, null));
        assertThat(approved.state().variables()).containsEntry("approved", true);
    }

    @Test
    void shouldAbandonAStepAndEscalateWhenAnInterruptingTimeoutFires() {
        // given
        ProcessDefinition def = process(human("approve", "after", new StepTimeout(Duration.ofHours(8), "escalate", true)),
                task("after", null), task("escalate", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        assertThat(started.effects()).containsExactly(new ExecuteStep("approve", "t1", 1, null),
                new ScheduleTimer("approve", "t1", NOW.plus(Duration.ofHours(8)), Intent.ESCALATE_STEP));
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("approve", "t1", 1, Map.of()), NOW);

        // when
        Transition escalated = engine.apply(def, waiting.state(), new TimeoutFired("approve", "t1"), NOW.plus(Duration.ofHours(8)));

        // then
        assertThat(escalated.event()).isEqualTo(Intent.STEP_ESCALATED);
        assertThat(escalated.effects()).containsExactly(new CloseTask("approve", "t1", "deadline passed"),
                new ExecuteStep("escalate", "t2", 1, null));
        assertThat(escalated.state().tokens()).containsOnlyKeys("t2");

        // when: the person completes the task too late
        Transition late = engine.apply(def, escalated.state(),
                new TaskCompleted("approve", "t1", Map.of("approved", true), "alice"), NOW.plus(Duration.ofHours(9)));

        // then
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldStartTheEscalationBesideTheStepWhenATimeoutDoesNotInterrupt() {
        // given
        ProcessDefinition def = process(human("approve", "after", new StepTimeout(Duration.ofHours(8), "remind", false)),
                task("after", null), task("remind", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("approve", "t1", 1, Map.of()), NOW);

        // when
        Transition reminded = engine.apply(def, waiting.state(), new TimeoutFired("approve", "t1"), NOW.plus(Duration.ofHours(8)));

        // then
        assertThat(reminded.effects()).containsExactly(new ExecuteStep("remind", "t3", 1, null));
        assertThat(reminded.state().tokens()).containsOnlyKeys("t1", "t3");
        assertThat(reminded.state().tokens().get("t1").status()).isEqualTo(TokenStatus.WAITING);
    }

    @Test
    void shouldStartTheEscalationOnceWhenANonInterruptingDeadlineIsDeliveredTwice() {
        // given: the deadline passed and its path started; the broker delivers the deadline command again
        // (the hub died after its database committed and before the broker heard of it)
        ProcessDefinition def = process(human("approve", "after", new StepTimeout(Duration.ofHours(8), "remind", false)),
                task("after", null), task("remind", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("approve", "t1", 1, Map.of()), NOW);
        Transition reminded = engine.apply(def, waiting.state(), new TimeoutFired("approve", "t1"), NOW.plus(Duration.ofHours(8)));

        // when
        Transition again = engine.apply(def, reminded.state(), new TimeoutFired("approve", "t1"), NOW.plus(Duration.ofHours(8)));

        // then: nothing new; the hub re-sends what the first delivery sent
        assertThat(again.isIgnored()).isTrue();
        assertThat(again.state().tokens()).containsOnlyKeys("t1", "t3");
        // and the approval still completes the instance's main path
        Transition approved = engine.apply(def, reminded.state(), new TaskCompleted("approve", "t1", Map.of(), "mia"), NOW);
        assertThat(approved.effects()).contains(new ExecuteStep("after", "t4", 1, null));
    }

    @Test
    void shouldCancelAnInstanceAndCloseWhatItWaitsFor() {
        // given
        ProcessDefinition def = process(human("approve", null, null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("approve", "t1", 1, Map.of()), NOW);

        // when
        Transition cancelled = engine.apply(def, waiting.state(), new Cancelled("ops"), NOW);

        // then
        assertThat(cancelled.event()).isEqualTo(Intent.INSTANCE_CANCELLED);
        assertThat(cancelled.effects()).containsExactly(new CloseTask("approve", "t1", "instance cancelled"));
        assertThat(cancelled.state().status()).isEqualTo(InstanceStatus.CANCELLED);
        assertThat(cancelled.state().tokens()).isEmpty();

        // when
        Transition late = engine.apply(def, cancelled.state(),
                new TaskCompleted("approve", "t1", Map.of(), "alice"), NOW);

        // then
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldNotExecuteStepsStartedInTheSameTransitionAsATerminatingEnd() {
        // given: one branch starts work, the other terminates the instance
        ProcessDefinition def = process(parallel("split", "work", "stop"), call("work", null),
                new EndStep(StepInfo.of("stop", null), true));

        // when
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);

        // then
        assertThat(started.state().status()).isEqualTo(InstanceStatus.COMPLETED);
        assertThat(started.state().tokens()).isEmpty();
        assertThat(started.effects()).isEmpty(); // fails: [ExecuteStep[step=work, token=t2, attempt=1, notBefore=null]]
    }

    // ---- sub-processes ----

    @Test
    void shouldCompleteASubprocessOnceEveryPathInsideHasEndedAndContinueAfterIt() {
        // given: Flowable's fix-system-failure: two investigations in parallel inside the sub-process
        ProcessDefinition def = process(
                sub("fix", "report", null, List.of(), parallel("split", "hardware", "software"),
                        human("hardware", "merge", null), human("software", "merge", null), join("merge", "done"),
                        end("done")),
                task("report", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        assertThat(started.effects()).containsExactly(new ExecuteStep("fix", "t1", 1, null));

        // when: the sub-process's hand-off runs
        Transition entered = engine.apply(def, started.state(), new StepExecuted("fix", "t1", 1, Map.of()), NOW);

        // then: its paths start in its own scope, and it waits for them
        assertThat(entered.event()).isEqualTo(Intent.STEP_WAITING);
        assertThat(entered.effects()).containsExactly(new ExecuteStep("hardware", "t3", 1, null),
                new ExecuteStep("software", "t4", 1, null));
        assertThat(entered.state().tokens().get("t1").status()).isEqualTo(TokenStatus.WAITING);
        assertThat(entered.state().tokens().get("t3").scope()).isEqualTo("t1/s2");
        Transition waiting = run(def, entered, new StepExecuted("hardware", "t3", 1, Map.of()),
                new StepExecuted("software", "t4", 1, Map.of()));
        assertThat(waiting.state().status()).isEqualTo(InstanceStatus.WAITING);

        // when: the first investigation is done
        Transition first = engine.apply(def, waiting.state(), new TaskCompleted("hardware", "t3", Map.of(), "eve"), NOW);

        // then: the sub-process still waits for the other
        assertThat(first.effects()).containsExactly(new CloseTask("hardware", "t3", "completed"));
        assertThat(first.state().tokens()).containsOnlyKeys("t1", "t4");

        // when: the second is done: the join continues to the end inside
        Transition second = engine.apply(def, first.state(), new TaskCompleted("software", "t4", Map.of(), "eve"), NOW);

        // then: nothing is left inside, so the sub-process completes and its next step starts
        assertThat(second.effects()).containsExactly(new CloseTask("software", "t4", "completed"),
                new ExecuteStep("report", "t5", 1, null));
        assertThat(second.state().tokens()).containsOnlyKeys("t5");
        assertThat(second.state().tokens().get("t5").scope()).isEmpty();
        assertThat(second.state().joins()).isEmpty();
    }

    @Test
    void shouldCancelEveryPathInsideASubprocessWhenItsInterruptingTimerFires() {
        // given
        ProcessDefinition def = process(
                sub("fix", "report", new StepTimeout(Duration.ofHours(4), "hand-over", true), List.of(),
                        human("investigate", null, null)),
                task("report", null), task("hand-over", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        assertThat(started.effects()).containsExactly(new ExecuteStep("fix", "t1", 1, null),
                new ScheduleTimer("fix", "t1", NOW.plus(Duration.ofHours(4)), Intent.ESCALATE_STEP));
        Transition waiting = run(def, started, new StepExecuted("fix", "t1", 1, Map.of()),
                new StepExecuted("investigate", "t2", 1, Map.of()));

        // when
        Transition escalated = engine.apply(def, waiting.state(), new TimeoutFired("fix", "t1"), NOW.plus(Duration.ofHours(4)));

        // then: the task inside is closed, the sub-process abandoned, the timeout path taken
        assertThat(escalated.event()).isEqualTo(Intent.STEP_ESCALATED);
        assertThat(escalated.effects()).containsExactly(
                new CloseTask("investigate", "t2", "deadline of 'fix' passed"), new ExecuteStep("hand-over", "t3", 1, null));
        assertThat(escalated.state().tokens()).containsOnlyKeys("t3");

        // when: someone completes the closed task anyway
        Transition late = engine.apply(def, escalated.state(), new TaskCompleted("investigate", "t2", Map.of(), "eve"), NOW);

        // then
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldStartTheTimeoutPathBesideASubprocessWhenItsTimerDoesNotInterrupt() {
        // given
        ProcessDefinition def = process(
                sub("fix", "report", new StepTimeout(Duration.ofHours(4), "remind", false), List.of(),
                        human("investigate", null, null)),
                task("report", null), task("remind", null));
        Transition waiting = run(def, engine.start(def, "i1", null, Map.of(), NOW),
                new StepExecuted("fix", "t1", 1, Map.of()), new StepExecuted("investigate", "t2", 1, Map.of()));

        // when
        Transition reminded = engine.apply(def, waiting.state(), new TimeoutFired("fix", "t1"), NOW.plus(Duration.ofHours(4)));

        // then: the reminder runs beside the sub-process, which keeps its task
        assertThat(reminded.effects()).containsExactly(new ExecuteStep("remind", "t4", 1, null));
        assertThat(reminded.state().tokens()).containsOnlyKeys("t1", "t2", "t4");

        // when: the task inside is completed
        Transition done = engine.apply(def, reminded.state(), new TaskCompleted("investigate", "t2", Map.of(), "eve"), NOW);

        // then: the sub-process completes as usual
        assertThat(done.effects()).containsExactly(new CloseTask("investigate", "t2", "completed"),
                new ExecuteStep("report", "t5", 1, null));
    }

    @Test
    void shouldCompleteNestedSubprocessesInnermostFirstInOneTransition() {
        // given: outer holds inner, which holds one task; neither has anything after it inside
        ProcessDefinition def = process(
                sub("outer", "after", null, List.of(), sub("inner", null, null, List.of(), task("a", null))),
                task("after", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Transition outer = engine.apply(def, started.state(), new StepExecuted("outer", "t1", 1, Map.of()), NOW);
        assertThat(outer.effects()).containsExactly(new ExecuteStep("inner", "t2", 1, null));
        Transition inner = engine.apply(def, outer.state(), new StepExecuted("inner", "t2", 1, Map.of()), NOW);
        assertThat(inner.effects()).containsExactly(new ExecuteStep("a", "t3", 1, null));
        assertThat(inner.state().tokens().get("t3").scope()).isEqualTo("t1/t2");

        // when
        Transition done = engine.apply(def, inner.state(), new StepExecuted("a", "t3", 1, Map.of()), NOW);

        // then
        assertThat(done.effects()).containsExactly(new ExecuteStep("after", "t4", 1, null));
        assertThat(done.state().tokens()).containsOnlyKeys("t4");
    }

    @Test
    void shouldCompleteASubprocessWhosePathsEndAsItIsEntered() {
        // given
        ProcessDefinition def = process(sub("empty", "after", null, List.of(), end("nothing")), task("after", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);

        // when
        Transition entered = engine.apply(def, started.state(), new StepExecuted("empty", "t1", 1, Map.of()), NOW);

        // then
        assertThat(entered.event()).isEqualTo(Intent.STEP_EXECUTED);
        assertThat(entered.effects()).containsExactly(new ExecuteStep("after", "t2", 1, null));
    }

    @Test
    void shouldEndOnlyTheSubprocessAtATerminatingEndInsideIt() {
        // given: one path inside waits for a review, the other terminates the sub-process
        ProcessDefinition def = process(
                sub("fix", "report", null, List.of(), parallel("split", "review", "check"),
                        human("review", "merge", null), task("check", "stop"), terminate("stop"),
                        join("merge", null)),
                task("report", null));
        Transition waiting = run(def, engine.start(def, "i1", null, Map.of(), NOW),
                new StepExecuted("fix", "t1", 1, Map.of()), new StepExecuted("review", "t3", 1, Map.of()));

        // when
        Transition terminated = engine.apply(def, waiting.state(), new StepExecuted("check", "t4", 1, Map.of()), NOW);

        // then: the review is closed, the sub-process completes, and the instance goes on (BPMN semantics)
        assertThat(terminated.effects()).containsExactly(
                new CloseTask("review", "t3", "sub-process 'fix' terminated at 'stop'"),
                new ExecuteStep("report", "t5", 1, null));
        assertThat(terminated.state().status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(terminated.state().tokens()).containsOnlyKeys("t5");
        assertThat(terminated.state().joins()).isEmpty();
    }

    // ---- errors ----

    @Test
    void shouldHandAThrownErrorToTheInnermostSubprocessThatCatchesIt() {
        // given: both sub-processes catch the code; the inner one is nearer
        ProcessDefinition def = process(
                sub("outer", null, null, List.of(new ErrorCatch("ORDER_REJECTED", "outer-handler")),
                        sub("inner", null, null, List.of(new ErrorCatch("ORDER_REJECTED", "inner-handler")),
                                human("wait", "reject", null), errorEnd("reject", "ORDER_REJECTED")),
                        task("inner-handler", null)),
                task("outer-handler", null));
        Transition running = run(def, engine.start(def, "i1", null, Map.of(), NOW),
                new StepExecuted("outer", "t1", 1, Map.of()), new StepExecuted("inner", "t2", 1, Map.of()),
                new StepExecuted("wait", "t3", 1, Map.of()));

        // when: the task inside leads to the error end
        Transition thrown = engine.apply(def, running.state(), new TaskCompleted("wait", "t3", Map.of(), "eve"), NOW);

        // then: the inner sub-process is cancelled and the outer one continues on the inner's error path
        assertThat(thrown.effects()).containsExactly(new CloseTask("wait", "t3", "completed"),
                new ExecuteStep("inner-handler", "t4", 1, null));
        assertThat(thrown.state().tokens()).containsOnlyKeys("t1", "t4");
        assertThat(thrown.state().tokens().get("t4").scope()).isEqualTo("t1");
    }

    @Test
    void shouldPassAnErrorTheInnerSubprocessDoesNotCatchToTheOuterOneAndCancelEverythingInside() {
        // given: the inner sub-process catches another code only; a task waits beside the throwing path
        ProcessDefinition def = process(
                sub("outer", null, null, List.of(new ErrorCatch(null, "outer-handler")),
                        sub("inner", null, null, List.of(new ErrorCatch("OTHER", "inner-handler")),
                                parallel("split", "wait", "check"), human("wait", null, null),
                                task("check", "reject"), errorEnd("reject", "ORDER_REJECTED")),
                        task("inner-handler", null)),
                task("outer-handler", null));
        Transition running = run(def, engine.start(def, "i1", null, Map.of(), NOW),
                new StepExecuted("outer", "t1", 1, Map.of()), new StepExecuted("inner", "t2", 1, Map.of()),
                new StepExecuted("wait", "t4", 1, Map.of()));

        // when
        Transition thrown = engine.apply(def, running.state(), new StepExecuted("check", "t5", 1, Map.of()), NOW);

        // then: the outer catch-all takes it; everything inside the outer sub-process is cancelled
        assertThat(thrown.event()).isEqualTo(Intent.STEP_EXECUTED);
        assertThat(thrown.effects()).containsExactly(
                new CloseTask("wait", "t4", "error ORDER_REJECTED thrown at 'reject', caught by 'outer'"),
                new ExecuteStep("outer-handler", "t6", 1, null));
        assertThat(thrown.state().tokens()).containsOnlyKeys("t6");
        assertThat(thrown.state().joins()).isEmpty();
    }

    @Test
    void shouldRaiseAnIncidentNamingTheCodeOfAnErrorNoStepCatches() {
        // given
        ProcessDefinition def = process(task("check", "reject"), errorEnd("reject", "ORDER_REJECTED"));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);

        // when
        Transition thrown = engine.apply(def, started.state(), new StepExecuted("check", "t1", 1, Map.of()), NOW);

        // then: the path stops at the error end in an incident; the instance fails
        Failure uncaught = new Failure("ORDER_REJECTED",
                "Error ORDER_REJECTED thrown at end step 'reject' is caught by no enclosing step", false,
                List.of("error=ORDER_REJECTED"));
        assertThat(thrown.effects()).containsExactly(new RaiseIncident("reject", "t2", 1, uncaught));
        assertThat(thrown.state().status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(thrown.state().tokens().get("t2").status()).isEqualTo(TokenStatus.INCIDENT);

        // when: an operator retries it: the same error would be thrown again
        Transition retried = engine.apply(def, thrown.state(), new IncidentRetried("reject", "t2", "ops"), NOW);

        // then
        assertThat(retried.isIgnored()).isTrue();

        // when: the operator cancels the instance instead
        Transition cancelled = engine.apply(def, thrown.state(), new Cancelled("ops"), NOW);

        // then
        assertThat(cancelled.effects()).containsExactly(new Effect.CloseIncident("reject", "t2", "instance cancelled"));
    }

    @Test
    void shouldCatchAPermanentFailureOfACallWhoseCodeTheStepCatches() {
        // given
        ProcessDefinition def = process(
                new CallStep(new StepInfo("book", "book", "after", null, null, 0, 0,
                        List.of(new ErrorCatch("BATON-HTTP-404", "not-found"), new ErrorCatch(null, "anything"))),
                        "http.post", Map.of(), null, Map.of()),
                task("after", null), task("not-found", null), task("anything", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);

        // when
        Transition caught = engine.apply(def, started.state(),
                new StepFailed("book", "t1", 1, Failure.permanent("BATON-HTTP-404", "No such order")), NOW);

        // then: the catch naming the code wins over the catch-all listed after it
        assertThat(caught.event()).isEqualTo(Intent.ERROR_CAUGHT);
        assertThat(caught.effects()).containsExactly(new ExecuteStep("not-found", "t2", 1, null));
        assertThat(caught.state().status()).isEqualTo(InstanceStatus.RUNNING);
    }

    @Test
    void shouldRetryARetryableFailureFirstAndCatchItOnlyAfterTheLastAttempt() {
        // given
        RetryPolicy twice = new RetryPolicy(2, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
        ProcessDefinition def = process(
                new CallStep(new StepInfo("book", "book", "after", twice, null, 0, 0,
                        List.of(new ErrorCatch("BATON-HTTP-503", "later"))), "http.post", Map.of(), null, Map.of()),
                task("after", null), task("later", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Failure unavailable = Failure.retryable("BATON-HTTP-503", "Service unavailable");

        // when
        Transition retry = engine.apply(def, started.state(), new StepFailed("book", "t1", 1, unavailable), NOW);
        Transition caught = engine.apply(def, retry.state(), new StepFailed("book", "t1", 2, unavailable), NOW);

        // then
        assertThat(retry.effects()).containsExactly(new ExecuteStep("book", "t1", 2, NOW.plusSeconds(1)));
        assertThat(caught.event()).isEqualTo(Intent.ERROR_CAUGHT);
        assertThat(caught.effects()).containsExactly(new ExecuteStep("later", "t2", 1, null));
    }

    @Test
    void shouldRaiseAnIncidentForAFailureNoCatchTakes() {
        // given
        ProcessDefinition def = process(
                new CallStep(new StepInfo("book", "book", null, null, null, 0, 0,
                        List.of(new ErrorCatch("BATON-HTTP-404", "not-found"))), "http.post", Map.of(), null, Map.of()),
                task("not-found", null));
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        Failure badRequest = Failure.permanent("BATON-HTTP-400", "Bad request");

        // when
        Transition failed = engine.apply(def, started.state(), new StepFailed("book", "t1", 1, badRequest), NOW);

        // then
        assertThat(failed.event()).isEqualTo(Intent.INCIDENT_RAISED);
        assertThat(failed.effects()).containsExactly(new RaiseIncident("book", "t1", 1, badRequest));
    }

    @Test
    void shouldHandAFailureInsideASubprocessToTheSubprocessThatCatchesIt() {
        // given
        ProcessDefinition def = process(
                sub("booking", "after", null, List.of(new ErrorCatch("BATON-HTTP-404", "handle")),
                        call("book", null)),
                task("after", null), task("handle", null));
        Transition running = run(def, engine.start(def, "i1", null, Map.of(), NOW),
                new StepExecuted("booking", "t1", 1, Map.of()));

        // when
        Transition caught = engine.apply(def, running.state(),
                new StepFailed("book", "t2", 1, Failure.permanent("BATON-HTTP-404", "No such order")), NOW);

        // then
        assertThat(caught.event()).isEqualTo(Intent.ERROR_CAUGHT);
        assertThat(caught.effects()).containsExactly(new ExecuteStep("handle", "t3", 1, null));
        assertThat(caught.state().tokens()).containsOnlyKeys("t3");
    }

    // ---- races ----

    @Test
    void shouldWithdrawTheOtherAlternativesWhenAMessageWinsARaceAndIgnoreTheTimerThatFiresLater() {
        // given: Zeebe's pr-created: a review arrives, or after a day a reminder goes out
        ProcessDefinition def = raceDefinition();
        Transition started = engine.start(def, "i1", "PR-7", Map.of(), NOW);
        assertThat(started.effects()).containsExactly(new ExecuteStep("reviewed", "t2", 1, null),
                new ExecuteStep("day-passed", "t3", 1, null));
        assertThat(started.state().tokens().get("t2").scope()).isEqualTo("r1");
        Transition waiting = run(def, started, new StepExecuted("reviewed", "t2", 1, Map.of()),
                new StepExecuted("day-passed", "t3", 1, Map.of()));
        assertThat(waiting.state().status()).isEqualTo(InstanceStatus.WAITING);

        // when
        Transition won = engine.apply(def, waiting.state(),
                new MessageCorrelated("reviewed", "t2", Map.of("reviewResult", "approved")), NOW);

        // then: the review continues; the timer's path is withdrawn (its message cannot be recalled)
        assertThat(won.event()).isEqualTo(Intent.MESSAGE_CORRELATED);
        assertThat(won.effects()).containsExactly(new Unsubscribe("reviewed", "t2"), new ExecuteStep("merge", "t4", 1, null));
        assertThat(won.state().tokens()).containsOnlyKeys("t4");
        assertThat(won.state().tokens().get("t4").scope()).isEmpty();

        // when: the timer fires anyway
        Transition stale = engine.apply(def, won.state(), new TimerFired("day-passed", "t3"), NOW.plus(Duration.ofDays(1)));

        // then
        assertThat(stale.isIgnored()).isTrue();
        assertThat(stale.effects()).isEmpty();
    }

    @Test
    void shouldWithdrawTheMessageWaitWhenATimerWinsARace() {
        // given
        ProcessDefinition def = raceDefinition();
        Transition waiting = run(def, engine.start(def, "i1", "PR-7", Map.of(), NOW),
                new StepExecuted("reviewed", "t2", 1, Map.of()), new StepExecuted("day-passed", "t3", 1, Map.of()));

        // when
        Transition won = engine.apply(def, waiting.state(), new TimerFired("day-passed", "t3"), NOW.plus(Duration.ofDays(1)));

        // then
        assertThat(won.event()).isEqualTo(Intent.TIMER_FIRED);
        assertThat(won.effects()).containsExactly(new Unsubscribe("reviewed", "t2"), new ExecuteStep("remind", "t4", 1, null));

        // when: the reminder loops back into the race, and the old review message arrives late
        Transition again = engine.apply(def, won.state(), new StepExecuted("remind", "t4", 1, Map.of()), NOW);
        Transition late = engine.apply(def, again.state(), new MessageCorrelated("reviewed", "t2", Map.of()), NOW);

        // then: a new round with new tokens; the old token's message changes nothing
        assertThat(again.effects()).containsExactly(new ExecuteStep("reviewed", "t6", 1, null),
                new ExecuteStep("day-passed", "t7", 1, null));
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldNotStartAnAlternativeWhoseHandOffArrivesAfterTheRaceWasWon() {
        // given: the message wins before the timer step's hand-off ran
        ProcessDefinition def = raceDefinition();
        Transition waiting = run(def, engine.start(def, "i1", "PR-7", Map.of(), NOW),
                new StepExecuted("reviewed", "t2", 1, Map.of()));
        Transition won = engine.apply(def, waiting.state(), new MessageCorrelated("reviewed", "t2", Map.of()), NOW);

        // when
        Transition late = engine.apply(def, won.state(), new StepExecuted("day-passed", "t3", 1, Map.of()), NOW);

        // then: no timer is scheduled for the withdrawn alternative
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldStartEveryInclusiveBranchWhoseConditionHoldsAndJoinOnlyThose() {
        // given: e-mail and SMS chosen, post not
        ProcessDefinition def = notify("log");
        Transition started = flags.start(def, "i1", null, Map.of("email", true, "sms", true, "post", false), NOW);

        // then: two branches in one fork whose join expects two
        assertThat(steps(started)).containsExactly("send-email", "send-sms");
        assertThat(started.state().joins()).containsExactly(Map.entry("s1", new JoinCounter(2, 0)));
        String email = tokenAt(started, "send-email");
        String sms = tokenAt(started, "send-sms");

        // when
        Transition first = flags.apply(def, started.state(), new StepExecuted("send-email", email, 1, Map.of()), NOW);
        Transition second = flags.apply(def, first.state(), new StepExecuted("send-sms", sms, 1, Map.of()), NOW);

        // then: the join waits for the SMS, not for the post that never started
        assertThat(first.effects()).isEmpty();
        assertThat(steps(second)).containsExactly("after");
        assertThat(second.state().joins()).isEmpty();
    }

    @Test
    void shouldJoinASingleInclusiveBranchAtOnceWhenItArrives() {
        // given
        ProcessDefinition def = notify("log");
        Transition started = flags.start(def, "i1", null, Map.of("email", false, "sms", true, "post", false), NOW);
        assertThat(started.state().joins()).containsExactly(Map.entry("s1", new JoinCounter(1, 0)));

        // when
        Transition after = flags.apply(def, started.state(),
                new StepExecuted("send-sms", tokenAt(started, "send-sms"), 1, Map.of()), NOW);

        // then
        assertThat(steps(after)).containsExactly("after");
    }

    @Test
    void shouldTakeTheInclusiveDefaultAloneWhenNoConditionHolds() {
        // given
        ProcessDefinition def = notify("log");

        // when
        Transition started = flags.start(def, "i1", null, Map.of("email", false, "sms", false, "post", false), NOW);
        Transition after = flags.apply(def, started.state(),
                new StepExecuted("log", tokenAt(started, "log"), 1, Map.of()), NOW);

        // then: the default is a branch of the fork, so the join continues after it
        assertThat(steps(started)).containsExactly("log");
        assertThat(steps(after)).containsExactly("after");
    }

    @Test
    void shouldRefuseToRouteAnInclusiveSplitOrAChoiceWhereNoConditionHoldsAndThereIsNoDefault() {
        // given
        ProcessDefinition inclusive = notify(null);
        ProcessDefinition choice = process(task("check", "decide"),
                choice("decide", null, new ChoiceStep.Branch(Expression.jsonata("approved"), "book"),
                        new ChoiceStep.Branch(Expression.jsonata("rejected"), "reject")),
                task("book", null), task("reject", null));
        Map<String, Object> none = Map.of("email", false, "sms", false, "post", false);

        // when / then: at the start, the start itself fails
        assertThatThrownBy(() -> flags.start(inclusive, "i1", null, none, NOW))
                .isInstanceOfSatisfying(Engine.NoPathException.class, e -> assertThat(e.step()).isEqualTo("notify"))
                .hasMessage("No condition of inclusive 'notify' holds and it has no default path ('otherwise', a"
                        + " default flow)");

        // when / then: after a step, the step's token cannot go on
        Transition started = flags.start(choice, "i2", null, Map.of("approved", false, "rejected", false), NOW);
        StepExecuted checked = new StepExecuted("check", "t1", 1, Map.of());
        assertThatThrownBy(() -> flags.apply(choice, started.state(), checked, NOW))
                .isInstanceOfSatisfying(Engine.NoPathException.class, e -> assertThat(e.step()).isEqualTo("decide"));

        // when: the runtime parks that token in an incident, and an operator retries it
        Transition incident = flags.raiseIncident(choice, started.state(), "t1", 1,
                Failure.permanent("BATON-ROUTE-002", "No condition of choice 'decide' holds"), NOW);
        Transition retried = flags.apply(choice, incident.state(), new IncidentRetried("check", "t1", "ops"), NOW);

        // then: the step runs again, and the gateway decides again after it
        assertThat(incident.state().status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(retried.effects()).containsExactly(new ExecuteStep("check", "t1", 2, null));
        Transition decided = flags.apply(choice, retried.state(),
                new StepExecuted("check", "t1", 2, Map.of("approved", true)), NOW);
        assertThat(steps(decided)).containsExactly("book");
    }

    @Test
    void shouldContinueAtTheFirstArrivalOfADiscriminatorSwallowTheOthersAndStartAgainInALoop() {
        // given: three checks; the first to finish decides, the loop asks again while 'more' holds
        ProcessDefinition def = process(parallel("split", "a", "b", "c"), task("a", "first"), task("b", "first"),
                task("c", "first"), new JoinStep(StepInfo.of("first", "after"), true), task("after", "again"),
                choice("again", null, new ChoiceStep.Branch(Expression.jsonata("more"), "split"),
                        new ChoiceStep.Branch(Expression.jsonata("enough"), "done")),
                task("done", null));
        Transition started = flags.start(def, "i1", null, Map.of("more", false, "enough", true), NOW);

        // when: b arrives first
        Transition first = flags.apply(def, started.state(), new StepExecuted("b", tokenAt(started, "b"), 1, Map.of()), NOW);

        // then: the path goes on at once, the fork's counter stays for the others
        assertThat(steps(first)).containsExactly("after");
        assertThat(first.state().joins()).containsExactly(Map.entry("s1", new JoinCounter(3, 1)));

        // when: the others arrive
        Transition second = flags.apply(def, first.state(), new StepExecuted("a", tokenAt(started, "a"), 1, Map.of()), NOW);
        Transition third = flags.apply(def, second.state(), new StepExecuted("c", tokenAt(started, "c"), 1, Map.of()), NOW);

        // then: their paths end at the join, and the counter is gone
        assertThat(second.effects()).isEmpty();
        assertThat(third.effects()).isEmpty();
        assertThat(third.state().joins()).isEmpty();
        assertThat(third.state().tokens().values()).extracting(Token::step).containsExactly("after");

        // when: the loop comes back to the fork
        Transition again = flags.apply(def, third.state(),
                new StepExecuted("after", tokenAt(first, "after"), 1, Map.of("more", true, "enough", false)), NOW);
        Transition firstAgain = flags.apply(def, again.state(),
                new StepExecuted("c", tokenAt(again, "c"), 1, Map.of("more", false, "enough", true)), NOW);

        // then: a new round, decided by its own first arrival
        assertThat(steps(again)).containsExactly("a", "b", "c");
        assertThat(steps(firstAgain)).containsExactly("after");
        Transition done = flags.apply(def, firstAgain.state(),
                new StepExecuted("after", tokenAt(firstAgain, "after"), 1, Map.of()), NOW);
        assertThat(steps(done)).containsExactly("done");
    }

    // ---- inclusive splits and discriminators ----

    /** Conditions that are variable names: true where the variable is. */
    private final Engine flags = new Engine((expression, context) -> ((Map<?, ?>) context).get(expression.text()));

    /** Notify by e-mail, SMS and/or post; {@code otherwise} the default, or null for none. */
    private static ProcessDefinition notify(String otherwise) {
        return process(new InclusiveStep(StepInfo.of("notify", null), List.of(
                        new ChoiceStep.Branch(Expression.jsonata("email"), "send-email"),
                        new ChoiceStep.Branch(Expression.jsonata("sms"), "send-sms"),
                        new ChoiceStep.Branch(Expression.jsonata("post"), "send-post")), otherwise),
                task("send-email", "merge"), task("send-sms", "merge"), task("send-post", "merge"),
                task("log", "merge"), join("merge", "after"), task("after", null));
    }

    /** The steps a transition hands off, in order. */
    private static List<String> steps(Transition t) {
        return t.effects().stream().filter(e -> e instanceof ExecuteStep).map(e -> ((ExecuteStep) e).step()).toList();
    }

    /** The token a transition handed off to a step. */
    private static String tokenAt(Transition t, String step) {
        return t.effects().stream().filter(e -> e instanceof ExecuteStep x && x.step().equals(step))
                .map(e -> ((ExecuteStep) e).token()).findFirst().orElseThrow();
    }

    // ---- message boundaries ----

    private static final String CANCELLED = "com.example.order.cancelled";
    private static final String CHANGED = "com.example.order.changed";

    @Test
    void shouldCloseTheTaskAndTakeTheBoundaryPathWhenAnInterruptingMessageArrives() {
        // given: an approval that a cancellation of its order interrupts
        ProcessDefinition def = process(
                withMessages(human("approve", "book", null), new MessageCatch(CANCELLED, ORDER_ID, "cancel", true)),
                task("book", null), task("cancel", null));
        Transition started = engine.start(def, "i1", "SO-1", Map.of("order", Map.of("id", "4711")), NOW);

        // then: subscribed from the moment the token is at the step, by the key over the variables
        assertThat(started.effects()).containsExactly(new ExecuteStep("approve", "t1", 1, null),
                new Subscribe("approve", "t1", CANCELLED, "4711"));
        Transition waiting = run(def, started, new StepExecuted("approve", "t1", 1, Map.of()));

        // when
        Transition cancelled = engine.apply(def, waiting.state(),
                new MessageCorrelated("approve", "t1", Map.of("reason", "customer"), CANCELLED), NOW);

        // then: the task is closed, the subscription dropped, the boundary's path taken with the message's data
        assertThat(cancelled.event()).isEqualTo(Intent.MESSAGE_CORRELATED);
        assertThat(cancelled.effects()).containsExactly(
                new CloseTask("approve", "t1", "message " + CANCELLED + " for 'approve'"),
                new ExecuteStep("cancel", "t2", 1, null), new Unsubscribe("approve", "t1"));
        assertThat(cancelled.state().tokens()).containsOnlyKeys("t2");
        assertThat(cancelled.state().variables()).containsEntry("reason", "customer");

        // when: the person completes the closed task anyway
        Transition late = engine.apply(def, cancelled.state(), new TaskCompleted("approve", "t1", Map.of(), "eve"), NOW);

        // then
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldStartTheBoundaryPathOncePerMessageAndKeepTheTaskOpenWhenTheMessageDoesNotInterrupt() {
        // given
        ProcessDefinition def = process(
                withMessages(human("approve", "book", null), new MessageCatch(CHANGED, null, "notify", false)),
                task("book", null), task("notify", null));
        Transition started = engine.start(def, "i1", "SO-1", Map.of(), NOW);
        assertThat(started.effects()).contains(new Subscribe("approve", "t1", CHANGED, "SO-1"));
        Transition waiting = run(def, started, new StepExecuted("approve", "t1", 1, Map.of()));

        // when: two changes of the order arrive
        Transition first = engine.apply(def, waiting.state(), new MessageCorrelated("approve", "t1", Map.of(), CHANGED), NOW);
        Transition second = engine.apply(def, first.state(), new MessageCorrelated("approve", "t1", Map.of(), CHANGED), NOW);

        // then: two notification paths, each detached; the task stays open and subscribed
        assertThat(first.effects()).containsExactly(new ExecuteStep("notify", "t3", 1, null));
        assertThat(second.effects()).containsExactly(new ExecuteStep("notify", "t5", 1, null));
        assertThat(second.state().tokens()).containsOnlyKeys("t1", "t3", "t5");
        assertThat(second.state().tokens().get("t1").status()).isEqualTo(TokenStatus.WAITING);
        assertThat(second.state().tokens().get("t3").scope()).isEqualTo("x2");

        // when: the task is completed
        Transition approved = engine.apply(def, second.state(), new TaskCompleted("approve", "t1", Map.of(), "mia"), NOW);

        // then: its boundary's subscription goes with it
        assertThat(approved.effects()).containsExactly(new CloseTask("approve", "t1", "completed"),
                new ExecuteStep("book", "t6", 1, null), new Unsubscribe("approve", "t1"));
    }

    @Test
    void shouldCancelEveryPathInsideASubprocessWhenAnInterruptingMessageArrives() {
        // given
        ProcessDefinition def = process(
                withMessages(sub("fix", "report", null, List.of(), human("investigate", null, null)),
                        new MessageCatch(CANCELLED, null, "hand-over", true)),
                task("report", null), task("hand-over", null));
        Transition started = engine.start(def, "i1", "SO-1", Map.of(), NOW);
        Transition waiting = run(def, started, new StepExecuted("fix", "t1", 1, Map.of()),
                new StepExecuted("investigate", "t2", 1, Map.of()));

        // when
        Transition handedOver = engine.apply(def, waiting.state(),
                new MessageCorrelated("fix", "t1", Map.of(), CANCELLED), NOW);

        // then: the task inside is closed, the sub-process abandoned, the boundary's path taken
        assertThat(handedOver.effects()).containsExactly(
                new CloseTask("investigate", "t2", "message " + CANCELLED + " for 'fix'"),
                new ExecuteStep("hand-over", "t3", 1, null), new Unsubscribe("fix", "t1"));
        assertThat(handedOver.state().tokens()).containsOnlyKeys("t3");
    }

    @Test
    void shouldIgnoreABoundaryMessageForAStepTheTokenHasLeft() {
        // given: the approval was completed before the cancellation came
        ProcessDefinition def = process(
                withMessages(human("approve", "book", null), new MessageCatch(CANCELLED, null, "cancel", true)),
                task("book", null), task("cancel", null));
        Transition approved = run(def, engine.start(def, "i1", "SO-1", Map.of(), NOW),
                new StepExecuted("approve", "t1", 1, Map.of()), new TaskCompleted("approve", "t1", Map.of(), "mia"));
        assertThat(approved.effects()).contains(new Unsubscribe("approve", "t1"));

        // when
        Transition late = engine.apply(def, approved.state(), new MessageCorrelated("approve", "t1", Map.of(), CANCELLED), NOW);

        // then
        assertThat(late.isIgnored()).isTrue();
        assertThat(late.state().tokens()).containsOnlyKeys("t2");
    }

    @Test
    void shouldInterruptACallWhoseWorkIsUnderWayAndIgnoreItsLateResult() {
        // given: a call still queued (its connector call running)
        ProcessDefinition def = process(
                withMessages(call("book", "confirm"), new MessageCatch(CANCELLED, null, "cancel", true)),
                task("confirm", null), task("cancel", null));
        Transition started = engine.start(def, "i1", "SO-1", Map.of(), NOW);

        // when
        Transition cancelled = engine.apply(def, started.state(), new MessageCorrelated("book", "t1", Map.of(), CANCELLED), NOW);
        Transition late = engine.apply(def, cancelled.state(), new StepExecuted("book", "t1", 1, Map.of()), NOW);

        // then
        assertThat(cancelled.effects()).containsExactly(new ExecuteStep("cancel", "t2", 1, null),
                new Unsubscribe("book", "t1"));
        assertThat(late.isIgnored()).isTrue();
    }

    @Test
    void shouldTellAWaitStepsOwnMessageFromItsBoundarysAndUnsubscribeOnce() {
        // given: a wait for the payment that a cancellation interrupts
        ProcessDefinition def = process(
                withMessages(new WaitStep(StepInfo.of("pay", "ship"), "payment.received", null, null, "payment"),
                        new MessageCatch(CANCELLED, null, "cancel", true)),
                task("ship", null), task("cancel", null));
        Transition started = engine.start(def, "i1", "SO-1", Map.of(), NOW);
        Transition waiting = run(def, started, new StepExecuted("pay", "t1", 1, Map.of()));
        assertThat(waiting.effects()).containsExactly(new Subscribe("pay", "t1", "payment.received", "SO-1"));

        // when: the payment comes, named
        Transition paid = engine.apply(def, waiting.state(),
                new MessageCorrelated("pay", "t1", Map.of("amount", 5), "payment.received"), NOW);

        // then: it resumes the wait; one unsubscription drops both subscriptions
        assertThat(paid.effects()).containsExactly(new Unsubscribe("pay", "t1"), new ExecuteStep("ship", "t2", 1, null));
        assertThat(paid.state().variables()).containsEntry("payment", Map.of("amount", 5));

        // when: instead, the cancellation comes
        Transition cancelled = engine.apply(def, waiting.state(), new MessageCorrelated("pay", "t1", Map.of(), CANCELLED), NOW);

        // then
        assertThat(cancelled.effects()).containsExactly(new Unsubscribe("pay", "t1"), new ExecuteStep("cancel", "t2", 1, null));
    }

    @Test
    void shouldDropBoundarySubscriptionsWhenTheInstanceIsCancelled() {
        // given
        ProcessDefinition def = process(
                withMessages(human("approve", null, null), new MessageCatch(CANCELLED, null, "cancel", true)),
                task("cancel", null));
        Transition waiting = run(def, engine.start(def, "i1", "SO-1", Map.of(), NOW),
                new StepExecuted("approve", "t1", 1, Map.of()));

        // when
        Transition cancelled = engine.apply(def, waiting.state(), new Cancelled("ops"), NOW);

        // then
        assertThat(cancelled.effects()).containsExactly(new CloseTask("approve", "t1", "instance cancelled"),
                new Unsubscribe("approve", "t1"));
    }

    private static <S extends Step> Step withMessages(S step, MessageCatch... messages) {
        StepInfo info = step.info().withMessages(List.of(messages));
        if (step instanceof HumanTaskStep h) {
            return new HumanTaskStep(info, h.title(), h.candidateRoles(), h.due(), h.fourEyes());
        } else if (step instanceof CallStep c) {
            return new CallStep(info, c.operation(), c.with(), c.input(), c.output());
        } else if (step instanceof WaitStep w) {
            return new WaitStep(info, w.message(), w.key(), w.eventKey(), w.resultVariable());
        } else if (step instanceof SubprocessStep p) {
            return new SubprocessStep(info, p.start(), p.steps());
        }
        throw new IllegalArgumentException(step.kind());
    }

    // ---- building definitions ----

    /** Applies events in order, each to the state the previous one left. */
    private Transition run(ProcessDefinition def, Transition from, Event... events) {
        Transition t = from;
        for (Event e : events) {
            t = engine.apply(def, t.state(), e, NOW);
            assertThat(t.isIgnored()).as(e + ": " + t.ignored()).isFalse();
        }
        return t;
    }

    private static ProcessDefinition raceDefinition() {
        return process(new RaceStep(StepInfo.of("review-or-remind", null), List.of("reviewed", "day-passed")),
                new WaitStep(StepInfo.of("reviewed", "merge"), "review.received", null, null, null),
                new TimerStep(StepInfo.of("day-passed", "remind"), Duration.ofDays(1), null),
                task("merge", null), task("remind", "review-or-remind"));
    }

    private static SubprocessStep sub(String id, String next, StepTimeout timeout, List<ErrorCatch> catches,
                                      Step... steps) {
        return new SubprocessStep(new StepInfo(id, id, next, null, timeout, 0, 0, catches), steps[0].id(),
                List.of(steps));
    }

    private static EndStep end(String id) {
        return new EndStep(StepInfo.of(id, null), false);
    }

    private static EndStep terminate(String id) {
        return new EndStep(StepInfo.of(id, null), true);
    }

    private static EndStep errorEnd(String id, String code) {
        return new EndStep(StepInfo.of(id, null), false, code);
    }

    private static ProcessDefinition process(Step... steps) {
        return new ProcessDefinition("p", 1, "p", null, null, Expression.JSONATA, steps[0].id(), null, List.of(),
                List.of(steps));
    }

    private static TaskStep task(String id, String next) {
        return new TaskStep(StepInfo.of(id, next), Map.of());
    }

    private static CallStep call(String id, String next) {
        return new CallStep(StepInfo.of(id, next), "http.post", Map.of(), null, Map.of());
    }

    private static ChoiceStep choice(String id, String otherwise, ChoiceStep.Branch... branches) {
        return new ChoiceStep(StepInfo.of(id, null), List.of(branches), otherwise);
    }

    private static ParallelStep parallel(String id, String... branches) {
        return new ParallelStep(StepInfo.of(id, null), List.of(branches));
    }

    private static JoinStep join(String id, String next) {
        return new JoinStep(StepInfo.of(id, next));
    }

    private static HumanTaskStep human(String id, String next, StepTimeout timeout) {
        return new HumanTaskStep(new StepInfo(id, id, next, null, timeout, 0, 0), "Approve order",
                List.of("sales-manager"), Duration.ofHours(4));
    }
}
