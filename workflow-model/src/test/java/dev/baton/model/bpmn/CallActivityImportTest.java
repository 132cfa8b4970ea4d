package dev.baton.model.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.parser.DefinitionReader;
import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;

/**
 * Call activities, assignees, default roles and lanes: as Camunda 7, Flowable and Zeebe write them, and in
 * the YAML DSL.
 */
class CallActivityImportTest {

    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
            + " xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\""
            + " xmlns:flowable=\"http://flowable.org/bpmn\" id=\"defs\" targetNamespace=\"t\">\n";

    private final BpmnReader reader = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE);

    private static byte[] bpmn(String body) {
        return (HEADER + body + "</definitions>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String process(String node) {
        return """
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
                  %s
                </process>
                """.formatted(node);
    }

    @Test
    void shouldReadCamundaInAndOutMappingsAndAVersionBinding() {
        // when
        Reading r = reader.read(bpmn(process("""
                <callActivity id="call" calledElement="billing" camunda:calledElementBinding="version"
                              camunda:calledElementVersion="4">
                  <extensionElements>
                    <camunda:in source="order" target="order"/>
                    <camunda:in sourceExpression="${amount}" target="total"/>
                    <camunda:in businessKey="#{execution.processBusinessKey}"/>
                    <camunda:out source="invoice" target="invoiceNumber"/>
                  </extensionElements>
                </callActivity>
                """)));

        // then
        assertThat(r.problems()).isEmpty();
        CallActivityStep call = (CallActivityStep) r.definition().step("call").orElseThrow();
        assertThat(call.definition()).isEqualTo("billing");
        assertThat(call.version()).isEqualTo(4);
        assertThat(call.input()).isEqualTo(Expression.jsonata("{\"order\": order, \"total\": amount}"));
        assertThat(call.output()).isEqualTo(Map.of("invoiceNumber", Expression.jsonata("invoice")));
    }

    @Test
    void shouldPassEveryVariableForVariablesAllAndNoneWithoutMappings() {
        // when
        Reading all = reader.read(bpmn(process("""
                <callActivity id="call" calledElement="billing">
                  <extensionElements>
                    <flowable:in variables="all"/>
                    <flowable:out variables="all"/>
                  </extensionElements>
                </callActivity>
                """)));
        Reading none = reader.read(bpmn(process("<callActivity id=\"call\" calledElement=\"billing\"/>")));

        // then: Camunda and Flowable pass nothing unless told
        CallActivityStep everything = (CallActivityStep) all.definition().step("call").orElseThrow();
        assertThat(everything.input()).isNull();
        assertThat(everything.output()).isNull();
        CallActivityStep nothing = (CallActivityStep) none.definition().step("call").orElseThrow();
        assertThat(nothing.input()).isEqualTo(Expression.jsonata("{}"));
        assertThat(nothing.output()).isEmpty();
    }

    @Test
    void shouldReadZeebesCalledElementWithItsPropagationFlags() {
        // when
        Reading r = reader.read(bpmn(process("""
                <callActivity id="call">
                  <extensionElements>
                    <zeebe:calledElement processId="automatedTestsProcess" propagateAllChildVariables="false"/>
                  </extensionElements>
                </callActivity>
                """)));
        Reading dynamic = reader.read(bpmn(process("""
                <callActivity id="call">
                  <extensionElements><zeebe:calledElement processId="= target"/></extensionElements>
                </callActivity>
                """)));

        // then: Zeebe hands over all variables by default, and here takes none back
        CallActivityStep call = (CallActivityStep) r.definition().step("call").orElseThrow();
        assertThat(call.definition()).isEqualTo("automatedTestsProcess");
        assertThat(call.input()).isNull();
        assertThat(call.output()).isEmpty();
        assertThat(dynamic.problems()).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("called process chosen by an expression", "= target"));
    }

    @Test
    void shouldCatchTheCalledProcesssErrorsWithAnErrorBoundaryOnTheCallActivity() {
        // when
        Reading r = reader.read(bpmn(process("""
                <callActivity id="call" calledElement="billing"/>
                <boundaryEvent id="b" attachedToRef="call"><errorEventDefinition/></boundaryEvent>
                <sequenceFlow id="f2" sourceRef="b" targetRef="t"/>
                <task id="t"/>
                """)));

        // then: a catch-all on the step, which takes what the child throws (and its cancellation)
        assertThat(r.problems()).isEmpty();
        assertThat(r.definition().step("call").orElseThrow().info().catches())
                .containsExactly(new dev.baton.model.definition.ErrorCatch(null, "t"));
    }

    @Test
    void shouldAssignUserTasksAndOfferUnassignedOnesToTheDefaultRoles() {
        // given
        BpmnReader configured = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE,
                new BpmnBindings(Map.of(), Map.of("#{people.owner(order)}", "order.owner", "$INITIATOR", "initiator"),
                        List.of("clerks")));
        String body = """
                <process id="p" isExecutable="true">
                  <laneSet><lane id="l1" name="Sales"><flowNodeRef>a</flowNodeRef><flowNodeRef>b</flowNodeRef></lane>
                    <lane id="l2"><flowNodeRef>c</flowNodeRef></lane></laneSet>
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
                  <userTask id="a" camunda:assignee="${initiator}"/>
                  <sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
                  <userTask id="b" camunda:assignee="#{people.owner(order)}"/>
                  <sequenceFlow id="f3" sourceRef="b" targetRef="c"/>
                  <userTask id="c"/>
                  <sequenceFlow id="f4" sourceRef="c" targetRef="d"/>
                  <userTask id="d"><extensionElements><zeebe:assignmentDefinition assignee="demo"/></extensionElements>
                  </userTask>
                  <sequenceFlow id="f5" sourceRef="d" targetRef="e"/>
                  <userTask id="e" flowable:assignee="$INITIATOR"/>
                </process>
                """;

        // when
        Reading r = configured.read(bpmn(body));
        Reading unconfigured = reader.read(bpmn(body));

        // then
        assertThat(r.problems()).isEmpty();
        assertThat(((HumanTaskStep) r.definition().step("a").orElseThrow()).assignee())
                .isEqualTo(Expression.jsonata("initiator"));
        assertThat(((HumanTaskStep) r.definition().step("b").orElseThrow()).assignee())
                .isEqualTo(Expression.jsonata("order.owner"));
        assertThat(((HumanTaskStep) r.definition().step("c").orElseThrow()).candidateRoles()).containsExactly("clerks");
        assertThat(((HumanTaskStep) r.definition().step("d").orElseThrow()).assignee())
                .isEqualTo(Expression.jsonata("\"demo\""));
        assertThat(((HumanTaskStep) r.definition().step("e").orElseThrow()).assignee())
                .isEqualTo(Expression.jsonata("initiator"));
        assertThat(r.definition().step("a").orElseThrow().info().lane()).isEqualTo("Sales");
        assertThat(r.definition().step("c").orElseThrow().info().lane()).isEqualTo("l2");
        assertThat(r.definition().step("d").orElseThrow().info().lane()).isNull();
        // without configuration: the bean call is reported with the expression, the unassigned task too
        assertThat(unconfigured.problems()).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("#{people.owner(order)}", "baton.bpmn.expressions"))
                .anySatisfy(m -> assertThat(m).contains("'c'", "candidate role or an assignee"))
                .anySatisfy(m -> assertThat(m).contains("$INITIATOR", "placeholder"));
    }

    @Test
    void shouldReadAndCheckTheProcessKindInYaml() {
        // given
        DefinitionReader yaml = new DefinitionReader(ConnectorCatalog.of(java.util.Set.of()), ExpressionChecker.NONE);

        // when
        Reading good = yaml.read("""
                id: caller
                steps:
                  - {id: call, process: {definition: billing, version: 2, input: '{"a": a}', output: {b: "b"}}, next: ask}
                  - {id: ask, human: {assignee: "owner"}}
                """);
        Reading bad = yaml.read("""
                id: caller
                steps:
                  - {id: call, process: {version: 0, into: x}, next: ask}
                  - {id: ask, human: {title: nobody}}
                """);

        // then
        assertThat(good.problems()).isEmpty();
        CallActivityStep call = (CallActivityStep) good.definition().step("call").orElseThrow();
        assertThat(call.version()).isEqualTo(2);
        assertThat(call.output()).isEqualTo(Map.of("b", Expression.jsonata("b")));
        assertThat(bad.problems()).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("definition"))
                .anySatisfy(m -> assertThat(m).contains("'into'"))
                .anySatisfy(m -> assertThat(m).contains("'ask'", "candidate role or an assignee"));
    }
}
