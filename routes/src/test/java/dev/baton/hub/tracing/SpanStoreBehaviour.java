package dev.baton.hub.tracing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.HubCodes;
import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.ErrorBodies;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local span store on a running hub: what an instance leaves in it and how {@code GET /api/traces/{id}}
 * shows it, a batch exported twice, and the sweep that keeps it bounded by age and by count.
 * Subclasses choose the database.
 */
abstract class SpanStoreBehaviour extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_SPANS = 1000;

    @Autowired
    protected SpanStore store;

    @DynamicPropertySource
    static void boundedStore(DynamicPropertyRegistry registry) {
        registry.add("baton.tracing.store.retain", () -> "1h");
        registry.add("baton.tracing.store.max-spans", () -> MAX_SPANS);
        registry.add("baton.tracing.store.sweep-every", () -> "200ms");
        registry.add("baton.tracing.store.flush-every", () -> "100ms");
    }

    private static String traceId() {
        return TraceId.fromLongs(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong() | 1);
    }

    private static String spanId() {
        return SpanId.fromLong(ThreadLocalRandom.current().nextLong() | 1);
    }

    /** An ended span as the SDK hands it to an exporter. */
    private static SpanData span(String traceId, String spanId, String parentSpanId, String name, Instant end) {
        return TestSpanData.builder()
                .setSpanContext(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
                .setParentSpanContext(parentSpanId == null ? SpanContext.getInvalid()
                        : SpanContext.create(traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault()))
                .setName(name).setKind(SpanKind.INTERNAL)
                .setStartEpochNanos(ChronoUnit.NANOS.between(Instant.EPOCH, end.minusMillis(5)))
                .setEndEpochNanos(ChronoUnit.NANOS.between(Instant.EPOCH, end))
                .setAttributes(Attributes.of(AttributeKey.stringKey("baton.step"), name,
                        AttributeKey.longKey("baton.version"), 3L))
                .setStatus(StatusData.unset()).setHasEnded(true).build();
    }

    private JsonNode trace(String traceId) {
        Api.Response r = api.get("/api/traces/" + traceId, TestUsers.AUDITOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void shouldShowTheSpansAnInstanceLeftWithTheirParentsInOrderOfStart() {
        // given
        String definition = unique("traced");
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
                Map.of("businessKey", "TRACE-1", "variables", Map.of("amount", 2)));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String instance = started.text("instanceId");
        String traceId = started.text("traceId");
        await().atMost(WAIT).until(() -> "COMPLETED".equals(api.status(instance)));
        Set<String> handoffs = Api.toList(api.instance(instance).get("handoffs")).stream()
                .map(h -> h.get("spanId").asText()).collect(Collectors.toSet());

        // then: the root span, and a span of every hand-off, each under a parent of the same trace
        await().atMost(WAIT).untilAsserted(() -> assertThat(Api.toList(trace(traceId).get("spans")))
                .extracting(s -> s.get("spanId").asText()).containsAll(handoffs));
        JsonNode trace = trace(traceId);
        assertThat(trace.get("traceId").asText()).isEqualTo(traceId);
        List<JsonNode> spans = Api.toList(trace.get("spans"));
        Set<String> ids = spans.stream().map(s -> s.get("spanId").asText()).collect(Collectors.toSet());
        JsonNode root = spans.get(0);
        assertThat(root.get("parentSpanId").isNull()).as(root.toString()).isTrue();
        assertThat(root.get("name").asText()).isEqualTo("start " + definition);
        assertThat(root.get("kind").asText()).isEqualTo("PRODUCER");
        assertThat(root.get("attributes").get("baton.instance").asText()).isEqualTo(instance);
        assertThat(root.get("attributes").get("baton.version").isIntegralNumber()).isTrue();
        assertThat(spans.subList(1, spans.size())).allSatisfy(s -> assertThat(ids)
                .as("the parent of %s", s.get("name").asText()).contains(s.get("parentSpanId").asText()));
        assertThat(spans).allSatisfy(s -> {
            assertThat(s.get("status").get("code").asText()).isIn("UNSET", "OK");
            assertThat(Instant.parse(s.get("endedAt").asText())).isAfterOrEqualTo(Instant.parse(s.get("startedAt").asText()));
            assertThat(s.get("links").isArray()).isTrue();
        });
        assertThat(spans).extracting(s -> Instant.parse(s.get("startedAt").asText())).isSorted();
        assertThat(spans).filteredOn(s -> s.get("attributes").has("baton.step"))
                .extracting(s -> s.get("attributes").get("baton.step").asText()).contains("prepare", "finish");
    }

    @Test
    void shouldStoreASpanExportedTwiceOnce() {
        // given
        String traceId = traceId();
        String root = spanId();
        Instant now = Instant.now();
        SpanData first = span(traceId, root, null, "first", now);
        SpanData second = span(traceId, spanId(), root, "second", now.plusMillis(10));
        assertThat(store.export(List.of(first, second)).isSuccess()).isTrue();

        // when: the same spans again, with one new
        SpanData linked = TestSpanData.builder().setSpanContext(SpanContext.create(traceId, spanId(),
                        TraceFlags.getSampled(), TraceState.getDefault()))
                .setParentSpanContext(first.getSpanContext()).setName("third").setKind(SpanKind.CONSUMER)
                .setStartEpochNanos(second.getEndEpochNanos()).setEndEpochNanos(second.getEndEpochNanos() + 1_000)
                .setLinks(List.of(LinkData.create(second.getSpanContext())))
                .setStatus(StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, "BATON-RT-006: broken"))
                .setHasEnded(true).build();
        assertThat(store.export(List.of(first, second, linked)).isSuccess()).isTrue();

        // then
        List<JsonNode> spans = Api.toList(trace(traceId).get("spans"));
        assertThat(spans).extracting(s -> s.get("name").asText()).containsExactly("first", "second", "third");
        JsonNode third = spans.get(2);
        assertThat(third.get("status").get("code").asText()).isEqualTo("ERROR");
        assertThat(third.get("status").get("description").asText()).isEqualTo("BATON-RT-006: broken");
        assertThat(third.get("links").get(0).get("spanId").asText()).isEqualTo(second.getSpanId());
        assertThat(spans.get(1).get("attributes").get("baton.version").asLong()).isEqualTo(3L);
    }

    @Test
    void shouldDeleteSpansPastTheirRetentionAndTheOldestBeyondTheCap() {
        // given: spans that ended two days ago (retention: one hour), and more than the cap that ended within it
        String old = traceId();
        Instant now = Instant.now();
        List<SpanData> expired = IntStream.range(0, 5)
                .mapToObj(i -> span(old, spanId(), null, "expired-" + i, now.minus(Duration.ofDays(2)))).toList();
        String recent = traceId();
        List<SpanData> capped = new ArrayList<>();
        for (int i = 0; i < MAX_SPANS + 100; i++) {
            // 30 minutes ago and later, one millisecond apart: the first ones are the oldest in the store
            capped.add(span(recent, spanId(), null, "capped-" + i, now.minus(Duration.ofMinutes(30)).plusMillis(i)));
        }

        // when
        assertThat(store.export(expired).isSuccess()).isTrue();
        assertThat(store.export(capped).isSuccess()).isTrue();

        // then: the sweep removes the expired trace, then the oldest spans until at most the cap are left
        await().atMost(WAIT).untilAsserted(() -> {
            ErrorBodies.assertError(api.get("/api/traces/" + old, TestUsers.OPERATOR), 404, HubCodes.NOT_FOUND);
            assertThat(store.count()).isLessThanOrEqualTo(MAX_SPANS);
        });
        Set<String> kept = Api.toList(trace(recent).get("spans")).stream().map(s -> s.get("name").asText())
                .collect(Collectors.toSet());
        assertThat(kept).doesNotContain("capped-0", "capped-99")
                .contains("capped-" + (MAX_SPANS + 99), "capped-" + (MAX_SPANS / 2));
    }

    @Test
    void shouldAnswer404ForAnUnknownTraceAnd400ForAMalformedOne() {
        ErrorBodies.assertError(api.get("/api/traces/" + traceId(), TestUsers.OPERATOR), 404, HubCodes.NOT_FOUND);
        ErrorBodies.assertError(api.get("/api/traces/not-a-trace", TestUsers.OPERATOR), 400, HubCodes.BAD_REQUEST);
        ErrorBodies.assertError(api.get("/api/traces/" + "0".repeat(32), TestUsers.ADMIN), 400, HubCodes.BAD_REQUEST);
        ErrorBodies.assertError(api.get("/api/traces/" + traceId() + "ff", TestUsers.AUDITOR), 400,
                HubCodes.BAD_REQUEST);
    }
}
