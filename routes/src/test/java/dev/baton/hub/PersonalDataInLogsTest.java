package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;
import dev.baton.hub.tracing.Tracing;

/**
 * Personal values never reach the log, the spans or the audit trail: a process marking the customer's
 * e-mail, name and business key fails on its way (a remote system answering 503 with an echo of the
 * request, an expression quoting the e-mail) and completes, and its variables are purged by the
 * retention sweep; the captured log, every span the hub ended and the instance's audit entries are
 * searched for the values.
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(PersonalDataInLogsTest.Spans.class)
class PersonalDataInLogsTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final String EMAIL = "zoe.private@mail.test";
    private static final String NAME = "Zoë Privata";
    private static final String KEY = "CUST-LOG-4711";

    private static final EffectServer REMOTE = new EffectServer();

    /** Every span the hub ends goes to the in-memory exporter too. */
    @TestConfiguration
    static class Spans {
        @Bean
        SpanProcessor inMemorySpans() {
            return SimpleSpanProcessor.create(SPANS);
        }
    }

    @DynamicPropertySource
    static void shortRetention(DynamicPropertyRegistry registry) {
        registry.add("baton.privacy.retain-variables", () -> "PT1S");
        registry.add("baton.privacy.sweep-every", () -> "PT0.3S");
    }

    @AfterAll
    static void stopRemote() {
        REMOTE.close();
    }

    private static Map<String, Object> customer() {
        return Map.of("customer", Map.of("email", EMAIL, "name", NAME, "segment", "retail"), "orderId", "SO-5");
    }

    private String registeredCustomer(CapturedOutput output) {
        // given: the CRM answers the first registration with 503, echoing the request (name and e-mail)
        REMOTE.failNext(1, 503);
        String definition = deployed("""
                id: %s
                personal: [customer.email, customer.name, businessKey]
                steps:
                  - id: register
                    call: http.post
                    with: {url: "%s"}
                    input: "customer"
                    retry: {attempts: 3, backoff: PT0.1S}
                    next: welcome
                  - id: welcome
                    task: {set: {letter: "'Welcome, ' & customer.name"}}
                """.formatted(unique("register"), REMOTE.url("/crm/customers")));

        // when: it runs to the end
        String id = api.start(definition, KEY, customer());
        await().atMost(WAIT).untilAsserted(() -> assertThat(api.status(id)).isEqualTo("COMPLETED"));
        // then: the failed attempt was logged, scrubbed
        await().atMost(WAIT).untilAsserted(() -> assertThat(output.getAll())
                .contains("BATON-HTTP-503 step 'register' of instance " + id + " failed on attempt 1 (retryable)")
                .contains("body={\"status\":503,\"path\":\"/crm/customers\",\"echo\":{"));
        return id;
    }

    @Test
    void shouldKeepPersonalValuesOutOfLogsAndSpans(CapturedOutput output) {
        // given: a registration that fails once, then completes
        SPANS.reset();
        String registered = registeredCustomer(output);
        // and a check that fails for good, its error quoting the e-mail
        String check = deployed("""
                id: %s
                personal: [customer.email, customer.name, businessKey]
                steps:
                  - id: verify
                    task: {set: {ok: "$error('mailbox unknown: ' & customer.email)"}}
                """.formatted(unique("verify")));
        String failed = api.start(check, KEY, customer());
        await().atMost(WAIT).untilAsserted(() -> assertThat(api.status(failed)).isEqualTo("FAILED"));

        // when: the retention sweep purges the completed instance (retention 1 s here)
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                api.get("/api/instances/" + registered, TestUsers.ADMIN).json().get("variables").isEmpty()).isTrue());
        assertThat(api.get("/api/instances/" + registered, TestUsers.ADMIN).json().has("variablesPurgedAt")).isTrue();

        // then: the log has the failures, without the values
        assertThat(output.getAll()).contains("mailbox unknown: ***")
                .doesNotContain(EMAIL, NAME, KEY, "zoe.private%40mail.test");
        // and so have the spans: the failed attempt's span says why, scrubbed; the business key is left off
        List<SpanData> spans = SPANS.getFinishedSpanItems();
        assertThat(spans).filteredOn(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
                .anySatisfy(s -> assertThat(s.getStatus().getDescription()).startsWith("BATON-HTTP-503: HTTP 503"))
                .anySatisfy(s -> assertThat(s.getStatus().getDescription()).contains("mailbox unknown: ***"));
        assertThat(spans).filteredOn(s -> registered.equals(s.getAttributes().get(Tracing.INSTANCE)))
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(s -> assertThat(s.getAttributes().get(Tracing.BUSINESS_KEY)).isNull());
        assertThat(spans).allSatisfy(s -> assertThat(everythingSaidBy(s)).doesNotContain(EMAIL, NAME, KEY));
    }

    @Test
    void shouldKeepPersonalValuesOutOfTheAuditTrail(CapturedOutput output) {
        // given: a registration that failed once and completed, and whose variables were purged
        String registered = registeredCustomer(output);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                api.get("/api/instances/" + registered, TestUsers.ADMIN).json().has("variablesPurgedAt")).isTrue());

        // when: the auditor reads the instance's trail
        Api.Response trail = api.get("/api/audit?instance=" + registered, TestUsers.AUDITOR);

        // then: every hand-off is there, the purge too, and no summary holds a personal value
        assertThat(trail.status()).as(trail.body()).isEqualTo(200);
        List<JsonNode> entries = Api.toList(trail.json().get("entries"));
        assertThat(entries).extracting(e -> e.get("eventType").asText()).contains("VARIABLES_PURGED");
        assertThat(entries).allSatisfy(e -> assertThat(e.get("summary").asText()).doesNotContain(EMAIL, NAME, KEY));
    }

    /** A span's name, attribute values, status description and events, as one text. */
    private static String everythingSaidBy(SpanData span) {
        List<String> said = new ArrayList<>();
        said.add(span.getName());
        span.getAttributes().forEach((AttributeKey<?> k, Object v) -> said.add(k.getKey() + "=" + v));
        said.add(span.getStatus().getDescription());
        span.getEvents().forEach(e -> {
            said.add(e.getName());
            e.getAttributes().forEach((k, v) -> said.add(k.getKey() + "=" + v));
        });
        return String.join("\n", said);
    }
}
