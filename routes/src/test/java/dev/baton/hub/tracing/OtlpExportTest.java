package dev.baton.hub.tracing;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.OtlpReceiver;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hub configured with nothing but an OTLP endpoint sends its spans there, as a Jaeger, Tempo or
 * collector would receive them: the same trace and span ids that the API answers, under the service
 * name from the configuration.
 */
class OtlpExportTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final OtlpReceiver COLLECTOR = new OtlpReceiver();
    private static final String SERVICE = "baton-otlp-test";

    @DynamicPropertySource
    static void otlp(DynamicPropertyRegistry registry) {
        // no exporter named: the endpoint alone turns OTLP trace export on
        registry.add("otel.exporter.otlp.endpoint", COLLECTOR::endpoint);
        registry.add("otel.exporter.otlp.protocol", () -> "http/protobuf");
        registry.add("otel.service.name", () -> SERVICE);
        registry.add("otel.bsp.schedule.delay", () -> "100ms");
        registry.add("baton.tracing.store.flush-every", () -> "100ms");
    }

    @AfterAll
    static void stopCollector() {
        COLLECTOR.close();
    }

    private static Set<String> spanIds(JsonNode trace) {
        return Api.toList(trace.get("spans")).stream().map(s -> s.get("spanId").asText()).collect(Collectors.toSet());
    }

    @Test
    void shouldExportTheSpansOfAnInstanceOverOtlpWithTheIdsTheApiShows() {
        // given
        String definition = unique("exported");
        Api.Response deployed = api.deploy("""
                id: %s
                steps:
                  - id: prepare
                    task: {set: {doubled: "amount * 2"}}
                    next: finish
                  - id: finish
                    task: {set: {done: "true"}}
                """.formatted(definition));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);

        // when
        Api.Response started = api.postJson("/api/definitions/" + definition + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", "OTLP-1", "variables", Map.of("amount", 2)));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String instance = started.text("instanceId");
        String traceId = started.text("traceId");
        await().atMost(WAIT).until(() -> "COMPLETED".equals(api.status(instance)));

        // then: the collector has exactly the spans the hub's own store shows, in the trace the start answered
        await().atMost(WAIT).untilAsserted(() -> {
            Api.Response trace = api.get("/api/traces/" + traceId, TestUsers.OPERATOR);
            assertThat(trace.status()).as(trace.body()).isEqualTo(200);
            Set<String> exported = COLLECTOR.spans(traceId).stream().map(OtlpReceiver.ReceivedSpan::spanId)
                    .collect(Collectors.toSet());
            assertThat(exported).isNotEmpty().isEqualTo(spanIds(trace.json()));
        });
        Set<String> handoffs = Api.toList(api.instance(instance).get("handoffs")).stream()
                .map(h -> h.get("spanId").asText()).collect(Collectors.toSet());
        assertThat(handoffs).isNotEmpty();
        assertThat(COLLECTOR.spans(traceId)).extracting(OtlpReceiver.ReceivedSpan::spanId).containsAll(handoffs);
        assertThat(COLLECTOR.spans(traceId)).extracting(OtlpReceiver.ReceivedSpan::service).containsOnly(SERVICE);
    }
}
