package dev.baton.model.parser;

import static dev.baton.model.validation.ValidationMessages.CHOICE_ENTRY;
import static dev.baton.model.validation.ValidationMessages.DUPLICATE_KEY;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_ENTRY;
import static dev.baton.model.validation.ValidationMessages.MALFORMED_YAML;
import static dev.baton.model.validation.ValidationMessages.MISSING_FIELD;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_EXPRESSION;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_INSTANT;
import static dev.baton.model.validation.ValidationMessages.NOT_A_DURATION;
import static dev.baton.model.validation.ValidationMessages.NOT_A_MAPPING;
import static dev.baton.model.validation.ValidationMessages.NOT_PLAIN_DATA;
import static dev.baton.model.validation.ValidationMessages.SEVERAL_DEFAULTS;
import static dev.baton.model.validation.ValidationMessages.SEVERAL_INCLUSIVE_DEFAULTS;
import static dev.baton.model.validation.ValidationMessages.STEP_WITHOUT_KIND;
import static dev.baton.model.validation.ValidationMessages.STEP_WITH_SEVERAL_KINDS;
import static dev.baton.model.validation.ValidationMessages.TOO_LARGE;
import static dev.baton.model.validation.ValidationMessages.TRIGGER_KIND;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_FIELD;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE_KEY;
import static dev.baton.model.validation.ValidationMessages.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.parser.YamlDefinitionParser.ParseResult;
import dev.baton.model.validation.Problem;

class YamlDefinitionParserTest {

    /** Every step kind and both trigger kinds; line numbers are asserted, so edit with care. */
    static final String ORDER_APPROVAL = """
            id: order-approval
            name: Order approval
            owner: sales-ops
            sla: PT4H
            retry: {attempts: 4, backoff: PT2S}
            triggers:
              - event: sap.s4.beh.salesorder.v1.SalesOrder.Created.v1
                source: sap
                when: "data.amount > 0"
                businessKey: "data.SalesOrder"
                variables: '{"order": data}'
              - cron: "0 0/5 * * * ?"
            start: read
            steps:
              - id: read
                name: Read order
                call: http.post
                with: {url: "http://erp/orders", headers: {Accept: application/json}, pages: 3, dryRun: false}
                input: "{ 'id': orderId }"
                output: {order: "$"}
                retry: {attempts: 5}
                timeout: {after: PT30S, next: escalate}
                concurrency: 4
                next: decide
              - id: decide
                choice:
                  - when: "order.amount > 100000"
                    next: approve
                  - when: {simple: "${body[rush]}"}
                    next: split
                  - otherwise: auto
              - id: approve
                human: {title: "Approve order", roles: [sales-manager, cfo], due: PT4H}
                timeout: {after: PT8H, next: escalate, interrupting: false}
                next: split
              - id: auto
                task: {set: {approved: "true", by: {jsonpath: "$.user"}}}
                next: split
              - id: split
                parallel: [a, b]
              - id: a
                task:
                next: merge
              - id: b
                wait: {message: payment.received, key: "order.id", eventKey: "data.orderId", into: payment}
                next: merge
              - id: merge
                join:
                next: pause
              - id: pause
                timer: {duration: PT5M}
                next: later
              - id: later
                timer: {date: 2026-12-01T09:00:00Z}
                next: done
              - id: escalate
                task: {}
                next: done
              - id: done
                end: {terminate: true}
            """;

    private final YamlDefinitionParser parser = new YamlDefinitionParser();

    @Test
    void shouldReadEveryStepKindAndTriggerKind() {
        // when
        ParseResult result = parser.parse(ORDER_APPROVAL);

        // then
        assertThat(result.problems()).isEmpty();
        ProcessDefinition def = result.definition();
        assertThat(def.id()).isEqualTo("order-approval");
        assertThat(def.version()).isZero();
        assertThat(def.name()).isEqualTo("Order approval");
        assertThat(def.owner()).isEqualTo("sales-ops");
        assertThat(def.sla()).isEqualTo(Duration.ofHours(4));
        assertThat(def.expressionLanguage()).isEqualTo(Expression.JSONATA);
        assertThat(def.start()).isEqualTo("read");
        RetryPolicy defaultRetry = new RetryPolicy(4, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1));
        assertThat(def.defaultRetry()).isEqualTo(defaultRetry);
        assertThat(def.triggers()).containsExactly(
                new EventTrigger("sap.s4.beh.salesorder.v1.SalesOrder.Created.v1", "sap",
                        Expression.jsonata("data.amount > 0"), Expression.jsonata("data.SalesOrder"),
                        Expression.jsonata("{\"order\": data}")),
                new CronTrigger("0 0/5 * * * ?"));
        assertThat(def.steps()).extracting(s -> s.id()).containsExactly(
                "read", "decide", "approve", "auto", "split", "a", "b", "merge", "pause", "later", "escalate", "done");

        assertThat(def.step("read")).contains(new CallStep(
                new StepInfo("read", "Read order", "decide", new RetryPolicy(5, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1)),
                        new StepTimeout(Duration.ofSeconds(30), "escalate", true), 4, 15),
                "http.post",
                Map.of("url", "http://erp/orders", "headers", Map.of("Accept", "application/json"), "pages", 3, "dryRun", false),
                Expression.jsonata("{ 'id': orderId }"),
                Map.of("order", Expression.jsonata("$"))));
        assertThat(def.step("decide")).contains(new ChoiceStep(new StepInfo("decide", "decide", null, null, null, 0, 25),
                List.of(new ChoiceStep.Branch(Expression.jsonata("order.amount > 100000"), "approve"),
                        new ChoiceStep.Branch(new Expression(Expression.SIMPLE, "${body[rush]}"), "split")),
                "auto"));
        assertThat(def.step("approve")).contains(new HumanTaskStep(
                new StepInfo("approve", "approve", "split", null, new StepTimeout(Duration.ofHours(8), "escalate", false), 0, 32),
                "Approve order", List.of("sales-manager", "cfo"), Duration.ofHours(4)));
        TaskStep auto = (TaskStep) def.step("auto").orElseThrow();
        assertThat(auto.set()).containsExactly(
                Map.entry("approved", Expression.jsonata("true")),
                Map.entry("by", new Expression(Expression.JSONPATH, "$.user")));
        assertThat(def.step("split")).contains(new ParallelStep(new StepInfo("split", "split", null, null, null, 0, 39),
                List.of("a", "b")));
        assertThat(def.step("a")).contains(new TaskStep(new StepInfo("a", "a", "merge", null, null, 0, 41), Map.of()));
        assertThat(def.step("b")).contains(new WaitStep(new StepInfo("b", "b", "merge", null, null, 0, 44),
                "payment.received", Expression.jsonata("order.id"), Expression.jsonata("data.orderId"), "payment"));
        assertThat(def.step("merge")).contains(new JoinStep(new StepInfo("merge", "merge", "pause", null, null, 0, 47)));
        assertThat(def.step("pause")).contains(new TimerStep(new StepInfo("pause", "pause", "later", null, null, 0, 50),
                Duration.ofMinutes(5), null));
        assertThat(def.step("later")).contains(new TimerStep(new StepInfo("later", "later", "done", null, null, 0, 53),
                null, Instant.parse("2026-12-01T09:00:00Z")));
        assertThat(def.step("done")).contains(new EndStep(new StepInfo("done", "done", null, null, null, 0, 59), true));
        assertThat(def.retryOf(def.step("pause").orElseThrow())).isEqualTo(defaultRetry);
    }

    @Test
    void shouldReadMultiInstanceOnWorkStepsAndSubProcesses() {
        // given
        String yaml = """
                id: lines
                steps:
                  - id: ship
                    call: http.post
                    multi: {over: order.lines, as: line, sequential: true, collect: shipped, result: shipment.id,
                            until: "nrOfCompletedInstances >= 2"}
                    next: each
                  - id: each
                    subprocess: {steps: [{id: inner, task: {}}]}
                    multi: {over: {simple: "${body[orders]}"}}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().steps()).extracting(step -> step.info().multi()).containsExactly(
                new MultiInstance(Expression.jsonata("order.lines"), "line", true, "shipped",
                        Expression.jsonata("shipment.id"), Expression.jsonata("nrOfCompletedInstances >= 2")),
                new MultiInstance(new Expression(Expression.SIMPLE, "${body[orders]}"), MultiInstance.DEFAULT_ELEMENT,
                        false, null, null, null));
    }

    @Test
    void shouldReportAMultiInstanceWithoutCollectionUnknownFieldsAndMultiOnRoutingSteps() {
        // given
        String yaml = """
                id: lines
                steps:
                  - id: ship
                    task: {}
                    multi: {as: line, each: true}
                    next: decide
                  - id: decide
                    choice: [{otherwise: ship}]
                    multi: {over: xs}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).extracting(Problem::message, Problem::line).containsExactly(
                tuple(String.format(UNKNOWN_FIELD, "step 'ship' field 'multi'",
                        "over, as, sequential, collect, result, until", "each"), 5),
                tuple(String.format(MISSING_FIELD, "step 'ship'", "multi.over"), 5),
                tuple(String.format(UNKNOWN_FIELD, "step 'decide'", "id, name, choice", "multi"), 9));
    }

    @Test
    void shouldDefaultNameStartLanguageAndRetry() {
        // given
        String yaml = """
                id: minimal
                steps:
                  - id: only
                    task:
                  - id: done
                    end:
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        ProcessDefinition def = result.definition();
        assertThat(def.name()).isEqualTo("minimal");
        assertThat(def.start()).isEqualTo("only");
        assertThat(def.expressionLanguage()).isEqualTo(Expression.JSONATA);
        assertThat(def.defaultRetry()).isNull();
        assertThat(def.triggers()).isEmpty();
        assertThat(def.retryOf(def.steps().get(0))).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(def.step("done")).contains(new EndStep(new StepInfo("done", "done", null, null, null, 0, 5), false));
    }

    @Test
    void shouldReadPlainStringsInTheDefinitionsLanguageAndMapsInTheirOwn() {
        // given
        String yaml = """
                id: languages
                expressionLanguage: simple
                steps:
                  - id: decide
                    choice:
                      - when: "${header.rush}"
                        next: done
                      - when: {jsonata: "order.total > 10"}
                        next: done
                      - when: {jsonpath: "$.order[?(@.total > 10)]"}
                        next: done
                      - otherwise: done
                  - id: done
                    end:
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        ChoiceStep decide = (ChoiceStep) result.definition().step("decide").orElseThrow();
        assertThat(decide.branches()).extracting(ChoiceStep.Branch::when).containsExactly(
                new Expression(Expression.SIMPLE, "${header.rush}"),
                new Expression(Expression.JSONATA, "order.total > 10"),
                new Expression(Expression.JSONPATH, "$.order[?(@.total > 10)]"));
    }

    @Test
    void shouldReportMalformedYamlAsOneProblemWithItsPosition() {
        // given
        String yaml = """
                id: broken
                steps:
                  - id: a: b
                    task:
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.definition()).isNull();
        assertThat(result.problems()).containsExactly(new Problem("yaml",
                String.format(MALFORMED_YAML, "line 3, column 10: mapping values are not allowed here"), 3));
    }

    @Test
    void shouldReportAnUnterminatedStringWithWhereItStarted() {
        // when
        ParseResult result = parser.parse("id: x\nname: 'open\n");

        // then
        assertThat(result.definition()).isNull();
        assertThat(result.problems()).containsExactly(new Problem("yaml", String.format(MALFORMED_YAML,
                "line 3, column 1: found unexpected end of stream (while scanning a quoted scalar at line 2, column 7)"), 3));
    }

    @Test
    void shouldRejectADocumentThatIsNotAMapping() {
        assertThat(parser.parse("- a\n- b\n").problems())
                .containsExactly(new Problem("yaml", String.format(NOT_A_MAPPING, "a list"), 1));
        assertThat(parser.parse("").problems())
                .containsExactly(new Problem("yaml", String.format(NOT_A_MAPPING, "empty"), 0));
        assertThat(parser.parse(null).definition()).isNull();
    }

    @Test
    void shouldReportDuplicateKeys() {
        // given
        String yaml = """
                id: dup
                steps:
                  - id: a
                    task:
                    next: b
                    next: c
                id: again
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("step 'a'", String.format(DUPLICATE_KEY, "next", "step 'a'"), 6),
                new Problem("definition", String.format(DUPLICATE_KEY, "id", "the definition"), 7));
        assertThat(result.definition().id()).isEqualTo("dup");
    }

    @Test
    void shouldReadThePersonalFieldsInSourceOrder() {
        // given
        String yaml = """
                id: signup
                personal: [customer.email, contactName, businessKey, customer.addresses.street]
                steps:
                  - id: only
                    task:
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().personal())
                .containsExactly("customer.email", "contactName", "businessKey", "customer.addresses.street");
    }

    @Test
    void shouldReportPersonalFieldsThatAreNotAListOfPaths() {
        // given
        String yaml = """
                id: signup
                personal: customer.email
                steps:
                  - id: only
                    task:
                """;
        String items = """
                id: signup
                personal:
                  - customer.email
                  - {name: contactName}
                steps:
                  - id: only
                    task:
                """;

        // when
        ParseResult scalar = parser.parse(yaml);
        ParseResult mapping = parser.parse(items);

        // then
        assertThat(scalar.problems()).containsExactly(new Problem("definition", String.format(WRONG_TYPE,
                "the definition", "personal", "a list of variable paths", "'customer.email'"), 2));
        assertThat(mapping.problems()).containsExactly(new Problem("definition", String.format(WRONG_TYPE,
                "the definition", "personal", "a list of variable paths", "a mapping"), 4));
        assertThat(mapping.definition().personal()).containsExactly("customer.email");
    }

    @Test
    void shouldReportUnknownKeysNamingTheKnownOnes() {
        // given
        String yaml = """
                id: typos
                nmae: Typos
                steps:
                  - id: a
                    task: {sett: {x: "1"}}
                    nxt: b
                  - id: b
                    choice:
                      - otherwise: a
                    next: a
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("definition", String.format(UNKNOWN_FIELD, "the definition",
                        "id, name, owner, sla, expressionLanguage, retry, triggers, start, steps, personal", "nmae"), 2),
                new Problem("step 'a'", String.format(UNKNOWN_FIELD, "step 'a' field 'task'", "set", "sett"), 5),
                new Problem("step 'a'", String.format(UNKNOWN_FIELD, "step 'a'",
                        "id, name, next, retry, timeout, concurrency, catch, messages, task, multi", "nxt"), 6),
                new Problem("step 'b'", String.format(UNKNOWN_FIELD, "step 'b'", "id, name, choice", "next"), 10));
    }

    @Test
    void shouldReportUnparsableDurationsAndDates() {
        // given
        String yaml = """
                id: times
                sla: 4 hours
                steps:
                  - id: x
                    timer: {date: next monday}
                    timeout: {after: soon, next: x}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("definition", String.format(NOT_A_DURATION, "the definition", "sla", "4 hours"), 2),
                new Problem("step 'x'", String.format(NOT_AN_INSTANT, "step 'x'", "timer.date", "next monday"), 5),
                new Problem("step 'x'", "Expected step 'x' field 'timeout.after' to be an ISO-8601 duration such as PT30S, "
                        + "but it is 'soon'", 6));
    }

    @Test
    void shouldReportValuesOfTheWrongType() {
        // given
        String yaml = """
                id: types
                triggers: {event: x}
                steps:
                  - id: a
                    call: [http, post]
                    retry: {attempts: many, multiplier: double}
                    concurrency: 2.5
                    timeout: {after: PT1S, next: a, interrupting: sometimes}
                  - id: b
                    parallel: a
                  - just a string
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("definition", String.format(WRONG_TYPE, "the definition", "triggers", "a list of triggers", "a mapping"), 2),
                new Problem("step 'a'", String.format(WRONG_TYPE, "step 'a'", "call", "a connector operation such as http.post", "a list"), 5),
                new Problem("step 'a'", String.format(WRONG_TYPE, "step 'a'", "retry.attempts", "an integer", "'many'"), 6),
                new Problem("step 'a'", String.format(WRONG_TYPE, "step 'a'", "retry.multiplier", "a number", "'double'"), 6),
                new Problem("step 'a'", String.format(WRONG_TYPE, "step 'a'", "concurrency", "an integer", "'2.5'"), 7),
                new Problem("step 'a'", String.format(WRONG_TYPE, "step 'a'", "timeout.interrupting", "true or false", "'sometimes'"), 8),
                new Problem("step 'b'", String.format(WRONG_TYPE, "step 'b'", "parallel", "a list of step ids", "'a'"), 10),
                new Problem("definition", String.format(WRONG_TYPE, "the definition", "steps[3]", "a mapping", "'just a string'"), 11));
    }

    @Test
    void shouldReadTheFourEyesRuleOfAHumanTaskDefaultingToOff() {
        // given
        String yaml = """
                id: payments
                steps:
                  - id: release
                    human: {title: "Release payment", roles: [treasurer], fourEyes: true}
                    next: check
                  - id: check
                    human: {roles: [treasurer]}
                    next: typo
                  - id: typo
                    human: {roles: [treasurer], fourEyes: twice}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.definition().step("release")).contains(new HumanTaskStep(
                new StepInfo("release", "release", "check", null, null, 0, 3), "Release payment", List.of("treasurer"),
                null, true));
        assertThat(((HumanTaskStep) result.definition().step("check").orElseThrow()).fourEyes()).isFalse();
        assertThat(result.problems()).containsExactly(new Problem("step 'typo'",
                String.format(WRONG_TYPE, "step 'typo'", "human.fourEyes", "true or false", "'twice'"), 10));
    }

    @Test
    void shouldReadNestedSubprocessesErrorBoundariesAndRaces() {
        // given
        String yaml = """
                id: fix-system-failure
                retry: {attempts: 2}
                steps:
                  - id: fix
                    subprocess:
                      start: investigate
                      steps:
                        - id: investigate
                          human: {roles: [engineering]}
                          next: check
                        - id: check
                          subprocess:
                            steps:
                              - {id: diagnose, call: http.post, with: {url: "http://x"}, catch: [{error: BATON-HTTP-404, next: give-up}]}
                              - {id: give-up, end: {error: NOT_FIXABLE}}
                    timeout: {after: PT4H, next: hand-over}
                    catch:
                      - error: NOT_FIXABLE
                        next: hand-over
                      - next: hand-over
                    next: wait-for-review
                  - id: hand-over
                    human: {roles: [management]}
                  - id: wait-for-review
                    race: [reviewed, day-passed]
                  - id: reviewed
                    wait: {message: review.received}
                  - id: day-passed
                    timer: {duration: P1D}
                    next: wait-for-review
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        ProcessDefinition def = result.definition();
        assertThat(def.steps()).extracting(s -> s.id())
                .containsExactly("fix", "hand-over", "wait-for-review", "reviewed", "day-passed");
        assertThat(def.allSteps()).extracting(s -> s.id()).containsExactly("fix", "investigate", "check", "diagnose",
                "give-up", "hand-over", "wait-for-review", "reviewed", "day-passed");
        SubprocessStep fix = (SubprocessStep) def.step("fix").orElseThrow();
        assertThat(fix.start()).isEqualTo("investigate");
        assertThat(fix.info().timeout()).isEqualTo(new StepTimeout(Duration.ofHours(4), "hand-over", true));
        assertThat(fix.info().catches()).containsExactly(new ErrorCatch("NOT_FIXABLE", "hand-over"),
                new ErrorCatch(null, "hand-over"));
        assertThat(fix.info().line()).isEqualTo(4);
        SubprocessStep check = (SubprocessStep) def.step("check").orElseThrow();
        assertThat(check.start()).isEqualTo("diagnose");
        assertThat(def.enclosing("diagnose")).contains(check);
        assertThat(def.enclosing("check")).contains(fix);
        assertThat(def.enclosing("fix")).isEmpty();
        CallStep diagnose = (CallStep) def.step("diagnose").orElseThrow();
        assertThat(diagnose.info().catches()).containsExactly(new ErrorCatch("BATON-HTTP-404", "give-up"));
        assertThat(def.retryOf(diagnose).maxAttempts()).isEqualTo(2);
        assertThat(diagnose.info().line()).isEqualTo(14);
        assertThat(def.step("give-up")).contains(new EndStep(new StepInfo("give-up", "give-up", null, null, null, 0, 15),
                false, "NOT_FIXABLE"));
        assertThat(def.step("wait-for-review")).contains(new RaceStep(
                new StepInfo("wait-for-review", "wait-for-review", null, null, null, 0, 24), List.of("reviewed", "day-passed")));
    }

    @Test
    void shouldReportMalformedSubprocessesCatchesAndErrorEnds() {
        // given
        String yaml = """
                id: bad
                steps:
                  - id: fix
                    subprocess: {begin: a}
                    retry: {attempts: 2}
                    catch:
                      - error: X
                      - error:
                        next: b
                      - oops
                  - id: b
                    subprocess:
                  - id: c
                    end: {error: }
                  - id: d
                    race: wait
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("step 'fix'", String.format(UNKNOWN_FIELD, "step 'fix' field 'subprocess'", "start, steps",
                        "begin"), 4),
                new Problem("step 'fix'", String.format(MISSING_FIELD, "step 'fix'", "subprocess.steps"), 4),
                new Problem("step 'fix'", String.format(UNKNOWN_FIELD, "step 'fix'",
                        "id, name, next, timeout, catch, concurrency, messages, subprocess, multi", "retry"), 5),
                new Problem("step 'fix'", String.format(MISSING_FIELD, "step 'fix'", "catch[1].next"), 7),
                new Problem("step 'fix'", String.format(WRONG_TYPE, "step 'fix'", "catch[2].error", "given", "empty"), 8),
                new Problem("step 'fix'", String.format(WRONG_TYPE, "step 'fix'", "catch[3]", "a mapping", "'oops'"), 10),
                new Problem("step 'b'", String.format(WRONG_TYPE, "step 'b'", "subprocess", "given", "empty"), 12),
                new Problem("step 'c'", String.format(WRONG_TYPE, "step 'c'", "end.error", "given", "empty"), 14),
                new Problem("step 'd'", String.format(WRONG_TYPE, "step 'd'", "race", "a list of wait and timer step ids",
                        "'wait'"), 16));
    }

    @Test
    void shouldReadMessageBoundariesInterruptingByDefault() {
        // given
        String yaml = """
                id: orders
                steps:
                  - id: approve
                    human: {roles: [sales-manager]}
                    messages:
                      - message: com.example.order.cancelled
                        key: "order.id"
                        next: cancel
                      - {message: com.example.order.changed, next: notify, interrupting: false}
                    next: book
                  - id: book
                    task: {}
                  - id: cancel
                    task: {}
                  - id: notify
                    task: {}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().step("approve").orElseThrow().info().messages()).containsExactly(
                new MessageCatch("com.example.order.cancelled", Expression.jsonata("order.id"), "cancel", true),
                new MessageCatch("com.example.order.changed", null, "notify", false));
        assertThat(result.definition().step("book").orElseThrow().info().messages()).isEmpty();
    }

    @Test
    void shouldReadTheChannelsAWaitARaceAlternativeAndAMessageBoundaryAccept() {
        // given: the shipment only from the warehouse's channel, the cancellation from the shop's or the call
        // centre's, the review in a race from the reviewers' channel; the payment from any channel
        String yaml = """
                id: orders
                steps:
                  - id: ship
                    wait: {message: com.example.order.shipped, eventKey: "data.orderId", source: wms}
                    messages:
                      - {message: com.example.order.cancelled, next: cancel, source: [shop, call-centre]}
                    next: pay
                  - id: pay
                    wait: {message: com.example.payment.received}
                    next: review
                  - id: review
                    race: [reviewed, late]
                  - id: reviewed
                    wait: {message: com.example.reviewed, source: [reviews]}
                    next: cancel
                  - id: late
                    timer: {duration: P1D}
                    next: cancel
                  - id: cancel
                    end: {}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        ProcessDefinition def = result.definition();
        WaitStep ship = (WaitStep) def.step("ship").orElseThrow();
        assertThat(ship.sources()).containsExactly("wms");
        assertThat(ship.accepts("wms")).isTrue();
        assertThat(ship.accepts("shop")).isFalse();
        assertThat(ship.info().messages()).containsExactly(new MessageCatch("com.example.order.cancelled", null,
                "cancel", true, List.of("shop", "call-centre")));
        assertThat(((WaitStep) def.step("pay").orElseThrow()).sources()).isEmpty();
        assertThat(((WaitStep) def.step("pay").orElseThrow()).accepts("anything")).isTrue();
        assertThat(((WaitStep) def.step("reviewed").orElseThrow()).sources()).containsExactly("reviews");
    }

    @Test
    void shouldReportASourceThatIsAnEmptyListOrNotNames() {
        // given
        String yaml = """
                id: bad
                steps:
                  - id: a
                    wait: {message: m, source: []}
                    messages:
                      - {message: n, next: b, source: {channel: wms}}
                    next: b
                  - id: b
                    wait: {message: m, source: [wms, [shop]]}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        String expected = "a channel name or a non-empty list of channel names";
        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                String.format(WRONG_TYPE, "step 'a'", "wait.source", expected, "an empty list"),
                String.format(WRONG_TYPE, "step 'a'", "messages[1].source", expected, "a mapping"),
                String.format(WRONG_TYPE, "step 'b'", "wait.source", expected, "a list"));
    }

    @Test
    void shouldReportMalformedMessageBoundariesAndThemOnTimersAndRoutingSteps() {
        // given
        String yaml = """
                id: bad
                steps:
                  - id: a
                    task: {}
                    messages:
                      - {next: b}
                      - {message: m, interrupting: maybe, next: b, into: x}
                      - oops
                  - id: b
                    timer: {duration: PT1M}
                    messages: [{message: m, next: a}]
                  - id: c
                    end: {}
                    messages: [{message: m, next: a}]
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                String.format(MISSING_FIELD, "step 'a'", "messages[1].message"),
                String.format(UNKNOWN_FIELD, "step 'a' field 'messages[2]'", "message, key, next, interrupting, source",
                        "into"),
                String.format(WRONG_TYPE, "step 'a'", "messages[2].interrupting", "true or false", "'maybe'"),
                String.format(WRONG_TYPE, "step 'a'", "messages[3]", "a mapping", "'oops'"),
                String.format(UNKNOWN_FIELD, "step 'b'", "id, name, next, retry, timeout, concurrency, timer, multi", "messages"),
                String.format(UNKNOWN_FIELD, "step 'c'", "id, name, end", "messages"));
    }

    @Test
    void shouldReportStepsWithoutOrWithSeveralKinds() {
        // given
        String yaml = """
                id: kinds
                steps:
                  - id: a
                    next: b
                  - id: b
                    call: http.get
                    task: {}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("step 'a'", String.format(STEP_WITHOUT_KIND, "step 'a'",
                        "task, call, choice, parallel, join, wait, timer, human, end, subprocess, race, process,"
                                + " inclusive"), 3),
                new Problem("step 'b'", String.format(STEP_WITH_SEVERAL_KINDS, "step 'b'", "'call', 'task'"), 5));
        // the stand-ins keep the graph, so validation raises no false alarm about 'b'
        assertThat(result.definition().step("a").orElseThrow().next()).isEqualTo("b");
        assertThat(result.definition().steps()).hasSize(2);
    }

    @Test
    void shouldReportBadExpressions() {
        // given
        String yaml = """
                id: expressions
                steps:
                  - id: a
                    call: http.get
                    input: {groovy: "1 + 1"}
                    output: {x: {jsonata: "a", simple: "b"}, y: [1, 2], z: }
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("step 'a'", String.format(UNKNOWN_LANGUAGE_KEY, "step 'a'", "input", "jsonata, jsonpath, simple", "groovy"), 5),
                new Problem("step 'a'", String.format(NOT_AN_EXPRESSION, "step 'a'", "output.x", "a mapping with 2 keys"), 6),
                new Problem("step 'a'", String.format(NOT_AN_EXPRESSION, "step 'a'", "output.y", "a list"), 6),
                new Problem("step 'a'", String.format(NOT_AN_EXPRESSION, "step 'a'", "output.z", "empty"), 6));
    }

    @Test
    void shouldReadInclusiveSplitsAndDiscriminatorJoins() {
        // given
        String yaml = """
                id: notify
                steps:
                  - id: notify
                    inclusive:
                      - when: "email"
                        next: send-email
                      - when: {simple: "${body[sms]}"}
                        next: send-sms
                      - otherwise: log
                  - {id: send-email, task: {}, next: merge}
                  - {id: send-sms, task: {}, next: merge}
                  - {id: log, task: {}, next: merge}
                  - {id: merge, join: {}, next: fastest}
                  - {id: fastest, join: {first: true}}
                  - {id: plain, join:}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        ProcessDefinition def = result.definition();
        assertThat(def.step("notify")).contains(new InclusiveStep(
                new StepInfo("notify", "notify", null, null, null, 0, 3),
                List.of(new ChoiceStep.Branch(Expression.jsonata("email"), "send-email"),
                        new ChoiceStep.Branch(new Expression(Expression.SIMPLE, "${body[sms]}"), "send-sms")),
                "log"));
        assertThat(def.step("notify").orElseThrow().kind()).isEqualTo("inclusive");
        assertThat(def.step("notify").orElseThrow().isWork()).isFalse();
        assertThat(((JoinStep) def.step("merge").orElseThrow()).first()).isFalse();
        assertThat(((JoinStep) def.step("fastest").orElseThrow()).first()).isTrue();
        assertThat(((JoinStep) def.step("plain").orElseThrow()).first()).isFalse();
    }

    @Test
    void shouldReportMalformedInclusiveSplitsAndJoins() {
        // given
        String yaml = """
                id: notify
                steps:
                  - id: notify
                    inclusive:
                      - when: "email"
                      - next: send-email
                      - otherwise: log
                      - otherwise: send-email
                  - {id: send-email, task: {}, next: merge}
                  - {id: log, task: {}, next: merge}
                  - {id: merge, join: {first: maybe, last: true}}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("step 'notify'", String.format(SEVERAL_INCLUSIVE_DEFAULTS, "notify", 2), 3),
                new Problem("step 'notify'", String.format(MISSING_FIELD, "step 'notify'", "inclusive[1].next"), 5),
                new Problem("step 'notify'", String.format(INCLUSIVE_ENTRY, 2, "notify", "'next'"), 6),
                new Problem("step 'merge'", String.format(UNKNOWN_FIELD, "step 'merge' field 'join'", "first", "last"), 11),
                new Problem("step 'merge'",
                        String.format(WRONG_TYPE, "step 'merge'", "join.first", "true or false", "'maybe'"), 11));
        assertThat(((InclusiveStep) result.definition().step("notify").orElseThrow()).otherwise()).isEqualTo("log");
    }

    @Test
    void shouldReportMalformedChoicesAndTriggers() {
        // given
        String yaml = """
                id: routing
                triggers:
                  - source: sap
                  - event: a
                    cron: "0 * * * * ?"
                steps:
                  - id: decide
                    choice:
                      - when: "x > 1"
                      - next: done
                      - otherwise: done
                      - otherwise: decide
                  - id: done
                    end:
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("trigger 1", String.format(TRIGGER_KIND, "trigger 1", "neither"), 3),
                new Problem("trigger 2", String.format(TRIGGER_KIND, "trigger 2", "both"), 4),
                new Problem("step 'decide'", String.format(SEVERAL_DEFAULTS, "decide", 2), 7),
                new Problem("step 'decide'", String.format(MISSING_FIELD, "step 'decide'", "choice[1].next"), 9),
                new Problem("step 'decide'", String.format(CHOICE_ENTRY, 2, "decide", "'next'"), 10));
        ChoiceStep decide = (ChoiceStep) result.definition().step("decide").orElseThrow();
        assertThat(decide.otherwise()).isEqualTo("done");
        assertThat(result.definition().triggers()).isEmpty();
    }

    @Test
    void shouldReadTimerTriggersAtADateAndEveryIntervalInUtcWithoutAnOffset() {
        // given
        String yaml = """
                id: timers
                triggers:
                  - at: 2026-12-01T08:00:00Z
                  - at: "2026-12-01T09:00:00+01:00"
                  - at: 2026-12-01T08:00:00
                  - every: PT1H
                  - every: P1D
                    times: 3
                    from: 2026-12-01T08:00:00Z
                  - every: P2W
                steps:
                  - id: a
                    task: {}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).isEmpty();
        Instant eight = Instant.parse("2026-12-01T08:00:00Z");
        assertThat(result.definition().triggers()).containsExactly(
                TimerTrigger.once(eight), TimerTrigger.once(eight), TimerTrigger.once(eight),
                TimerTrigger.repeating(Duration.ofHours(1), null, null),
                TimerTrigger.repeating(Duration.ofDays(1), 3, eight),
                TimerTrigger.repeating(Duration.ofDays(14), null, null));
    }

    @Test
    void shouldReportTimerTriggersThatCannotBeRead() {
        // given
        String yaml = """
                id: timers
                triggers:
                  - at: next monday
                  - every: 5 minutes
                  - every: P1M
                  - at: 2026-12-01T08:00:00Z
                    every: PT1H
                  - every: PT1H
                    times: many
                    until: 2027-01-01T00:00:00Z
                steps:
                  - id: a
                    task: {}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                String.format(NOT_AN_INSTANT, "trigger 1", "at", "next monday"),
                String.format(NOT_A_DURATION, "trigger 2", "every", "5 minutes"),
                String.format(NOT_A_DURATION, "trigger 3", "every", "P1M"),
                String.format(TRIGGER_KIND, "trigger 4", "several"),
                String.format(WRONG_TYPE, "trigger 5", "times", "an integer", "'many'"),
                String.format(UNKNOWN_FIELD, "trigger 5", "every, times, from, event, cron", "until"));
        assertThat(result.definition().triggers()).containsExactly(TimerTrigger.once(
                Instant.parse("2026-12-01T08:00:00Z")), TimerTrigger.repeating(Duration.ofHours(1), null, null));
    }

    @Test
    void shouldNeverConstructJavaTypesNamedByTheDocument() {
        // when
        ParseResult result = parser.parse("""
                id: evil
                steps:
                  - id: a
                    call: http.get
                    with: {file: !!java.io.File /etc/passwd}
                """);

        // then
        assertThat(result.definition()).isNull();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.element()).isEqualTo("yaml");
            assertThat(p.message()).contains("Global tag is not allowed: tag:yaml.org,2002:java.io.File");
        });
    }

    @Test
    void shouldRefuseTooManyAliases() {
        // given: a "billion laughs"
        String yaml = """
                a: &a [x, x, x, x, x, x, x, x, x, x]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
                f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
                g: [*f]
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(new Problem("yaml", String.format(MALFORMED_YAML,
                "Number of aliases for non-scalar nodes exceeds the specified max=" + YamlDefinitionParser.MAX_ALIASES), 0));
    }

    @Test
    void shouldRefuseADocumentLargerThanTheLimit() {
        // given
        String yaml = "id: big\nname: '" + "x".repeat(YamlDefinitionParser.MAX_CODE_POINTS) + "'\n";

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.definition()).isNull();
        assertThat(result.problems()).containsExactly(new Problem("yaml",
                String.format(TOO_LARGE, YamlDefinitionParser.MAX_CODE_POINTS, yaml.length()), 0));
    }

    @Test
    void shouldReadAnchorsAndMergeKeysButRejectSettingsThatReferToThemselves() {
        // given
        String yaml = """
                id: shared
                retry: &retry {attempts: 2}
                steps:
                  - id: a
                    call: http.get
                    retry: {<<: *retry, backoff: PT3S}
                    with: &loop {self: *loop}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).containsExactly(
                new Problem("step 'a'", String.format(NOT_PLAIN_DATA, "step 'a'", "with", "it refers to itself"), 7));
        assertThat(result.definition().steps().get(0).info().retry())
                .isEqualTo(new RetryPolicy(2, Duration.ofSeconds(3), 2.0, Duration.ofMinutes(1)));
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        // given
        String yaml = """
                id: many
                sla: later
                steps:
                  - id: a
                    call: http.get
                    timeout: {next: b}
                    colour: blue
                  - id: b
                    timer: {duration: 5m}
                """;

        // when
        ParseResult result = parser.parse(yaml);

        // then
        assertThat(result.problems()).extracting(Problem::line).containsExactly(2, 6, 7, 9);
        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                String.format(NOT_A_DURATION, "the definition", "sla", "later"),
                String.format(MISSING_FIELD, "step 'a'", "timeout.after"),
                String.format(UNKNOWN_FIELD, "step 'a'",
                        "id, name, next, retry, timeout, concurrency, with, input, output, catch, messages, call, multi", "colour"),
                String.format(NOT_A_DURATION, "step 'b'", "timer.duration", "5m"));
    }
}
