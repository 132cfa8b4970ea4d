package dev.baton.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.Effect.CloseTask;
import dev.baton.model.engine.Effect.CreateTask;
import dev.baton.model.engine.Effect.ExecuteStep;
import dev.baton.model.engine.Effect.RaiseIncident;
import dev.baton.model.engine.Effect.ScheduleTimer;
import dev.baton.model.engine.Effect.Subscribe;
import dev.baton.model.engine.Event.IncidentRetried;
import dev.baton.model.engine.Event.MessageCorrelated;
import dev.baton.model.engine.Event.StepExecuted;
import dev.baton.model.engine.Event.StepFailed;
import dev.baton.model.engine.Event.TaskCompleted;
import dev.baton.model.engine.Event.TimeoutFired;
import dev.baton.model.parser.YamlDefinitionParser;

/**
 * Multi-instance steps (BPMN's multi-instance loop characteristics) on the decision function: one instance
 * per element, parallel or sequential, each seeing its element and {@code loopCounter} as its own variables,
 * results collected in collection order, the completion condition, and a timeout or catch on the whole.
 */
class MultiInstanceEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    private static final Pattern COMPARISON = Pattern.compile("([\\w.]+) (>=|>|=) (\\d+)");
    private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    /** Evaluates variable paths ({@code order.lines}) and comparisons with a number, as JSONata would. */
    private static final ExpressionEvaluator EVALUATOR = (expression, context) -> {
        Matcher m = COMPARISON.matcher(expression.text());
        if (m.matches()) {
            double left = ((Number) path(m.group(1), context)).doubleValue();
            double right = Double.parseDouble(m.group(3));
            return switch (m.group(2)) {
                case ">=" -> left >= right;
                case ">" -> left > right;
                default -> left == right;
            };
        }
        if (!PATH.matcher(expression.text()).matches()) {
            throw new ExpressionEvaluator.EvaluationException(expression, "not known to this test", null);
        }
        return path(expression.text(), context);
    };

    private static Object path(String path, Object context) {
        Object at = context;
        for (String name : path.split("\\.")) {
            at = at instanceof Map<?, ?> map ? map.get(name) : null;
        }
        return at;
    }

    private final Engine engine = new Engine(EVALUATOR);

    private static final List<Object> LINES = List.of(Map.of("sku", "A", "qty", 1), Map.of("sku", "B", "qty", 2),
            Map.of("sku", "C", "qty", 3));

    @Test
    void shouldStartOneInstancePerElementAtOnceAndContinueOnceAfterTheLast() {
        // given
        ProcessDefinition def = definition("""
                id: ship-order
                steps:
                  - id: ship
                    call: http.post
                    multi: {over: order.lines, as: line, collect: shipped, result: shipment}
                    next: invoice
                  - {id: invoice, task: {}}
                """);

        // when
        Transition started = engine.start(def, "i1", null, Map.of("order", Map.of("lines", LINES)), NOW);

        // then every instance is queued at once, each a token of its own beside the body t1
        assertThat(started.effects()).containsExactly(new ExecuteStep("ship", "t2", 1, null),
                new ExecuteStep("ship", "t3", 1, null), new ExecuteStep("ship", "t4", 1, null));
        InstanceState s = started.state();
        assertThat(s.variablesFor("t3")).containsEntry("line", LINES.get(1)).containsEntry("loopCounter", 2)
                .containsEntry("nrOfInstances", 3).containsEntry("nrOfActiveInstances", 3)
                .containsEntry("nrOfCompletedInstances", 0);
        assertThat(s.variables()).doesNotContainKeys("line", "loopCounter");
        assertThat(s.variablesFor("t1")).doesNotContainKey("line");

        // when the instances complete out of order
        Transition third = engine.apply(def, s, new StepExecuted("ship", "t4", 1, Map.of("shipment", "S-C")), NOW);
        Transition first = engine.apply(def, third.state(), new StepExecuted("ship", "t2", 1, Map.of("shipment", "S-A")),
                NOW);

        // then nothing continues before the last one
        assertThat(third.effects()).isEmpty();
        assertThat(first.effects()).isEmpty();
        assertThat(first.state().variablesFor("t3")).containsEntry("nrOfCompletedInstances", 2)
                .containsEntry("nrOfActiveInstances", 1);

        // when
        Transition last = engine.apply(def, first.state(), new StepExecuted("ship", "t3", 1, Map.of("shipment", "S-B")),
                NOW);

        // then the results are in collection order and the path continues once
        assertThat(last.effects()).containsExactly(new ExecuteStep("invoice", "t5", 1, null));
        assertThat(last.state().variables()).containsEntry("shipped", List.of("S-A", "S-B", "S-C"));
        assertThat(last.state().tokens()).containsOnlyKeys("t5");
        assertThat(last.state().locals()).isEmpty();
        assertThat(last.state().loops()).isEmpty();
    }

    @Test
    void shouldRunSequentialInstancesOneAfterTheOtherInOrder() {
        // given
        ProcessDefinition def = definition("""
                id: ship-order
                steps:
                  - id: ship
                    task: {}
                    multi: {over: order.lines, as: line, sequential: true, collect: skus, result: line.sku}
                    next: invoice
                  - {id: invoice, task: {}}
                """);
        List<Object> seen = new ArrayList<>();

        // when
        Transition t = engine.start(def, "i1", null, Map.of("order", Map.of("lines", LINES)), NOW);
        while (!t.effects().isEmpty() && t.effects().get(0) instanceof ExecuteStep x && x.step().equals("ship")) {
            assertThat(t.effects()).hasSize(1); // one at a time
            seen.add(t.state().variablesFor(x.token()).get("line"));
            assertThat(t.state().variablesFor(x.token())).containsEntry("loopCounter", seen.size());
            t = engine.apply(def, t.state(), new StepExecuted("ship", x.token(), 1, Map.of()), NOW);
        }

        // then
        assertThat(seen).containsExactlyElementsOf(LINES);
        assertThat(t.effects()).containsExactly(new ExecuteStep("invoice", "t5", 1, null));
        assertThat(t.state().variables()).containsEntry("skus", List.of("A", "B", "C"));
    }

    @Test
    void shouldPassTheStepForAnEmptyCollection() {
        // given
        ProcessDefinition def = definition("""
                id: ship-order
                steps:
                  - {id: ship, task: {}, multi: {over: order.lines, collect: shipped}, next: invoice}
                  - {id: invoice, task: {}}
                """);

        // when
        Transition started = engine.start(def, "i1", null, Map.of("order", Map.of("lines", List.of())), NOW);

        // then
        assertThat(started.effects()).containsExactly(new ExecuteStep("invoice", "t1", 1, null));
        assertThat(started.state().variables()).containsEntry("shipped", List.of());
    }

    @Test
    void shouldRaiseAnIncidentWithTheLimitCodeWhenTheCollectionsEvaluationReachesABound() {
        // given: an evaluator that stops the collection's evaluation at one of its bounds
        ExpressionEvaluator bounded = (expression, context) -> {
            throw new ExpressionEvaluator.LimitExceeded(expression, "the evaluation ran longer than its time limit",
                    null);
        };
        ProcessDefinition def = definition("""
                id: ship-order
                steps:
                  - {id: ship, task: {}, multi: {over: order.lines}}
                """);

        // when
        Transition started = new Engine(bounded).start(def, "i1", null, Map.of("order", Map.of()), NOW);

        // then
        assertThat(started.state().status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(started.effects()).singleElement().isInstanceOfSatisfying(RaiseIncident.class, r -> {
            assertThat(r.step()).isEqualTo("ship");
            assertThat(r.failure().type()).isEqualTo(ExpressionEvaluator.LIMIT_EXCEEDED);
            assertThat(r.failure().retryable()).isFalse();
            assertThat(r.failure().message()).isEqualTo("Could not evaluate the collection of multi-instance step"
                    + " 'ship': Could not evaluate jsonata expression 'order.lines': BATON-EXPR-002 the evaluation"
                    + " ran longer than its time limit");
        });
    }

    @Test
    void shouldRaiseAnIncidentNamingTheStepAndTypeWhenTheCollectionIsNoArray() {
        // given
        ProcessDefinition def = definition("""
                id: ship-order
                steps:
                  - {id: ship, task: {}, multi: {over: order.lines}, next: invoice}
                  - {id: invoice, task: {}}
                """);

        // when
        Transition started = engine.start(def, "i1", null, Map.of("order", Map.of("lines", Map.of("sku", "A"))), NOW);

        // then
        assertThat(started.state().status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(started.effects()).singleElement().isInstanceOfSatisfying(RaiseIncident.class, r -> {
            assertThat(r.step()).isEqualTo("ship");
            assertThat(r.failure().type()).isEqualTo(Engine.NOT_A_COLLECTION);
            assertThat(r.failure().message()).isEqualTo("Expected the collection of multi-instance step 'ship'"
                    + " (order.lines) to be a JSON array, but it is an object");
        });

        // when retried, the collection is evaluated again
        Transition retried = engine.apply(def, started.state(), new IncidentRetried("ship", "t1", "ops"), NOW);

        // then
        assertThat(retried.event()).isEqualTo(Intent.INCIDENT_RETRIED);
        assertThat(retried.effects()).singleElement().isInstanceOf(RaiseIncident.class);
        assertThat(retried.state().tokens()).containsOnlyKeys("t2");
    }

    @Test
    void shouldCancelTheOtherInstancesWhenTheCompletionConditionHolds() {
        // given
        ProcessDefinition def = definition("""
                id: approvals
                steps:
                  - id: approve
                    human: {roles: [board]}
                    multi: {over: members, as: member, collect: votes, result: vote, until: "nrOfCompletedInstances >= 2"}
                    next: decide
                  - {id: decide, task: {}}
                """);
        Transition started = engine.start(def, "i1", null, Map.of("members", List.of("ann", "bob", "cyd")), NOW);
        InstanceState s = started.state();
        for (String token : List.of("t2", "t3", "t4")) {
            Transition t = engine.apply(def, s, new StepExecuted("approve", token, 1, Map.of()), NOW);
            assertThat(t.effects()).singleElement().isInstanceOf(CreateTask.class);
            s = t.state();
        }

        // when two of three complete
        Transition one = engine.apply(def, s, new TaskCompleted("approve", "t3", Map.of("vote", "yes"), "bob"), NOW);
        Transition two = engine.apply(def, one.state(), new TaskCompleted("approve", "t2", Map.of("vote", "no"), "ann"),
                NOW);

        // then the third task is withdrawn and the path continues once
        assertThat(one.effects()).containsExactly(new CloseTask("approve", "t3", "completed"));
        assertThat(two.effects()).containsExactly(new CloseTask("approve", "t2", "completed"),
                new CloseTask("approve", "t4", "completion condition of 'approve' met"),
                new ExecuteStep("decide", "t5", 1, null));
        List<Object> votes = new ArrayList<>();
        votes.add("no");
        votes.add("yes");
        votes.add(null);
        assertThat(two.state().variables().get("votes")).isEqualTo(votes);
        assertThat(two.state().tokens()).containsOnlyKeys("t5");
    }

    @Test
    void shouldCancelEveryInstanceWhenAnInterruptingTimeoutPasses() {
        // given
        ProcessDefinition def = definition("""
                id: approvals
                steps:
                  - id: approve
                    human: {roles: [board]}
                    multi: {over: members}
                    timeout: {after: PT1H, next: escalate}
                    next: decide
                  - {id: escalate, task: {}}
                  - {id: decide, task: {}}
                """);
        Transition started = engine.start(def, "i1", null, Map.of("members", List.of("ann", "bob")), NOW);
        // one deadline, for the whole step
        assertThat(started.effects()).containsExactly(
                new ScheduleTimer("approve", "t1", NOW.plusSeconds(3600), Intent.ESCALATE_STEP),
                new ExecuteStep("approve", "t2", 1, null), new ExecuteStep("approve", "t3", 1, null));
        InstanceState s = engine.apply(def, started.state(), new StepExecuted("approve", "t2", 1, Map.of()), NOW).state();
        s = engine.apply(def, s, new StepExecuted("approve", "t3", 1, Map.of()), NOW).state();

        // when
        Transition late = engine.apply(def, s, new TimeoutFired("approve", "t1"), NOW);

        // then
        assertThat(late.effects()).containsExactly(new CloseTask("approve", "t2", "deadline of 'approve' passed"),
                new CloseTask("approve", "t3", "deadline of 'approve' passed"), new ExecuteStep("escalate", "t4", 1, null));
        assertThat(late.state().tokens()).containsOnlyKeys("t4");
        assertThat(late.state().locals()).isEmpty();
        assertThat(late.state().loops()).isEmpty();
    }

    @Test
    void shouldTakeTheStepsCatchForTheWholeWhenOneInstanceFails() {
        // given
        ProcessDefinition def = definition("""
                id: ship-order
                steps:
                  - id: ship
                    call: http.post
                    retry: {attempts: 1}
                    multi: {over: order.lines}
                    catch: [{error: BATON-HTTP-404, next: handle}]
                    next: invoice
                  - {id: handle, task: {}}
                  - {id: invoice, task: {}}
                """);
        Transition started = engine.start(def, "i1", null, Map.of("order", Map.of("lines", LINES)), NOW);

        // when
        Transition failed = engine.apply(def, started.state(), new StepFailed("ship", "t3", 1,
                dev.baton.model.engine.Failure.permanent("BATON-HTTP-404", "no such sku")), NOW);

        // then
        assertThat(failed.event()).isEqualTo(Intent.ERROR_CAUGHT);
        assertThat(failed.effects()).containsExactly(new ExecuteStep("handle", "t5", 1, null));
        assertThat(failed.state().tokens()).containsOnlyKeys("t5");
        // the other instances' commands find their tokens gone
        assertThat(engine.apply(def, failed.state(), new StepExecuted("ship", "t2", 1, Map.of()), NOW).isIgnored())
                .isTrue();
    }

    @Test
    void shouldLetEveryStepInsideASubprocessInstanceSeeItsElement() {
        // given a sub-process per line, whose choice and correlation key read the line
        ProcessDefinition def = definition("""
                id: lines
                steps:
                  - id: each
                    subprocess:
                      steps:
                        - id: route
                          choice:
                            - {when: "line.qty >= 2", next: await}
                            - otherwise: small
                        - {id: small, task: {}}
                        - {id: await, wait: {message: line.packed, key: line.sku}}
                    multi: {over: order.lines, as: line, collect: done, result: loopCounter}
                    next: invoice
                  - {id: invoice, task: {}}
                """);
        Transition started = engine.start(def, "i1", null, Map.of("order", Map.of("lines", LINES)), NOW);
        InstanceState s = started.state();
        List<Effect> effects = new ArrayList<>();

        // when each instance is entered
        s = enterEach(def, s, effects, "t2", "t3", "t4");

        // then line A takes the small path, B and C wait for their own message
        assertThat(effects).containsExactly(new ExecuteStep("small", "t5", 1, null),
                new ExecuteStep("await", "t6", 1, null), new ExecuteStep("await", "t7", 1, null));
        Transition b = engine.apply(def, s, new StepExecuted("await", "t6", 1, Map.of()), NOW);
        Transition c = engine.apply(def, b.state(), new StepExecuted("await", "t7", 1, Map.of()), NOW);
        assertThat(b.effects()).containsExactly(new Subscribe("await", "t6", "line.packed", "B"));
        assertThat(c.effects()).containsExactly(new Subscribe("await", "t7", "line.packed", "C"));
        s = c.state();

        // when
        s = engine.apply(def, s, new StepExecuted("small", "t5", 1, Map.of()), NOW).state();
        s = engine.apply(def, s, new MessageCorrelated("await", "t7", Map.of()), NOW).state();
        Transition last = engine.apply(def, s, new MessageCorrelated("await", "t6", Map.of()), NOW);

        // then
        assertThat(last.effects()).contains(new ExecuteStep("invoice", "t8", 1, null));
        assertThat(last.state().variables()).containsEntry("done", List.of(1, 2, 3));
        assertThat(last.state().tokens()).containsOnlyKeys("t8");
    }

    @Test
    void shouldLetAnInclusiveSplitInsideASubprocessInstanceSeeItsElement() {
        // given a sub-process per line whose inclusive split reads the line
        ProcessDefinition def = definition("""
                id: lines
                steps:
                  - id: each
                    subprocess:
                      steps:
                        - id: route
                          inclusive:
                            - {when: "line.qty >= 2", next: pick}
                            - {when: "line.qty >= 3", next: crate}
                            - otherwise: post
                        - {id: pick, task: {}, next: merge}
                        - {id: crate, task: {}, next: merge}
                        - {id: post, task: {}, next: merge}
                        - {id: merge, join: {}}
                    multi: {over: order.lines, as: line}
                    next: invoice
                  - {id: invoice, task: {}}
                """);
        InstanceState s = engine.start(def, "i1", null, Map.of("order", Map.of("lines", LINES)), NOW).state();
        List<Effect> effects = new ArrayList<>();

        // when each instance is entered
        s = enterEach(def, s, effects, "t2", "t3", "t4");

        // then each line takes the branches its own quantity selects: A (1) the default, B (2) one, C (3) two
        assertThat(effects).extracting(e -> ((ExecuteStep) e).step())
                .containsExactly("post", "pick", "pick", "crate");
    }

    @Test
    void shouldKeyAMessageBoundaryInsideASubprocessInstanceByItsElement() {
        // given a sub-process per line whose task a cancellation of that line interrupts
        ProcessDefinition def = definition("""
                id: lines
                steps:
                  - id: each
                    subprocess:
                      steps:
                        - id: pack
                          task: {}
                          messages: [{message: line.cancelled, key: line.sku, next: drop}]
                        - {id: drop, task: {}}
                    multi: {over: order.lines, as: line}
                    next: invoice
                  - {id: invoice, task: {}}
                """);
        InstanceState s = engine.start(def, "i1", null, Map.of("order", Map.of("lines", LINES)), NOW).state();
        List<Effect> effects = new ArrayList<>();

        // when each instance is entered
        s = enterEach(def, s, effects, "t2", "t3", "t4");

        // then each instance's task listens for the cancellation of its own line
        assertThat(effects).filteredOn(Subscribe.class::isInstance).extracting(e -> ((Subscribe) e).key())
                .containsExactly("A", "B", "C");
    }

    @Test
    void shouldRunNestedLoopsOverTheOuterElement() {
        // given
        ProcessDefinition def = definition("""
                id: nested
                steps:
                  - id: per-order
                    subprocess:
                      steps:
                        - {id: per-line, task: {}, multi: {over: order.lines, as: line, collect: skus, result: line.sku}}
                    multi: {over: orders, as: order}
                """);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("orders", List.of(Map.of("lines", List.of(Map.of("sku", "A"))),
                Map.of("lines", List.of(Map.of("sku", "B"), Map.of("sku", "C")))));
        Transition t = engine.start(def, "i1", null, vars, NOW);

        // when both orders are entered
        t = engine.apply(def, t.state(), new StepExecuted("per-order", "t2", 1, Map.of()), NOW);
        String firstLine = ((ExecuteStep) t.effects().get(0)).token();
        t = engine.apply(def, t.state(), new StepExecuted("per-order", "t3", 1, Map.of()), NOW);

        // then each order's lines are its own
        assertThat(t.effects()).hasSize(2);
        assertThat(t.effects()).allSatisfy(e -> assertThat(e).isInstanceOf(ExecuteStep.class));
        InstanceState s = t.state();
        assertThat(s.variablesFor(firstLine).get("line")).isEqualTo(Map.of("sku", "A"));
        assertThat(s.variablesFor(((ExecuteStep) t.effects().get(1)).token()).get("line")).isEqualTo(Map.of("sku", "C"));
        assertThat(s.variablesFor(((ExecuteStep) t.effects().get(1)).token()).get("loopCounter")).isEqualTo(2);
    }

    private static ProcessDefinition definition(String yaml) {
        YamlDefinitionParser.ParseResult parsed = new YamlDefinitionParser().parse(yaml);
        assertThat(parsed.problems()).isEmpty();
        return parsed.definition();
    }

    /** Completes step {@code each} for every token (entering its instance), collecting the effects; the state after. */
    private InstanceState enterEach(ProcessDefinition def, InstanceState s, List<Effect> effects, String... tokens) {
        for (String token : tokens) {
            Transition t = engine.apply(def, s, new StepExecuted("each", token, 1, Map.of()), NOW);
            effects.addAll(t.effects());
            s = t.state();
        }
        return s;
    }
}
