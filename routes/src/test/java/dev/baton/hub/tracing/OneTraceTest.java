package dev.baton.hub.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One instance is one trace: its root, every hand-off, the connector calls beneath them, the retry's
 * back-off, the timer's wait, the three branches of a fork and the join, a human task's wait and its
 * completion — each span with the parent the hand-off order gives it. Checked on the spans the SDK
 * hands its exporters, and on {@code GET /api/traces/{id}} from the hub's own span store. Logs are JSON here (as on request in production), and a step's lines name its span.
 */
@Import(OneTraceTest.Spans.class)
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.structured.format.console=ecs")
class OneTraceTest extends HubTestBase {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @TestConfiguration
    static class Spans {
        @Bean
        SpanProcessor inMemorySpans() {
            return SimpleSpanProcessor.create(SPANS);
        }
    }

    private EffectServer remote;

    /**
     * Boot keeps the log format in a system property ({@code CONSOLE_LOG_STRUCTURED_FORMAT}) that outlives
     * this test's context: without this, the tests after it in the same JVM would log JSON too.
     */
    @AfterAll
    static void plainLogsAgain() {
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    @BeforeEach
    void remote() {
        remote = new EffectServer();
    }

    @AfterEach
    void stopRemote() {
        remote.close();
    }

    @Test
    void anInstanceAcrossAForkAConnectorARetryATimerAndAPersonIsOneTrace(CapturedOutput output) {
        // given: prepare, then three branches: an SAP read (the sandbox), a webhook failing once (a retry)
        // and a timer; a join; a person approves; the end
        String id = unique("traced");
        Api.Response deployed = api.deploy("""
                id: %s
                steps:
                  - id: prepare
                    task: {set: {partner: "'0100000000'"}}
                    next: split
                  - id: split
                    parallel: [partner, notify, pause]
                  - id: partner
                    call: sap.read
                    with: {command: "BusinessPartnerSet('{id}')"}
                    input: '{"id": partner}'
                    output: {name: CompanyName}
                    next: merge
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 3, backoff: PT0.3S}
                    next: merge
                  - id: pause
                    timer: {duration: PT0.5S}
                    next: merge
                  - id: merge
                    join: {}
                    next: approve
                  - id: approve
                    human: {title: "Approve", roles: [sales-manager]}
                    next: finish
                  - id: finish
                    task: {}
                """.formatted(id, remote.url("/notify")));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        remote.failNext(1, 503);

        // when
        String instance = api.start(id, "T-1", Map.of());
        JsonNode task = await().atMost(Duration.ofSeconds(30)).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> instance.equals(t.path("instanceId").asText())).findFirst().orElse(null),
                t -> t != null);
        Api.Response done = api.postJson("/api/tasks/" + task.path("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("approved", true));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.status(instance)));
        String traceId = api.instance(instance).path("traceId").asText();

        // then: every span of the instance is in its trace
        await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(traceId).stream()
                .anyMatch(s -> s.getName().equals("process baton." + id + ".finish")));
        AttributeKey<String> instanceKey = AttributeKey.stringKey("baton.instance");
        assertThat(SPANS.getFinishedSpanItems()).filteredOn(s -> instance.equals(s.getAttributes().get(instanceKey)))
                .allMatch(s -> s.getTraceId().equals(traceId), "in trace " + traceId);
        List<SpanData> trace = spansOf(traceId);

        SpanData root = one(trace, "start " + id);
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        SpanData prepare = one(trace, "process baton." + id + ".prepare");
        assertThat(prepare.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(prepare.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                .isEqualTo("baton." + id + ".prepare");
        assertChild(prepare, root);

        // the fork: three branches, each a child of the hand-off that reached the fork
        SpanData partner = one(trace, "process baton." + id + ".partner");
        assertChild(partner, prepare);
        SpanData sapCall = one(trace, "sap read");
        assertThat(sapCall.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(sapCall.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertChild(sapCall, partner);
        // Camel's own spans of the call are beneath it, in the same trace
        assertThat(trace).anyMatch(s -> s.getParentSpanId().equals(sapCall.getSpanId()));

        List<SpanData> notify = trace.stream().filter(s -> s.getName().equals("process baton." + id + ".notify"))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
        assertThat(notify).hasSize(2);
        SpanData firstAttempt = notify.get(0);
        SpanData secondAttempt = notify.get(1);
        assertChild(firstAttempt, prepare);
        assertThat(firstAttempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(firstAttempt.getAttributes().get(AttributeKey.longKey("baton.attempt"))).isEqualTo(1L);
        SpanData failedCall = trace.stream().filter(s -> s.getName().equals("http post")
                && s.getParentSpanId().equals(firstAttempt.getSpanId())).findFirst().orElseThrow();
        assertThat(failedCall.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503L);
        assertThat(failedCall.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        // the retry: its back-off is a span between the failed attempt and the next one
        SpanData backOff = one(trace, "wait retry notify");
        assertChild(backOff, firstAttempt);
        assertThat(backOff.getAttributes().get(AttributeKey.longKey("baton.attempt"))).isEqualTo(2L);
        assertChild(secondAttempt, backOff);
        assertThat(secondAttempt.getAttributes().get(AttributeKey.longKey("baton.attempt"))).isEqualTo(2L);
        assertThat(secondAttempt.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        // from the retry's sending (just after the failed attempt committed) to its due time: the back-off
        assertThat(Duration.ofNanos(backOff.getEndEpochNanos() - backOff.getStartEpochNanos()))
                .isBetween(Duration.ofMillis(150), Duration.ofMillis(300));

        // the timer: the step that set it, the wait, the hand-off that fired it
        List<SpanData> pause = trace.stream().filter(s -> s.getName().equals("process baton." + id + ".pause"))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
        assertThat(pause).hasSize(2);
        assertChild(pause.get(0), prepare);
        SpanData timer = one(trace, "wait timer pause");
        assertChild(timer, pause.get(0));
        assertChild(pause.get(1), timer);
        assertThat(pause.get(1).getAttributes().get(AttributeKey.stringKey("baton.command"))).isEqualTo("FIRE_TIMER");
        // the wait ends when the timer is due: half a second after the step was entered (in prepare's hand-off)
        assertThat(Duration.ofNanos(timer.getEndEpochNanos() - prepare.getStartEpochNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        // (the broker's scheduler may wake a millisecond or two early)
        assertThat(pause.get(1).getStartEpochNanos()).isGreaterThanOrEqualTo(timer.getEndEpochNanos() - 5_000_000);

        // the join: the branch that arrived last continues; it links to the other two branches
        List<SpanData> branchEnds = List.of(partner, secondAttempt, pause.get(1));
        SpanData approveOpened = trace.stream().filter(s -> s.getName().equals("process baton." + id + ".approve")
                && "EXECUTE_STEP".equals(s.getAttributes().get(AttributeKey.stringKey("baton.command"))))
                .findFirst().orElseThrow();
        SpanData last = branchEnds.stream().filter(b -> b.getSpanId().equals(approveOpened.getParentSpanId()))
                .findFirst().orElseThrow(() -> new AssertionError("the approval continues from no branch's end"));
        Set<String> linked = last.getLinks().stream().map(LinkData::getSpanContext)
                .peek(c -> assertThat(c.getTraceId()).isEqualTo(traceId))
                .map(c -> c.getSpanId()).collect(Collectors.toSet());
        assertThat(linked).containsExactlyInAnyOrderElementsOf(branchEnds.stream().filter(b -> b != last)
                .map(SpanData::getSpanId).toList());

        // the person: the task's wait from the hand-off that opened it, the completion, the hand-off it sent
        SpanData waited = one(trace, "wait task approve");
        assertChild(waited, approveOpened);
        assertThat(waited.getAttributes().get(AttributeKey.stringKey("baton.task"))).isEqualTo(task.path("id").asText());
        SpanData completed = one(trace, "complete task approve");
        assertChild(completed, waited);
        SpanData resumed = trace.stream().filter(s -> s.getName().equals("process baton." + id + ".approve")
                && "COMPLETE_TASK".equals(s.getAttributes().get(AttributeKey.stringKey("baton.command"))))
                .findFirst().orElseThrow();
        assertChild(resumed, completed);
        assertChild(one(trace, "process baton." + id + ".finish"), resumed);

        // the same trace, from the hub's own span store: every span with the same parent
        Map<String, String> parents = trace.stream().collect(Collectors.toMap(SpanData::getSpanId,
                SpanData::getParentSpanId));
        JsonNode stored = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/traces/" + traceId,
                TestUsers.AUDITOR).json(), t -> t != null && t.path("spans").size() >= parents.size());
        Map<String, String> storedParents = new java.util.HashMap<>();
        for (JsonNode s : stored.path("spans")) {
            storedParents.put(s.path("spanId").asText(), s.path("parentSpanId").isNull() ? "0000000000000000"
                    : s.path("parentSpanId").asText());
        }
        assertThat(storedParents).isEqualTo(parents);
        assertThat(stored.path("audit").asText()).isEqualTo("/api/audit?traceId=" + traceId);

        // the log, JSON on request: the failed attempt's line names its trace and span
        JsonNode line = output.getAll().lines().filter(l -> l.startsWith("{") && l.contains("BATON-HTTP-503"))
                .map(OneTraceTest::json).findFirst().orElseThrow(() -> new AssertionError("no JSON line of the failure"));
        assertThat(line.path("log").path("logger").asText()).isEqualTo("dev.baton.hub.runtime.StepRunner");
        assertThat(line.path("traceId").asText()).isEqualTo(traceId);
        assertThat(line.path("spanId").asText()).isEqualTo(firstAttempt.getSpanId());
    }

    @Test
    void aWaitResumedByAnEventContinuesTheInstancesTrace() throws Exception {
        // given: an instance waiting for a payment message keyed by its business key
        String id = unique("awaits");
        assertThat(api.deploy("""
                id: %s
                steps:
                  - id: await-payment
                    wait: {message: test.trace.paid}
                    next: book
                  - id: book
                    task: {}
                """.formatted(id)).status()).isEqualTo(201);
        String instance = api.start(id, "INV-T1", Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING".equals(api.status(instance)));

        // when: the message comes as an event from outside, in no trace of the instance's
        Api.Response sent = api.post("/events/tests", TestUsers.INTEGRATION, "application/cloudevents+json",
                new ObjectMapper().writeValueAsString(Map.of("specversion", "1.0", "id", "pay-" + instance,
                        "source", "/tests", "type", "test.trace.paid", "subject", "INV-T1", "data", Map.of())));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(api.status(instance)));

        // then: the wait and the resumed step are in the instance's trace, after the step that subscribed
        String traceId = api.instance(instance).path("traceId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> spansOf(traceId).stream()
                .anyMatch(s -> s.getName().equals("process baton." + id + ".book")));
        List<SpanData> trace = spansOf(traceId);
        List<SpanData> awaiting = trace.stream().filter(s -> s.getName().equals("process baton." + id + ".await-payment"))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
        assertThat(awaiting).hasSize(2);
        SpanData waited = one(trace, "wait message await-payment");
        assertChild(waited, awaiting.get(0));
        assertThat(waited.getAttributes().get(AttributeKey.stringKey("baton.message.type"))).isEqualTo("test.trace.paid");
        assertChild(awaiting.get(1), waited);
        assertThat(awaiting.get(1).getAttributes().get(AttributeKey.stringKey("baton.command")))
                .isEqualTo("CORRELATE_MESSAGE");
        assertChild(one(trace, "process baton." + id + ".book"), awaiting.get(1));
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static List<SpanData> spansOf(String traceId) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static SpanData one(List<SpanData> trace, String name) {
        List<SpanData> named = trace.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named '%s' in %s", name, trace.stream().map(SpanData::getName).toList())
                .hasSize(1);
        return named.get(0);
    }

    private static void assertChild(SpanData child, SpanData parent) {
        assertThat(child.getParentSpanId()).as("parent of '%s'", child.getName()).isEqualTo(parent.getSpanId());
        assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
    }
}
