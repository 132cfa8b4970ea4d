package dev.baton.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.engine.Effect.CancelChild;
import dev.baton.model.engine.Effect.CreateTask;
import dev.baton.model.engine.Effect.ExecuteStep;
import dev.baton.model.engine.Effect.RaiseIncident;
import dev.baton.model.engine.Effect.StartChild;
import dev.baton.model.engine.Event.ChildEnded;
import dev.baton.model.engine.Event.StepExecuted;

/** Call activities (a child instance of another definition) and assigned human tasks, in the decision function. */
class CallActivityTest {

    private static final Instant NOW = Instant.parse("2026-01-05T08:00:00Z");
    private static final Expression JOB_ONLY = Expression.jsonata("{\"job\": job}");
    private static final Expression LINKS = Expression.jsonata("links");
    private static final Expression REQUESTER = Expression.jsonata("requester");
    private static final Expression ITEMS = Expression.jsonata("items");

    private static final ExpressionEvaluator EVALUATOR = (expression, context) -> {
        Map<?, ?> variables = (Map<?, ?>) context;
        if (expression.equals(JOB_ONLY)) {
            return Map.of("job", variables.get("job"));
        } else if (expression.equals(LINKS)) {
            return variables.get("links");
        } else if (expression.equals(REQUESTER)) {
            return variables.get("requester");
        } else if (expression.equals(ITEMS)) {
            return variables.get("items");
        }
        throw new ExpressionEvaluator.EvaluationException(expression, "not known to this test", null);
    };

    private final Engine engine = new Engine(EVALUATOR);

    @Test
    void shouldStartTheChildWithItsInputAndTakeItsOutputWhenItCompletes() {
        // given
        ProcessDefinition def = process(callActivity("publish", "mail", null, JOB_ONLY, Map.of("published", LINKS)),
                task("mail"));
        Transition started = engine.start(def, "i1", "JOB-7", Map.of("job", "J7", "secret", "s"), NOW);

        // when the hand-off of the call activity runs
        Transition entered = engine.apply(def, started.state(), new StepExecuted("publish", "t1", 1, Map.of()), NOW);

        // then it waits, and the child starts with the mapped variables only
        assertThat(entered.event()).isEqualTo(Intent.STEP_WAITING);
        assertThat(entered.effects()).containsExactly(new StartChild("publish", "t1", 1, "publication", null,
                Map.of("job", "J7")));
        assertThat(entered.state().status()).isEqualTo(InstanceStatus.WAITING);

        // when the child completes
        Transition done = engine.apply(def, entered.state(), new ChildEnded("publish", "t1", 1, "c1", true,
                Map.of("links", List.of("web"), "internal", 1)), NOW);

        // then only the output mapping comes back, and the path goes on
        assertThat(done.event()).isEqualTo(Intent.CHILD_COMPLETED);
        assertThat(done.state().variables()).containsEntry("published", List.of("web")).doesNotContainKey("internal");
        assertThat(done.effects()).containsExactly(new ExecuteStep("mail", "t2", 1, null));
    }

    @Test
    void shouldHandOverAndTakeBackEveryVariableWithoutMappings() {
        // given
        ProcessDefinition def = process(callActivity("publish", null, null, null, null));
        Transition started = engine.start(def, "i1", null, Map.of("job", "J7"), NOW);

        // when
        Transition entered = engine.apply(def, started.state(), new StepExecuted("publish", "t1", 1, Map.of()), NOW);
        Transition done = engine.apply(def, entered.state(), new ChildEnded("publish", "t1", 1, "c1", true,
                Map.of("job", "J7", "links", 2)), NOW);

        // then
        assertThat(((StartChild) entered.effects().get(0)).variables()).isEqualTo(Map.of("job", "J7"));
        assertThat(done.state().variables()).containsEntry("links", 2);
        assertThat(done.state().status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    void shouldRaiseAnIncidentWhenTheChildIsCancelledAndStartANewChildOnRetry() {
        // given
        ProcessDefinition def = process(callActivity("publish", null, null, null, Map.of()));
        Transition entered = enter(def);

        // when
        Transition cancelled = engine.apply(def, entered.state(), new ChildEnded("publish", "t1", 1, "c1", false,
                Map.of()), NOW);

        // then
        assertThat(cancelled.event()).isEqualTo(Intent.INCIDENT_RAISED);
        RaiseIncident incident = (RaiseIncident) cancelled.effects().get(0);
        assertThat(incident.failure().type()).isEqualTo(CallActivityStep.CANCELLED);
        assertThat(incident.failure().message()).contains("c1", "publication", "publish");
        assertThat(cancelled.state().status()).isEqualTo(InstanceStatus.FAILED);

        // when an operator retries: attempt 2 runs the hand-off again, which starts a second child
        Transition retried = engine.apply(def, cancelled.state(), new Event.IncidentRetried("publish", "t1", "op"), NOW);
        Transition again = engine.apply(def, retried.state(), new StepExecuted("publish", "t1", 2, Map.of()), NOW);

        // then
        assertThat(again.effects()).containsExactly(new StartChild("publish", "t1", 2, "publication", null, Map.of()));

        // and the first child's late news is stale
        Transition stale = engine.apply(def, again.state(), new ChildEnded("publish", "t1", 1, "c1", true,
                Map.of()), NOW);
        assertThat(stale.isIgnored()).isTrue();
    }

    @Test
    void shouldLetACatchTakeACancelledChild() {
        // given
        StepInfo info = new StepInfo("publish", "publish", null, null, null, 0, 0,
                List.of(new ErrorCatch(CallActivityStep.CANCELLED, "apologise")));
        ProcessDefinition def = process(new CallActivityStep(info, "publication", 3, null, Map.of()), task("apologise"));
        Transition entered = enter(def);

        // when
        Transition cancelled = engine.apply(def, entered.state(), new ChildEnded("publish", "t1", 1, "c1", false,
                Map.of()), NOW);

        // then
        assertThat(((StartChild) entered.effects().get(0)).version()).isEqualTo(3);
        assertThat(cancelled.event()).isEqualTo(Intent.ERROR_CAUGHT);
        assertThat(cancelled.effects()).containsExactly(new ExecuteStep("apologise", "t2", 1, null));
    }

    @Test
    void shouldCancelTheChildWhenTheDeadlinePassesOrTheCallerIsCancelled() {
        // given
        StepInfo info = new StepInfo("publish", "publish", null, null,
                new StepTimeout(Duration.ofHours(1), "late", true), 0, 0);
        ProcessDefinition def = process(new CallActivityStep(info, "publication", null, null, null), task("late"));
        Transition entered = enter(def);

        // when
        Transition late = engine.apply(def, entered.state(), new Event.TimeoutFired("publish", "t1"), NOW);
        Transition cancelled = engine.apply(def, entered.state(), new Event.Cancelled("op"), NOW);

        // then
        assertThat(late.effects()).contains(new CancelChild("publish", "t1", "deadline passed"),
                new ExecuteStep("late", "t2", 1, null));
        assertThat(cancelled.effects()).containsExactly(new CancelChild("publish", "t1", "instance cancelled"));
    }

    @Test
    void shouldAssignAHumanTaskToTheUserItsExpressionNames() {
        // given
        ProcessDefinition def = process(new HumanTaskStep(StepInfo.of("review", null), "Review", List.of(), null,
                false, REQUESTER));
        Transition started = engine.start(def, "i1", null, Map.of("requester", "max"), NOW);

        // when
        Transition waiting = engine.apply(def, started.state(), new StepExecuted("review", "t1", 1, Map.of()), NOW);

        // then
        assertThat(waiting.effects()).containsExactly(new CreateTask("review", "t1", "Review", List.of(), null, "max"));
    }

    @Test
    void shouldStartOneChildPerElementOfAMultiInstanceCallEachWithItsElement() {
        // given
        StepInfo info = StepInfo.of("publish", "mail").withMulti(new MultiInstance(ITEMS, "item", false, null, null,
                null));
        ProcessDefinition def = process(new CallActivityStep(info, "publication", null, null, Map.of()), task("mail"));
        Transition started = engine.start(def, "i1", null, Map.of("items", List.of("a", "b")), NOW);

        // when each instance's hand-off runs
        InstanceState state = started.state();
        List<StartChild> children = new java.util.ArrayList<>();
        for (Effect e : started.effects()) {
            ExecuteStep x = (ExecuteStep) e;
            Transition t = engine.apply(def, state, new StepExecuted(x.step(), x.token(), 1, Map.of()), NOW);
            t.effects().stream().filter(StartChild.class::isInstance).map(StartChild.class::cast).forEach(children::add);
            state = t.state();
        }

        // then each child gets its own element, and the caller goes on once both have completed
        assertThat(children).extracting(c -> c.variables().get("item")).containsExactly("a", "b");
        Transition first = engine.apply(def, state, new ChildEnded("publish", children.get(0).token(), 1, "c1", true,
                Map.of()), NOW);
        assertThat(first.effects()).isEmpty();
        Transition second = engine.apply(def, first.state(), new ChildEnded("publish", children.get(1).token(), 1,
                "c2", true, Map.of()), NOW);
        assertThat(second.effects()).extracting(e -> ((ExecuteStep) e).step()).containsExactly("mail");
    }

    @Test
    void shouldThrowAnErrorNoStepOfACalledInstanceCatchesToItsCaller() {
        // given: a called definition whose only path ends in an error, and a caller catching that error
        ProcessDefinition called = process(task("check"));
        ProcessDefinition calledThrowing = new ProcessDefinition("publication", 1, "publication", null, null,
                Expression.JSONATA, "check", RetryPolicy.DEFAULT, List.of(),
                List.of(new TaskStep(StepInfo.of("check", "reject"), Map.of()),
                        new dev.baton.model.definition.EndStep(StepInfo.of("reject", null), false, "REJECTED")));
        Transition child = engine.start(calledThrowing, "c1", null, Map.of(), NOW, true);

        // when the called instance reaches its error end
        Transition thrown = engine.apply(calledThrowing, child.state(), new StepExecuted("check", "t1", 1, Map.of()),
                NOW);

        // then it ends, and the error goes to its caller instead of an incident of its own
        assertThat(thrown.state().status()).isEqualTo(InstanceStatus.CANCELLED);
        assertThat(thrown.effects()).containsExactly(new Effect.ThrowToCaller("reject", "REJECTED"));

        // and an instance nobody called keeps the error in an incident of its own, as before
        Transition uncalled = engine.apply(calledThrowing, engine.start(calledThrowing, "c2", null, Map.of(), NOW)
                .state(), new StepExecuted("check", "t1", 1, Map.of()), NOW);
        assertThat(uncalled.state().status()).isEqualTo(InstanceStatus.FAILED);

        // when the caller hears of it: a catch of the code takes it, else an incident names it
        StepInfo catching = new StepInfo("publish", "publish", null, null, null, 0, 0,
                List.of(new ErrorCatch("REJECTED", "apologise")));
        ProcessDefinition caller = process(new CallActivityStep(catching, "publication", null, null, null),
                task("apologise"));
        ProcessDefinition notCatching = process(callActivity("publish", null, null, null, null));
        Transition caught = engine.apply(caller, enter(caller).state(), new ChildEnded("publish", "t1", 1, "c1", false,
                Map.of(), "REJECTED"), NOW);
        Transition incident = engine.apply(notCatching, enter(notCatching).state(), new ChildEnded("publish", "t1", 1,
                "c1", false, Map.of(), "REJECTED"), NOW);

        // then
        assertThat(called.id()).isEqualTo("jobs");
        assertThat(caught.event()).isEqualTo(Intent.ERROR_CAUGHT);
        assertThat(caught.effects()).containsExactly(new ExecuteStep("apologise", "t2", 1, null));
        assertThat(((RaiseIncident) incident.effects().get(0)).failure().type()).isEqualTo("REJECTED");
    }

    private Transition enter(ProcessDefinition def) {
        Transition started = engine.start(def, "i1", null, Map.of(), NOW);
        return engine.apply(def, started.state(), new StepExecuted("publish", "t1", 1, Map.of()), NOW);
    }

    private static CallActivityStep callActivity(String id, String next, Integer version, Expression input,
                                                 Map<String, Expression> output) {
        return new CallActivityStep(StepInfo.of(id, next), "publication", version, input, output);
    }

    private static TaskStep task(String id) {
        return new TaskStep(StepInfo.of(id, null), Map.of());
    }

    private static ProcessDefinition process(Step... steps) {
        return new ProcessDefinition("jobs", 1, "jobs", null, null, Expression.JSONATA, steps[0].id(),
                RetryPolicy.DEFAULT, List.of(), List.of(steps));
    }
}
