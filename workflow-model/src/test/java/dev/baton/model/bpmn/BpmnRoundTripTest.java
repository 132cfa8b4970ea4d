package dev.baton.model.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.parser.YamlDefinitionParser;
import dev.baton.model.parser.YamlDefinitionParser.ParseResult;
import dev.baton.model.validation.ExpressionChecker;

/**
 * Export then import gives the same definition, for every example, benchmark and test definition.
 * What cannot survive, and is normalised before comparing: line numbers (the BPMN file's lines are not
 * the YAML's) and the version (assigned at deployment, not part of a document).
 */
class BpmnRoundTripTest {

    /** Every step kind and option the YAML language has, in their less common forms too. */
    static final String EVERYTHING = """
            id: everything
            name: "Everything: <all> & \\"more\\""
            owner: platform-team
            sla: P2DT4H
            expressionLanguage: simple
            retry: {attempts: 6, backoff: PT2S, multiplier: 1.5, maxBackoff: PT5M}
            personal: [customer.email, customer.addresses.street, businessKey]
            triggers:
              - event: com.example.order.created
                source: shop
                when: {jsonata: "data.amount > 0 and data.currency = 'EUR'"}
                businessKey: "${body[orderId]}"
                variables: {jsonpath: "$.data"}
              - event: com.example.order.created
              - event: sap.s4.beh.salesorder.v1.SalesOrder.Created.v1
                businessKey: {jsonata: "data.SalesOrder"}
              - cron: "0 0/5 * * * ?"
            start: 1st-step
            steps:
              - id: check
                task: {}
                next: stop
              - id: 1st-step
                name: "First\\nstep, on two lines"
                task:
                  set:
                    large: {jsonata: "order.amount > 100000"}
                    note: "${body[note]}"
                    multi: {jsonata: "(\\n  $a := 1;\\r\\n  $a + 1\\n)\\n"}
                retry: {attempts: 2}
                concurrency: 8
                timeout: {after: PT10M, next: remind, interrupting: false}
                next: read
              - id: read
                name: Read <the> "order" & more
                call: http.post
                with:
                  url: "https://erp.example.com/orders?a=1&b=<2>"
                  headers: {Accept: application/json, X-Empty: "", X-Blank: "  "}
                  pages: 3
                  big: 12345678901
                  huge: 123456789012345678901234567890
                  ratio: 0.25
                  dryRun: false
                  nothing: ~
                  fields: [Id, Name, 7, [nested, list], {in: list}]
                  text: |
                    two
                    lines
                input: {jsonata: "{ 'id': orderId, 'when': $now() }"}
                output: {order: {jsonata: "$"}, status: "${header.CamelHttpResponseCode}"}
                retry: {attempts: 5, backoff: PT1S, multiplier: 2, maxBackoff: PT1M}
                timeout: {after: PT30S, next: escalate}
                next: route
              - id: route
                name: Large?
                choice:
                  - when: {jsonata: "large = true and note != 'x < y & z'"}
                    next: approve
                  - when: "${body[rush]} == true"
                    next: split
                  - when: {jsonpath: "$.flags[?(@.vip)]"}
                    next: approve
                  - otherwise: split
              - id: approve
                human: {title: "Approve <the> order", roles: [sales-manager, sales-director], due: PT4H, fourEyes: true}
                timeout: {after: PT4H, next: escalate}
                next: split
              - id: escalate
                human: {roles: [directors]}
                next: split
              - id: split
                parallel: [pay, ship, notify]
              - id: pay
                wait: {message: payment.received, key: {jsonata: "order.id"}, eventKey: {jsonata: "data.orderId"}, into: payment}
                timeout: {after: P7D, next: remind}
                next: merge
              - id: ship
                wait: {message: com.example.order.shipped}
                next: merge
              - id: notify
                timer: {date: 2026-12-01T09:00:00Z}
                timeout: {after: PT1H, next: remind, interrupting: true}
                next: pause
              - id: pause
                timer: {duration: PT5M}
                next: merge
              - id: merge
                join: {}
                next: inner
              - id: inner
                parallel: [a, b]
              - id: a
                task:
                next: inner-join
              - id: b
                task:
                next: inner-join
              - id: inner-join
                join:
                next: done
              - id: remind
                name: everything
                task: {set: {overdue: "true"}}
                next: check
              - id: stop
                end: {terminate: true}
              - id: done
                end:
            """;

    /** Minimal and odd shapes: no trigger, a start that is a gateway, a step with the definition's id. */
    static final String ODD = """
            id: odd
            steps:
              - id: fork
                parallel: [x, y]
              - id: x
                call: salesforce.query
                next: j
              - id: y
                wait: {message: "with space & <sign>"}
                next: j
              - id: j
                join:
                next: loop
              - id: loop
                human: {roles: [r]}
                next: odd
              - id: odd
                choice:
                  - when: "a"
                    next: loop
                  - otherwise: end
              - id: end
                end:
            """;

    /**
     * Sub-processes (nested, with a parallel split and join inside, a path ending without an end step, an
     * implicit start), error catches by code and catch-all on a call, a task and a sub-process, error ends
     * inside and at the top level, a terminating end inside, a non-interrupting timeout on a sub-process,
     * and a race of a message and a timer entered again through a loop.
     */
    static final String SUBPROCESSES = """
            id: fix-system-failure
            steps:
              - id: fix
                name: Fix the failure
                subprocess:
                  start: split
                  steps:
                    - id: split
                      parallel: [hardware, software]
                    - id: hardware
                      human: {title: "Investigate hardware", roles: [engineering]}
                      next: merge
                    - id: software
                      call: http.post
                      with: {url: "https://diagnostics.example.com/run"}
                      catch:
                        - error: BATON-HTTP-404
                          next: no-diagnostics
                        - error: "odd code & <more>"
                          next: no-diagnostics
                      next: merge
                    - id: no-diagnostics
                      end: {error: NOT_FIXABLE}
                    - id: merge
                      join: {}
                      next: deeper
                    - id: deeper
                      subprocess:
                        steps:
                          - id: check
                            task: {set: {checked: "true"}}
                            catch:
                              - next: give-up
                          - id: give-up
                            end: {terminate: true}
                      concurrency: 2
                timeout: {after: PT4H, next: hand-over, interrupting: false}
                catch:
                  - error: NOT_FIXABLE
                    next: hand-over
                  - next: rejected
                next: report
              - id: hand-over
                human: {title: "Hand over to level 2", roles: [management]}
              - id: rejected
                end: {error: NOT_FIXABLE}
              - id: report
                human: {title: "Write report", roles: [engineering]}
                next: wait-for-review
              - id: wait-for-review
                race: [reviewed, reminder-due]
              - id: reviewed
                wait: {message: com.example.review.received}
              - id: reminder-due
                timer: {duration: P1D}
                next: remind
              - id: remind
                call: http.post
                with: {url: "https://chat.example.com/remind"}
                next: wait-for-review
            """;

    /**
     * An inclusive split with conditions in two languages and a default, its join, one without default
     * nested in a parallel branch, a discriminator join, and a choice without default (what a BPMN import
     * gives for an exclusive gateway without default flow; the YAML validator would ask for one).
     */
    static final String INCLUSIVE = """
            id: notify
            steps:
              - id: check
                task: {}
                next: notify
              - id: notify
                name: Notify how?
                inclusive:
                  - when: "email = true"
                    next: send-email
                  - when: {simple: "${body[sms]} == true"}
                    next: send-sms
                  - otherwise: log
              - {id: send-email, call: http.post, with: {url: "https://mail.example.com"}, next: merge}
              - {id: send-sms, task: {}, next: merge}
              - {id: log, task: {}, next: merge}
              - {id: merge, join: {}, next: quotes}
              - {id: quotes, parallel: [quote-a, both]}
              - {id: quote-a, task: {}, next: first}
              - id: both
                inclusive:
                  - {when: "a", next: x}
                  - {when: "b", next: y}
              - {id: x, task: {}, next: xy}
              - {id: y, task: {}, next: xy}
              - {id: xy, join: {}, next: first}
              - {id: first, join: {first: true}, next: decide}
              - id: decide
                choice:
                  - {when: "approved = true", next: book}
                  - {when: "rejected = true", next: reject}
              - {id: book, task: {}}
              - {id: reject, end: {}}
            """;

    /** Message boundaries, interrupting and not, keyed or by business key, on every kind of host. */
    static final String MESSAGES = """
            id: order-changes
            steps:
              - id: approve
                human: {title: "Approve", roles: [sales-manager]}
                messages:
                  - message: com.example.order.cancelled
                    key: "order.id"
                    next: cancelled
                  - {message: com.example.order.changed, next: notify, interrupting: false}
                next: pay
              - id: pay
                wait: {message: com.example.payment.received, key: "order.id"}
                messages:
                  - {message: com.example.order.cancelled, key: {simple: "${body[order][id]}"}, next: cancelled}
                next: ship
              - id: ship
                subprocess:
                  steps:
                    - id: pick
                      call: http.post
                      with: {url: "https://wms.example.com/pick"}
                      messages:
                        - {message: com.example.stock.missing, next: reorder, interrupting: false}
                    - id: reorder
                      task: {}
                messages:
                  - {message: com.example.order.cancelled, key: "order.id", next: cancelled}
                next: done
              - id: notify
                task: {set: {notified: "true"}}
              - id: cancelled
                end: {terminate: true}
              - id: done
                end: {}
            """;

    /** The channels waits, race alternatives and message boundaries accept ({@code baton:source}). */
    static final String CHANNELS = """
            id: shipments
            steps:
              - id: shipped
                wait: {message: com.example.order.shipped, eventKey: "data.orderId", source: wms}
                next: delivered
              - id: delivered
                wait: {message: com.example.order.delivered, source: [carrier, wms]}
                timeout: {after: P7D, next: review}
                messages:
                  - {message: com.example.order.cancelled, next: done, source: shop}
                  - {message: com.example.order.changed, next: note, interrupting: false, source: [shop, call-centre]}
                next: review
              - id: note
                task: {}
              - id: review
                race: [reviewed, late]
              - id: reviewed
                wait: {message: com.example.reviewed, source: reviews}
                next: done
              - id: late
                timer: {duration: P1D}
                next: done
              - id: done
                end: {}
            """;

    /**
     * Multi-instance steps of every kind: parallel and sequential, with and without collect, result and completion
     * condition, in another language, on a wait (exported as a receive task), a timer (a catch event, which carries
     * {@code baton:multi}) and a sub-process with a timeout and a catch on the whole.
     */
    static final String MULTI = """
            id: multi
            steps:
              - id: ship
                call: http.post
                input: "{'sku': line.sku}"
                output: {shipment: "$"}
                multi: {over: order.lines, as: line, collect: shipments, result: shipment.id, until: "nrOfCompletedInstances >= 2"}
                next: approve
              - id: approve
                human: {roles: [board]}
                multi: {over: {simple: "${body[members]}"}, sequential: true, until: {simple: "${body[vetoed]}"}}
                next: await
              - id: await
                wait: {message: com.example.packed, key: line.sku}
                multi: {over: order.lines, as: line}
                next: pause
              - id: pause
                timer: {duration: PT1M}
                multi: {over: "[1..3]", sequential: true, collect: ticks, until: "loopCounter > 1"}
                next: each
              - id: each
                subprocess:
                  steps:
                    - {id: inner, task: {set: {seen: "order.id"}}, multi: {over: order.lines, as: line}}
                multi: {over: orders, as: order, collect: done}
                timeout: {after: PT1H, next: late}
                catch: [{next: late}]
              - id: late
                task: {}
            """;

    /** Timer start events of every form beside a cron and an event trigger. */
    static final String TIMERS = """
            id: timers
            triggers:
              - cron: "0 0 6 * * ?"
              - at: 2026-12-01T08:00:00Z
              - every: PT1H
              - every: PT10H
                times: 3
              - every: P1D
                from: 2026-12-01T08:00:00Z
                times: 5
            steps:
              - {id: a, task: {}}
            """;

    private final BpmnWriter writer = new BpmnWriter();
    private final BpmnReader reader = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE);

    /** Call activities in every form, and tasks assigned by an expression. */
    static final String CALLS = """
            id: calls
            steps:
              - id: describe
                human: {roles: [engineering], assignee: "editor"}
                next: review
              - id: review
                human: {assignee: "requester", title: Review}
                next: publish
              - id: publish
                process: {definition: publication, version: 3, input: '{"job": job}', output: {links: "links", n: "count"}}
                catch: [{error: BATON-CALL-002, next: apologise}]
                next: archive
              - id: archive
                process: {definition: archiving}
                next: forget
              - id: forget
                process: {definition: forgetting, output: {}}
              - {id: apologise, task: {}}
            """;

    static Stream<String> examples() throws IOException {
        List<String> files = new ArrayList<>();
        for (String folder : List.of("../examples/processes", "../examples/bench")) {
            try (Stream<Path> list = Files.list(Path.of(folder))) {
                list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> files.add(p.toString()));
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldReadBackEveryExampleAsExported(String file) throws IOException {
        assertRoundTrip(Files.readString(Path.of(file), StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadBackEveryStepKindAndOption() {
        assertRoundTrip(EVERYTHING);
    }

    @Test
    void shouldReadBackOddShapes() {
        assertRoundTrip(ODD);
    }

    @Test
    void shouldReadBackMessageBoundaries() {
        assertRoundTrip(MESSAGES);
    }

    @Test
    void shouldReadBackTheChannelsOfWaitsRaceAlternativesAndMessageBoundaries() {
        assertRoundTrip(CHANNELS);
        String xml = writer.write(new YamlDefinitionParser().parse(CHANNELS).definition());
        assertThat(xml).containsPattern("<bpmn:intermediateCatchEvent baton:source=\"wms\" id=\"shipped\"")
                .containsPattern("<bpmn:receiveTask baton:source=\"carrier wms\" id=\"delivered\"")
                .contains("baton:source=\"shop call-centre\"")
                .containsPattern("<bpmn:intermediateCatchEvent baton:source=\"reviews\" id=\"reviewed\"");
    }

    @Test
    void shouldReadBackSubProcessesErrorsAndRaces() {
        assertRoundTrip(SUBPROCESSES);
    }

    @Test
    void shouldReadBackCallActivitiesAndAssignees() {
        assertRoundTrip(CALLS);
    }

    @Test
    void shouldReadBackInclusiveSplitsDiscriminatorsAndChoicesWithoutDefault() {
        assertRoundTrip(INCLUSIVE);
        String xml = writer.write(new YamlDefinitionParser().parse(INCLUSIVE).definition());
        assertThat(xml).containsPattern("<bpmn:inclusiveGateway default=\"Flow_\\d+\" gatewayDirection=\"Diverging\" id=\"notify\"")
                .contains("<bpmn:inclusiveGateway gatewayDirection=\"Converging\" id=\"merge\"")
                .contains("<bpmn:inclusiveGateway gatewayDirection=\"Converging\" id=\"xy\"")
                .contains("<bpmn:complexGateway baton:first=\"true\" gatewayDirection=\"Converging\" id=\"first\"");
    }

    @Test
    void shouldReadBackTimerStartEventsAtADateAndRepeating() {
        assertRoundTrip(TIMERS);
        String xml = writer.write(new YamlDefinitionParser().parse(TIMERS).definition());
        assertThat(xml).contains(">2026-12-01T08:00:00Z</bpmn:timeDate>").contains(">R/PT1H</bpmn:timeCycle>")
                .contains(">R3/PT10H</bpmn:timeCycle>").contains(">R5/2026-12-01T08:00:00Z/PT24H</bpmn:timeCycle>");
    }

    @Test
    void shouldReadBackMultiInstanceStepsOfEveryKind() {
        assertRoundTrip(MULTI);
        String xml = writer.write(new YamlDefinitionParser().parse(MULTI).definition());
        assertThat(xml).contains("<bpmn:multiInstanceLoopCharacteristics isSequential=\"false\">")
                .contains("<bpmn:receiveTask id=\"await\"");
    }

    private void assertRoundTrip(String yaml) {
        // given
        ParseResult parsed = new YamlDefinitionParser().parse(yaml);
        assertThat(parsed.problems()).isEmpty();
        ProcessDefinition definition = parsed.definition();

        // when
        String xml = writer.write(definition);
        Reading reading = reader.read(xml.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(reading.problems()).as(xml).isEmpty();
        assertThat(normalized(reading.definition())).as(xml).isEqualTo(normalized(definition));
    }

    /** Without what a document cannot carry: lines and the version. */
    static ProcessDefinition normalized(ProcessDefinition d) {
        List<Step> steps = withoutLines(d.steps());
        return new ProcessDefinition(d.id(), 0, d.name(), d.owner(), d.sla(), d.expressionLanguage(), d.start(),
                d.defaultRetry(), d.triggers(), steps, d.personal());
    }

    private static List<Step> withoutLines(List<Step> steps) {
        return steps.stream().map(s -> s instanceof SubprocessStep sub
                ? new SubprocessStep(withoutLine(s.info()), sub.start(), withoutLines(sub.steps()))
                : withInfo(s, withoutLine(s.info()))).toList();
    }

    private static StepInfo withoutLine(StepInfo i) {
        return new StepInfo(i.id(), i.name(), i.next(), i.retry(), i.timeout(), i.concurrency(), 0, i.catches(),
                i.messages(), i.multi(), i.lane());
    }

    static Step withInfo(Step s, StepInfo i) {
        if (s instanceof TaskStep t) {
            return new TaskStep(i, t.set());
        } else if (s instanceof CallStep c) {
            return new CallStep(i, c.operation(), c.with(), c.input(), c.output());
        } else if (s instanceof ChoiceStep c) {
            return new ChoiceStep(i, c.branches(), c.otherwise());
        } else if (s instanceof ParallelStep p) {
            return new ParallelStep(i, p.branches());
        } else if (s instanceof JoinStep j) {
            return new JoinStep(i, j.first());
        } else if (s instanceof InclusiveStep inclusive) {
            return new InclusiveStep(i, inclusive.branches(), inclusive.otherwise());
        } else if (s instanceof WaitStep w) {
            return new WaitStep(i, w.message(), w.key(), w.eventKey(), w.resultVariable());
        } else if (s instanceof TimerStep t) {
            return new TimerStep(i, t.duration(), t.date());
        } else if (s instanceof HumanTaskStep h) {
            return new HumanTaskStep(i, h.title(), h.candidateRoles(), h.due(), h.fourEyes(), h.assignee());
        } else if (s instanceof CallActivityStep p) {
            return new CallActivityStep(i, p.definition(), p.version(), p.input(), p.output());
        } else if (s instanceof RaceStep r) {
            return new RaceStep(i, r.alternatives());
        } else if (s instanceof SubprocessStep sub) {
            return new SubprocessStep(i, sub.start(), sub.steps());
        }
        EndStep end = (EndStep) s;
        return new EndStep(i, end.terminate(), end.error());
    }
}
