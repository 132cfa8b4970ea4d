package dev.baton.model.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.baton.model.definition.RetryPolicy;
import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;

/** Other engines' retry settings keep their meaning: the runs in all, and how far apart. */
class ForeignRetryTest {

    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
            + " xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\""
            + " xmlns:baton=\"https://baton.dev/bpmn\" id=\"defs\" targetNamespace=\"t\">\n"
            + "<process id=\"p\" isExecutable=\"true\"><startEvent id=\"s\"/>"
            + "<sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"work\"/>\n";

    private final BpmnReader reader = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE);

    private Reading read(String task) {
        return reader.read((HEADER + task + "</process></definitions>\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadCamundasRetryTimeCycleAndZeebesRetries() {
        // when
        Reading camunda = read("""
                <serviceTask id="work" camunda:asyncBefore="true">
                  <extensionElements>
                    <baton:call operation="http.get"/>
                    <camunda:failedJobRetryTimeCycle>R5/PT5M</camunda:failedJobRetryTimeCycle>
                  </extensionElements>
                </serviceTask>
                """);
        Reading zeebe = read("""
                <serviceTask id="work">
                  <extensionElements>
                    <baton:call operation="http.get"/>
                    <zeebe:taskDefinition type="x" retries="7"/>
                  </extensionElements>
                </serviceTask>
                """);

        // then: async points need nothing (every work step is a durable hand-off); the retries are kept
        assertThat(camunda.problems()).isEmpty();
        assertThat(camunda.definition().step("work").orElseThrow().info().retry())
                .isEqualTo(new RetryPolicy(5, Duration.ofMinutes(5), 1.0, Duration.ofMinutes(5)));
        assertThat(zeebe.problems()).isEmpty();
        assertThat(zeebe.definition().step("work").orElseThrow().info().retry().maxAttempts()).isEqualTo(7);
        assertThat(zeebe.definition().step("work").orElseThrow().info().retry().initialBackoff())
                .isEqualTo(RetryPolicy.DEFAULT.initialBackoff());
    }

    @Test
    void shouldReportACycleItCannotRead() {
        // when
        Reading r = read("""
                <serviceTask id="work">
                  <extensionElements>
                    <baton:call operation="http.get"/>
                    <camunda:failedJobRetryTimeCycle>PT1M,PT5M,PT10M</camunda:failedJobRetryTimeCycle>
                  </extensionElements>
                </serviceTask>
                """);

        // then
        assertThat(r.problems()).extracting(Problem::message).singleElement()
                .satisfies(m -> assertThat(m).contains("R5/PT5M", "PT1M,PT5M,PT10M"));
    }
}
