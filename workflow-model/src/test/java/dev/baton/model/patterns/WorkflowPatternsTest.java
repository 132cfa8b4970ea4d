package dev.baton.model.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.baton.model.bpmn.BpmnReader;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.Effect;
import dev.baton.model.engine.Engine;
import dev.baton.model.engine.Event;
import dev.baton.model.engine.ExpressionEvaluator;
import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.InstanceStatus;
import dev.baton.model.engine.Transition;
import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.parser.YamlDefinitionParser;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.ExpressionChecker;

/**
 * The original control-flow patterns (van der Aalst, ter Hofstede, Kiepuszewski, Barros, 2003) that Baton
 * executes, each run on the decision function from a definition in the YAML DSL. A small runtime below
 * plays the hub's part: it runs every execute command in the order the engine emits them and records the
 * steps executed, so each test states the order of hand-offs the pattern demands. The table of
 * patterns in docs/process-language.md names these tests.
 */
class WorkflowPatternsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    @DisplayName("WCP-1 Sequence")
    void sequence() {
        Run run = Run.of("""
                id: wcp1
                steps:
                  - {id: a, task: {}, next: b}
                  - {id: b, task: {}, next: c}
                  - {id: c, task: {}}
                """).start(Map.of());
        assertThat(run.executed).containsExactly("a", "b", "c");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-2 Parallel Split and WCP-3 Synchronization")
    void parallelSplitAndSynchronization() {
        Run run = Run.of("""
                id: wcp2
                steps:
                  - {id: split, parallel: [a, b, c]}
                  - {id: a, task: {}, next: merge}
                  - {id: b, task: {}, next: merge}
                  - {id: c, task: {}, next: merge}
                  - {id: merge, join: {}, next: after}
                  - {id: after, task: {}}
                """);
        run.start(Map.of(), false);
        // all three branches are enabled at once, before any of them runs
        assertThat(run.queued()).containsExactly("a", "b", "c");
        run.step(); // a
        run.step(); // b
        assertThat(run.queued()).containsExactly("c"); // 'after' waits for the third branch
        run.drain();
        assertThat(run.executed).containsExactly("a", "b", "c", "after");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-4 Exclusive Choice and WCP-5 Simple Merge")
    void exclusiveChoiceAndSimpleMerge() {
        String yaml = """
                id: wcp4
                steps:
                  - id: decide
                    choice:
                      - {when: "amount > 100", next: big}
                      - otherwise: small
                  - {id: big, task: {}, next: book}
                  - {id: small, task: {}, next: book}
                  - {id: book, task: {}}
                """;
        assertThat(Run.of(yaml).start(Map.of("amount", 500)).executed).containsExactly("big", "book");
        assertThat(Run.of(yaml).start(Map.of("amount", 50)).executed).containsExactly("small", "book");
    }

    @Test
    @DisplayName("WCP-6 Multi-Choice")
    void multiChoice() {
        // every branch whose condition holds starts; none holding takes the default alone
        String yaml = """
                id: wcp6
                steps:
                  - id: notify
                    inclusive:
                      - {when: "email = 1", next: send-email}
                      - {when: "sms = 1", next: send-sms}
                      - otherwise: log
                  - {id: send-email, task: {}, next: merge}
                  - {id: send-sms, task: {}, next: merge}
                  - {id: log, task: {}, next: merge}
                  - {id: merge, join: {}}
                """;
        Run both = Run.of(yaml).start(Map.of("email", 1, "sms", 1), false);
        assertThat(both.queued()).containsExactly("send-email", "send-sms");
        both.drain();
        assertThat(both.executed).containsExactly("send-email", "send-sms");
        assertThat(Run.of(yaml).start(Map.of("email", 0, "sms", 1)).executed).containsExactly("send-sms");
        assertThat(Run.of(yaml).start(Map.of("email", 0, "sms", 0)).executed).containsExactly("log");
        assertThat(both.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-7 Structured Synchronizing Merge")
    void structuredSynchronizingMerge() {
        // the join waits for exactly the branches the inclusive split started: two here, not three
        String yaml = """
                id: wcp7
                steps:
                  - id: notify
                    inclusive:
                      - {when: "email = 1", next: send-email}
                      - {when: "sms = 1", next: send-sms}
                      - {when: "post = 1", next: send-post}
                  - {id: send-email, task: {}, next: merge}
                  - {id: send-sms, task: {}, next: merge}
                  - {id: send-post, task: {}, next: merge}
                  - {id: merge, join: {}, next: archive}
                  - {id: archive, task: {}}
                """;
        Run two = Run.of(yaml).start(Map.of("email", 1, "sms", 0, "post", 1), false);
        two.step(); // send-email
        assertThat(two.queued()).containsExactly("send-post"); // 'archive' waits for the second branch taken
        two.drain();
        assertThat(two.executed).containsExactly("send-email", "send-post", "archive");
        assertThat(two.status()).isEqualTo(InstanceStatus.COMPLETED);

        Run one = Run.of(yaml).start(Map.of("email", 0, "sms", 1, "post", 0));
        assertThat(one.executed).containsExactly("send-sms", "archive");
        assertThat(one.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-9 Structured Discriminator")
    void structuredDiscriminator() {
        // three quotes are asked for; the first to arrive is taken, the later ones end at the join
        Run run = Run.of("""
                id: wcp9
                steps:
                  - {id: ask, parallel: [quote-a, quote-b, quote-c]}
                  - {id: quote-a, task: {}, next: first}
                  - {id: quote-b, task: {}, next: first}
                  - {id: quote-c, task: {}, next: first}
                  - {id: first, join: {first: true}, next: order}
                  - {id: order, task: {}, next: again}
                  - id: again
                    choice:
                      - {when: "rounds < 2", next: ask}
                      - otherwise: done
                  - {id: done, task: {}}
                """).work("order", v -> Map.of("rounds", ((Number) v.get("rounds")).intValue() + 1));
        run.start(Map.of("rounds", 0), false);
        run.step(); // quote-a
        assertThat(run.queued()).containsExactly("quote-b", "quote-c", "order"); // on at the first arrival
        run.step(); // quote-b: swallowed
        run.step(); // quote-c: swallowed, the join is reset
        assertThat(run.queued()).containsExactly("order");
        run.drain(); // order, then a second round through the same fork and join, then done
        assertThat(run.executed).containsExactly("quote-a", "quote-b", "quote-c", "order",
                "quote-a", "quote-b", "quote-c", "order", "done");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-6 Multi-Choice and WCP-7 Structured Synchronizing Merge, from a BPMN inclusive gateway")
    void multiChoiceFromBpmn() {
        // a modeler's inclusive gateway pair, with JUEL conditions and a default flow
        String bpmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
                  <process id="wcp6-bpmn" isExecutable="true">
                    <startEvent id="s"/>
                    <sequenceFlow id="f0" sourceRef="s" targetRef="how"/>
                    <inclusiveGateway id="how" default="f3"/>
                    <sequenceFlow id="f1" sourceRef="how" targetRef="email">
                      <conditionExpression>${email == 1}</conditionExpression>
                    </sequenceFlow>
                    <sequenceFlow id="f2" sourceRef="how" targetRef="sms">
                      <conditionExpression>${sms == 1}</conditionExpression>
                    </sequenceFlow>
                    <sequenceFlow id="f3" sourceRef="how" targetRef="log"/>
                    <task id="email"/>
                    <task id="sms"/>
                    <task id="log"/>
                    <sequenceFlow id="f4" sourceRef="email" targetRef="merged"/>
                    <sequenceFlow id="f5" sourceRef="sms" targetRef="merged"/>
                    <sequenceFlow id="f6" sourceRef="log" targetRef="merged"/>
                    <inclusiveGateway id="merged"/>
                    <sequenceFlow id="f7" sourceRef="merged" targetRef="archive"/>
                    <task id="archive"/>
                  </process>
                </definitions>
                """;
        Reading reading = new BpmnReader(ConnectorCatalog.of(Set.of()), ExpressionChecker.NONE)
                .read(bpmn.getBytes(StandardCharsets.UTF_8));
        assertThat(reading.problems()).isEmpty();

        Run both = Run.of(reading.definition()).start(Map.of("email", 1, "sms", 1), false);
        both.step(); // email
        assertThat(both.queued()).containsExactly("sms"); // 'archive' waits for the SMS
        both.drain();
        assertThat(both.executed).containsExactly("email", "sms", "archive");
        assertThat(Run.of(reading.definition()).start(Map.of("email", 0, "sms", 1)).executed)
                .containsExactly("sms", "archive");
        assertThat(Run.of(reading.definition()).start(Map.of("email", 0, "sms", 0)).executed)
                .containsExactly("log", "archive");
    }

    @Test
    @DisplayName("WCP-8 Multi-Merge")
    void multiMerge() {
        // two concurrent paths reach 'notify' without a join: it runs once per path
        Run run = Run.of("""
                id: wcp8
                steps:
                  - {id: split, parallel: [a, b]}
                  - {id: a, task: {}, next: notify}
                  - {id: b, task: {}, next: notify}
                  - {id: notify, task: {}}
                """).start(Map.of());
        assertThat(run.executed).containsExactly("a", "b", "notify", "notify");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-10 Arbitrary Cycles")
    void arbitraryCycles() {
        Run run = Run.of("""
                id: wcp10
                steps:
                  - {id: attempt, task: {}, next: check}
                  - id: check
                    choice:
                      - {when: "n < 3", next: attempt}
                      - otherwise: done
                  - {id: done, task: {}}
                """).work("attempt", v -> Map.of("n", ((Number) v.get("n")).intValue() + 1)).start(Map.of("n", 0));
        assertThat(run.executed).containsExactly("attempt", "attempt", "attempt", "done");
    }

    @Test
    @DisplayName("WCP-11 Implicit Termination")
    void implicitTermination() {
        // no end step and no join: the instance completes when nothing is left to do
        Run run = Run.of("""
                id: wcp11
                steps:
                  - {id: split, parallel: [a, b]}
                  - {id: a, task: {}, next: a2}
                  - {id: a2, task: {}}
                  - {id: b, task: {}}
                """).start(Map.of(), false);
        run.step(); // a
        run.step(); // b
        assertThat(run.status()).isEqualTo(InstanceStatus.RUNNING);
        run.drain(); // a2
        assertThat(run.executed).containsExactly("a", "b", "a2");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-16 Deferred Choice")
    void deferredChoice() {
        // the payment and the reminder are both offered; whichever happens first decides the path
        String yaml = """
                id: wcp16
                steps:
                  - {id: invoice, task: {}, next: first}
                  - {id: first, race: [paid, remind-due]}
                  - {id: paid, wait: {message: payment.received}, next: book}
                  - {id: remind-due, timer: {duration: PT72H}, next: remind}
                  - {id: book, task: {}}
                  - {id: remind, task: {}}
                """;
        Run byMessage = Run.of(yaml).start(Map.of());
        byMessage.message("paid");
        assertThat(byMessage.executed).containsExactly("invoice", "paid", "remind-due", "book");
        assertThat(byMessage.status()).isEqualTo(InstanceStatus.COMPLETED);
        // the reminder's timer is a scheduled message that cannot be recalled: when it fires, nothing happens
        Effect.ScheduleTimer stale = byMessage.deadlines.get("remind-due");
        assertThat(byMessage.engine.apply(byMessage.definition, byMessage.state,
                new Event.TimerFired(stale.step(), stale.token()), NOW).isIgnored()).isTrue();

        Run byTimer = Run.of(yaml).start(Map.of());
        byTimer.fire("remind-due");
        assertThat(byTimer.executed).containsExactly("invoice", "paid", "remind-due", "remind");
        assertThat(byTimer.unsubscribed).containsExactly("paid"); // the payment is no longer awaited
        assertThat(byTimer.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-19 Cancel Activity")
    void cancelActivity() {
        // the approval is withdrawn when its deadline passes; the instance continues on the deadline's path
        Run run = Run.of("""
                id: wcp19
                steps:
                  - id: approve
                    human: {title: Approve, roles: [manager]}
                    timeout: {after: PT4H, next: escalate}
                    next: ship
                  - {id: ship, task: {}}
                  - {id: escalate, task: {}}
                """).start(Map.of());
        assertThat(run.openTasks).containsExactly("approve");
        run.deadline("approve");
        assertThat(run.closedTasks).containsExactly("approve");
        assertThat(run.executed).containsExactly("approve", "escalate");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-20 Cancel Case (a terminate end)")
    void cancelCaseByTerminateEnd() {
        // one branch ends the whole instance while the other still waits for a person
        Run run = Run.of("""
                id: wcp20
                steps:
                  - {id: split, parallel: [review, check]}
                  - id: review
                    human: {title: Review, roles: [clerk]}
                    next: after-review
                  - {id: after-review, task: {}}
                  - {id: check, task: {}, next: stop}
                  - {id: stop, end: {terminate: true}}
                """).start(Map.of());
        assertThat(run.executed).containsExactly("review", "check");
        assertThat(run.closedTasks).containsExactly("review");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
        assertThat(run.state.tokens()).isEmpty();
    }

    @Test
    @DisplayName("WCP-20 Cancel Case (an operator cancels)")
    void cancelCaseByOperator() {
        Run run = Run.of("""
                id: wcp20b
                steps:
                  - id: review
                    human: {title: Review, roles: [clerk]}
                    next: after
                  - {id: after, task: {}}
                """).start(Map.of());
        run.apply(new Event.Cancelled("ops"));
        assertThat(run.closedTasks).containsExactly("review");
        assertThat(run.status()).isEqualTo(InstanceStatus.CANCELLED);
    }

    /**
     * Plays the runtime: execute commands are taken in the order the engine emitted them (a FIFO, as one
     * queue consumer would), tasks and timers wait until the test acts on them.
     */
    @Test
    @DisplayName("WCP-12 Multiple Instances without Synchronization")
    void multipleInstancesWithoutSynchronization() {
        // a reminder per contact starts on a detached path (a non-interrupting deadline); the order's own path
        // goes on when the payment comes, without waiting for the reminders, which nobody joins
        List<Object> reminded = new ArrayList<>();
        Run run = Run.of("""
                id: wcp12
                steps:
                  - id: await-payment
                    wait: {message: payment.received}
                    timeout: {after: PT1H, next: remind, interrupting: false}
                    next: ship
                  - id: remind
                    task: {}
                    multi: {over: contacts, as: contact}
                  - {id: ship, task: {}}
                """).work("remind", v -> {
                    reminded.add(v.get("contact"));
                    return Map.of();
                });
        run.start(Map.of("contacts", List.of("ann", "bob")));
        Effect.ScheduleTimer deadline = run.deadlines.remove("await-payment");
        run.apply(new Event.TimeoutFired(deadline.step(), deadline.token()));
        assertThat(run.queued()).containsExactly("remind", "remind");
        run.step(); // the first reminder
        run.apply(new Event.MessageCorrelated("await-payment", "t1", Map.of()));
        assertThat(run.queued()).containsExactly("remind", "ship"); // no one waits for the second reminder
        run.drain();
        assertThat(run.executed).containsExactly("await-payment", "remind", "remind", "ship");
        assertThat(reminded).containsExactly("ann", "bob");
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-13 Multiple Instances with a priori Design-Time Knowledge")
    void multipleInstancesWithDesignTimeKnowledge() {
        // three sign-offs, fixed in the definition, all at once; archiving waits for all three
        Run run = Run.of("""
                id: wcp13
                steps:
                  - id: sign
                    task: {}
                    multi: {over: '["legal", "finance", "sales"]', as: department, collect: signed, result: department}
                    next: archive
                  - {id: archive, task: {}}
                """);
        run.start(Map.of(), false);
        assertThat(run.queued()).containsExactly("sign", "sign", "sign");
        run.step();
        run.step();
        assertThat(run.queued()).containsExactly("sign");
        run.drain();
        assertThat(run.executed).containsExactly("sign", "sign", "sign", "archive");
        assertThat(run.state.variables()).containsEntry("signed", List.of("legal", "finance", "sales"));
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    @Test
    @DisplayName("WCP-14 Multiple Instances with a priori Run-Time Knowledge")
    void multipleInstancesWithRunTimeKnowledge() {
        // how many lines there are is known only once 'read' has run, before the instances start
        List<Object> picked = new ArrayList<>();
        Run run = Run.of("""
                id: wcp14
                steps:
                  - {id: read, task: {}, next: pick}
                  - id: pick
                    task: {}
                    multi: {over: order.lines, as: line, collect: picked, result: line}
                    next: ship
                  - {id: ship, task: {}}
                """).work("read", v -> Map.of("order", Map.of("lines", List.of("L1", "L2", "L3", "L4"))))
                .work("pick", v -> {
                    picked.add(v.get("line") + "#" + v.get("loopCounter"));
                    return Map.of();
                });
        run.start(Map.of());
        assertThat(run.executed).containsExactly("read", "pick", "pick", "pick", "pick", "ship");
        assertThat(picked).containsExactly("L1#1", "L2#2", "L3#3", "L4#4");
        assertThat(run.state.variables()).containsEntry("picked", List.of("L1", "L2", "L3", "L4"));
        assertThat(run.status()).isEqualTo(InstanceStatus.COMPLETED);
    }

    static final class Run {

        private static final Pattern COMPARISON = Pattern.compile("(\\w+) ([<>=]) (\\d+)");
        /** Evaluates the comparisons these definitions use ({@code amount > 100}), as JSONata would. */
        private static final ExpressionEvaluator EVALUATOR = (expression, context) -> {
            Matcher m = COMPARISON.matcher(expression.text());
            if (!m.matches() && expression.text().startsWith("[")) {
                // a list of string literals, as a multi-instance step's fixed collection: ["a", "b"]
                return List.of(expression.text().replaceAll("[\\[\\]\" ]", "").split(","));
            }
            if (!m.matches() && expression.text().matches("\\w+(\\.\\w+)*")) {
                Object at = context;
                for (String name : expression.text().split("\\.")) {
                    at = at instanceof Map<?, ?> map ? map.get(name) : null;
                }
                return at;
            }
            if (!m.matches()) {
                throw new ExpressionEvaluator.EvaluationException(expression, "not known to this test", null);
            }
            double left = ((Number) ((Map<?, ?>) context).get(m.group(1))).doubleValue();
            double right = Double.parseDouble(m.group(3));
            return switch (m.group(2)) {
                case "<" -> left < right;
                case ">" -> left > right;
                default -> left == right;
            };
        };

        final ProcessDefinition definition;
        final Engine engine = new Engine(EVALUATOR);
        final List<String> executed = new ArrayList<>();
        final List<String> openTasks = new ArrayList<>();
        final List<String> closedTasks = new ArrayList<>();
        private final Deque<Effect.ExecuteStep> queue = new ArrayDeque<>();
        final Map<String, Effect.ScheduleTimer> deadlines = new HashMap<>();
        private final Map<String, Effect.Subscribe> subscriptions = new HashMap<>();
        final List<String> unsubscribed = new ArrayList<>();
        private final Map<String, Function<Map<String, Object>, Map<String, Object>>> work = new HashMap<>();
        InstanceState state;

        private Run(ProcessDefinition definition) {
            this.definition = definition;
        }

        static Run of(String yaml) {
            YamlDefinitionParser.ParseResult parsed = new YamlDefinitionParser().parse(yaml);
            assertThat(parsed.problems()).isEmpty();
            return new Run(parsed.definition());
        }

        /** A definition read some other way, from BPMN. */
        static Run of(ProcessDefinition definition) {
            return new Run(definition);
        }

        /** What step {@code step} outputs, from the variables it sees; by default nothing. */
        Run work(String step, Function<Map<String, Object>, Map<String, Object>> outputs) {
            work.put(step, outputs);
            return this;
        }

        Run start(Map<String, Object> variables) {
            return start(variables, true);
        }

        Run start(Map<String, Object> variables, boolean drain) {
            take(engine.start(definition, "i1", null, variables, NOW));
            if (drain) {
                drain();
            }
            return this;
        }

        /** The steps whose execute commands wait in the queue, in order. */
        List<String> queued() {
            return queue.stream().map(Effect.ExecuteStep::step).toList();
        }

        void step() {
            Effect.ExecuteStep e = queue.poll();
            executed.add(e.step());
            apply(new Event.StepExecuted(e.step(), e.token(), e.attempt(),
                    work.getOrDefault(e.step(), v -> Map.of()).apply(state.variablesFor(e.token()))));
        }

        void drain() {
            while (!queue.isEmpty()) {
                step();
            }
        }

        void message(String step) {
            Effect.Subscribe w = subscriptions.remove(step);
            apply(new Event.MessageCorrelated(w.step(), w.token(), Map.of()));
            drain();
        }

        void fire(String step) {
            Effect.ScheduleTimer t = deadlines.remove(step);
            apply(new Event.TimerFired(t.step(), t.token()));
            drain();
        }

        void deadline(String step) {
            Effect.ScheduleTimer t = deadlines.remove(step);
            apply(new Event.TimeoutFired(t.step(), t.token()));
            drain();
        }

        void apply(Event event) {
            take(engine.apply(definition, state, event, NOW));
        }

        InstanceStatus status() {
            return state.status();
        }

        private void take(Transition t) {
            assertThat(t.isIgnored()).as("ignored: %s", t.ignored()).isFalse();
            state = t.state();
            for (Effect e : t.effects()) {
                if (e instanceof Effect.ExecuteStep x) {
                    queue.add(x);
                } else if (e instanceof Effect.CreateTask c) {
                    openTasks.add(c.step());
                } else if (e instanceof Effect.CloseTask c) {
                    openTasks.remove(c.step());
                    closedTasks.add(c.step());
                } else if (e instanceof Effect.ScheduleTimer s) {
                    deadlines.put(s.step(), s);
                } else if (e instanceof Effect.Subscribe w) {
                    subscriptions.put(w.step(), w);
                } else if (e instanceof Effect.Unsubscribe u) {
                    subscriptions.remove(u.step());
                    unsubscribed.add(u.step());
                }
            }
        }
    }
}
