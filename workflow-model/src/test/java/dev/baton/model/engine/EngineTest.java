package dev.baton.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.StepTimeout;
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

    // ---- building definitions ----

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
