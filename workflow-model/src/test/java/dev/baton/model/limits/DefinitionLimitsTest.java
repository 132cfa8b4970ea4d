package dev.baton.model.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.baton.model.bpmn.BpmnBindings;
import dev.baton.model.bpmn.BpmnMessages;
import dev.baton.model.bpmn.BpmnReader;
import dev.baton.model.bpmn.BpmnWriter;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.Event;
import dev.baton.model.engine.ExpressionEvaluator;
import dev.baton.model.engine.Transition;
import dev.baton.model.parser.DefinitionReader;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.DefinitionValidator;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;
import dev.baton.model.validation.ValidationMessages;

/**
 * How large a definition may be, and that nothing walking one overflows the stack: a definition with
 * more steps than allowed has that one problem (and is not checked further); long chains, long choice
 * chains and deeply nested forks twice the default limit pass validation, routing and BPMN export and
 * import on a quarter of the default thread stack; a BPMN document nested deeper than the reader reads is refused. Text
 * fields longer than the hub stores are problems naming the field; values the engine computes longer
 * than it stores fail as an evaluation does.
 */
class DefinitionLimitsTest {

    private static final ConnectorCatalog NONE = ConnectorCatalog.of(Set.of());
    private static final int TWICE = 2 * DefinitionValidator.DEFAULT_MAX_STEPS;
    /**
     * A quarter of the JVM's default thread stack: recursion over steps overflows it within a few hundred
     * steps, so passing on it shows that nothing walking a definition recurses per step.
     */
    private static final long SMALL_STACK = 256 * 1024;

    @Test
    void aDefinitionWithMoreStepsThanAllowedHasThatOneProblemAndOneAtTheLimitIsValid() {
        DefinitionReader reader = new DefinitionReader(NONE, ExpressionChecker.NONE);

        DefinitionReader.Reading atLimit = reader.read(chain(DefinitionValidator.DEFAULT_MAX_STEPS));
        DefinitionReader.Reading above = reader.read(chain(DefinitionValidator.DEFAULT_MAX_STEPS + 1));

        assertThat(atLimit.problems()).isEmpty();
        assertThat(above.problems()).containsExactly(new Problem("definition",
                String.format(ValidationMessages.TOO_MANY_STEPS, 1000, 1001), 0));
    }

    @Test
    void stepsInsideSubProcessesCountAndTheLimitIsTheCallersToSet() {
        String yaml = """
                id: nested
                steps:
                  - id: outer
                    subprocess:
                      start: a
                      steps:
                        - {id: a, task: {}, next: b}
                        - {id: b, task: {}}
                """;

        assertThat(new DefinitionReader(NONE, ExpressionChecker.NONE, 3).read(yaml).problems()).isEmpty();
        assertThat(new DefinitionReader(NONE, ExpressionChecker.NONE, 2).read(yaml).problems()).extracting(Problem::message)
                .containsExactly(String.format(ValidationMessages.TOO_MANY_STEPS, 2, 3));
    }

    @Test
    void longChainsOfTasksAndChoicesAndDeepForksValidateRouteAndExportOnASmallStack() throws Exception {
        for (String yaml : new String[] {chain(TWICE), choices(TWICE), nestedForks(TWICE / 4)}) {
            onASmallStack(() -> {
                DefinitionReader.Reading reading = new DefinitionReader(NONE, ExpressionChecker.NONE, TWICE).read(yaml);
                assertThat(reading.problems()).isEmpty();
                ProcessDefinition def = reading.definition().withVersion(1);

                Transition started = engine().start(def, "i-1", null, Map.of(), Instant.EPOCH);
                String xml = new BpmnWriter().write(def);
                BpmnReader bpmn = new BpmnReader(NONE, ExpressionChecker.NONE, BpmnBindings.NONE, TWICE);

                assertThat(started.effects()).isNotEmpty();
                assertThat(bpmn.read(xml.getBytes(StandardCharsets.UTF_8)).problems()).isEmpty();
            });
        }
    }

    @Test
    void aBpmnDocumentNestedDeeperThanTheReaderReadsIsRefusedNotOverflowed() {
        StringBuilder xml = new StringBuilder("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">"
                + "<process id=\"deep\" isExecutable=\"true\">");
        for (int i = 0; i < 5000; i++) {
            xml.append("<subProcess id=\"s").append(i).append("\">");
        }
        xml.append("</subProcess>".repeat(5000)).append("</process></definitions>");

        var reading = new BpmnReader(NONE, ExpressionChecker.NONE).read(xml.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo(String.format(BpmnMessages.TOO_DEEP, 64, 1)));
    }

    @Test
    void textsLongerThanTheHubStoresAreProblemsNamingTheirField() {
        String yaml = """
                id: %s
                name: %s
                steps:
                  - id: %s
                    task: {}
                    next: approve
                  - id: approve
                    human: {title: %s, roles: [%s]}
                    next: listen
                  - id: listen
                    wait: {message: %s}
                    next: fail
                  - id: fail
                    end: {error: %s}
                """.formatted("d".repeat(101), "n".repeat(201), "s".repeat(101), "t".repeat(301),
                "r".repeat(1001), "m".repeat(251), "e".repeat(101));

        var problems = new DefinitionReader(NONE, ExpressionChecker.NONE).read(yaml).problems();

        assertThat(problems).extracting(Problem::message).contains(
                String.format(ValidationMessages.TOO_LONG, "the definition's id", 100, 101),
                String.format(ValidationMessages.TOO_LONG, "the definition's name", 200, 201),
                String.format(ValidationMessages.TOO_LONG, "the id of step 1", 100, 101),
                String.format(ValidationMessages.TOO_LONG, "the title of human task 'approve'", 300, 301),
                String.format(ValidationMessages.TOO_LONG, "the candidate roles of human task 'approve', joined by"
                        + " commas,", 1000, 1001),
                String.format(ValidationMessages.TOO_LONG, "the message of wait step 'listen'", 250, 251),
                String.format(ValidationMessages.TOO_LONG, "the error of end step 'fail'", 100, 101));
        assertThat(problems).filteredOn(p -> p.message().contains("id of step 1")).extracting(Problem::element)
                .containsExactly("step 1");
    }

    @Test
    void textsAtTheLimitAreValid() {
        String yaml = """
                id: %s
                steps:
                  - id: %s
                    human: {title: %s, roles: [approver]}
                """.formatted("d".repeat(TextLimits.ID), "s".repeat(TextLimits.ID), "t".repeat(TextLimits.TITLE));

        assertThat(new DefinitionReader(NONE, ExpressionChecker.NONE).read(yaml).problems()).isEmpty();
    }

    @Test
    void aCorrelationKeyOrAssigneeLongerThanTheHubStoresFailsAsAnEvaluationDoes() {
        DefinitionReader reader = new DefinitionReader(NONE, ExpressionChecker.NONE);
        ProcessDefinition waits = reader.read("""
                id: waits
                steps:
                  - id: listen
                    wait: {message: paid, key: "orderId"}
                """).definition().withVersion(1);
        ProcessDefinition assigns = reader.read("""
                id: assigns
                steps:
                  - id: approve
                    human: {assignee: "owner"}
                """).definition().withVersion(1);

        assertThatThrownBy(() -> reach(waits, "listen", Map.of("orderId", "k".repeat(251))))
                .isInstanceOf(ExpressionEvaluator.EvaluationException.class)
                .hasMessageContaining("a correlation key of 251 characters, but at most 250 are kept");
        assertThatThrownBy(() -> reach(assigns, "approve", Map.of("owner", "o".repeat(251))))
                .isInstanceOf(ExpressionEvaluator.EvaluationException.class)
                .hasMessageContaining("an assignee of 251 characters, but at most 250 are kept");
        assertThat(reach(waits, "listen", Map.of("orderId", "k".repeat(250))).effects()).anySatisfy(e -> assertThat(e)
                .isInstanceOf(dev.baton.model.engine.Effect.Subscribe.class));
    }

    /** Starts an instance and runs its first step, one that waits (for a message, for a person). */
    private static Transition reach(ProcessDefinition def, String step, Map<String, Object> variables) {
        Transition started = engine().start(def, "i-1", null, variables, Instant.EPOCH);
        return engine().apply(def, started.state(), new Event.StepExecuted(step, "t1", 1, Map.of()), Instant.EPOCH);
    }

    /** Runs the check on a thread with {@link #SMALL_STACK}; rethrows what it threw. */
    private static void onASmallStack(Runnable check) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                check.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "small-stack", SMALL_STACK);
        thread.start();
        thread.join();
        if (failure[0] instanceof Error e) {
            throw e;
        } else if (failure[0] instanceof Exception e) {
            throw e;
        }
    }

    /** Reads a variable by name; choices' conditions are {@code "true"}. */
    private static Engine engine() {
        return new Engine((expression, context) -> expression.text().equals("true") ? Boolean.TRUE
                : ((Map<?, ?>) context).get(expression.text()));
    }

    private static String chain(int steps) {
        StringBuilder b = new StringBuilder("id: chain\nsteps:\n");
        for (int i = 0; i < steps; i++) {
            b.append("  - {id: s").append(i).append(", task: {}").append(i + 1 < steps ? ", next: s" + (i + 1) : "")
                    .append("}\n");
        }
        return b.toString();
    }

    /** Routing steps one after the other, with a task every 500 so that routing stays within its hop bound. */
    private static String choices(int steps) {
        StringBuilder b = new StringBuilder("id: choices\nsteps:\n");
        for (int i = 0; i < steps; i++) {
            String next = i + 1 < steps ? "s" + (i + 1) : null;
            if (i % 500 == 499 || next == null) {
                b.append("  - {id: s").append(i).append(", task: {}").append(next == null ? "" : ", next: " + next)
                        .append("}\n");
            } else {
                b.append("  - {id: s").append(i).append(", choice: [{when: \"true\", next: ").append(next)
                        .append("}, {otherwise: ").append(next).append("}]}\n");
            }
        }
        return b.toString();
    }

    /**
     * Forks nested {@code depth} deep, four steps a level: each fork's branches are a task leading to the next
     * fork and a task leading to the fork's join, which leads to the join of the fork around it.
     */
    private static String nestedForks(int depth) {
        StringBuilder b = new StringBuilder("id: forks\nsteps:\n");
        for (int i = 0; i < depth; i++) {
            String inner = i + 1 < depth ? "p" + (i + 1) : "j" + i;
            b.append("  - {id: p").append(i).append(", parallel: [t").append(i).append(", x").append(i).append("]}\n");
            b.append("  - {id: t").append(i).append(", task: {}, next: ").append(inner).append("}\n");
            b.append("  - {id: x").append(i).append(", task: {}, next: j").append(i).append("}\n");
            b.append("  - {id: j").append(i).append(", join: {}").append(i > 0 ? ", next: j" + (i - 1) : "")
                    .append("}\n");
        }
        return b.toString();
    }
}
