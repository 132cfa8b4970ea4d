package dev.baton.hub.tracing;

import java.util.List;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the SDK is put together from the {@code OTEL_*} settings, the Spring environment and the hub's
 * defaults, without a hub. (Assumes the test JVM has no {@code OTEL_*} variables of its own.)
 */
class TracingConfigurationTest {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    @Test
    void shouldHandOutRealIdsWithNeitherTheStoreNorAnExporter() {
        // given: no span processor at all (baton.tracing.store.enabled=false, no OTLP endpoint)
        try (OpenTelemetrySdk sdk = TracingConfiguration.configure(Map.of(), List.of()).getOpenTelemetrySdk()) {
            // when
            Span span = sdk.getTracer("test").spanBuilder("start").startSpan();
            span.end();

            // then
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getSpanContext().isSampled()).isTrue();
        }
    }

    @Test
    void shouldExportTracesOverOtlpWhenOnlyAnEndpointIsSet() {
        assertThat(TracingConfiguration.hubRules(DefaultConfigProperties.createFromMap(Map.of())))
                .containsEntry("otel.traces.exporter", "none");
        assertThat(TracingConfiguration.hubRules(DefaultConfigProperties.createFromMap(
                Map.of("otel.exporter.otlp.endpoint", "http://collector:4317"))))
                .containsEntry("otel.traces.exporter", "otlp");
        assertThat(TracingConfiguration.hubRules(DefaultConfigProperties.createFromMap(
                Map.of("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces"))))
                .containsEntry("otel.traces.exporter", "otlp");
        assertThat(TracingConfiguration.hubRules(DefaultConfigProperties.createFromMap(
                Map.of("otel.exporter.otlp.endpoint", "http://collector:4317", "otel.traces.exporter", "console"))))
                .doesNotContainKey("otel.traces.exporter");
        assertThat(TracingConfiguration.hubRules(DefaultConfigProperties.createFromMap(
                Map.of("otel.sdk.disabled", "true"))))
                .containsEntry("otel.sdk.disabled", "false");
    }

    @Test
    void shouldTakeTheServiceNameFromSystemPropertiesOverSpringOverTheDefault() {
        assertThat(serviceName(Map.of())).isEqualTo("baton");
        assertThat(serviceName(Map.of("otel.service.name", "from-spring"))).isEqualTo("from-spring");
        System.setProperty("otel.service.name", "from-system");
        try {
            assertThat(serviceName(Map.of("otel.service.name", "from-spring"))).isEqualTo("from-system");
        } finally {
            System.clearProperty("otel.service.name");
        }
    }

    @Test
    void shouldBuildTheGrpcAndHttpExportersWithTheSenderOnTheClasspath() {
        for (String protocol : List.of("grpc", "http/protobuf")) {
            try (OpenTelemetrySdk sdk = TracingConfiguration.configure(Map.of(
                    "otel.exporter.otlp.endpoint", protocol.equals("grpc") ? "http://127.0.0.1:4317"
                            : "http://127.0.0.1:4318",
                    "otel.exporter.otlp.protocol", protocol), List.of()).getOpenTelemetrySdk()) {
                // the exporter is built (its sender, OkHttp for both, with the Kotlin runtime it needs) at start
                assertThat(sdk.getSdkTracerProvider().toString()).as(protocol)
                        .contains(protocol.equals("grpc") ? "OtlpGrpcSpanExporter" : "OtlpHttpSpanExporter");
            }
        }
    }

    @Test
    void shouldReadOtelKeysOfTheSpringEnvironment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "otel.exporter.otlp.endpoint", "http://collector:4318", "otel.resource.attributes", "a=b,c=d",
                "baton.tracing.store.retain", "1d")));

        assertThat(TracingConfiguration.springProperties(environment))
                .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318")
                .containsEntry("otel.resource.attributes", "a=b,c=d")
                .doesNotContainKey("baton.tracing.store.retain");
    }

    private static String serviceName(Map<String, String> spring) {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = TracingConfiguration.configure(spring, List.of(SimpleSpanProcessor.create(spans)))
                .getOpenTelemetrySdk()) {
            sdk.getTracer("test").spanBuilder("one").startSpan().end();
            return spans.getFinishedSpanItems().get(0).getResource().getAttribute(SERVICE_NAME);
        }
    }
}
