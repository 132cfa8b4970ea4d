package dev.baton.hub.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The one OpenTelemetry SDK of the hub, exposing a single {@link Tracer} and a single
 * {@link ContextPropagators} (Camel's OpenTelemetry support falls back to a no-op if it finds two).
 * It is configured the standard way, from the {@code OTEL_*} environment variables and {@code otel.*}
 * system properties (sampler, resource, OTLP exporters), then from {@code otel.*} keys of the Spring
 * environment, then from the hub's {@link #DEFAULTS}. Every {@link SpanProcessor} bean of the context is
 * added to it: the local span store's, a test's in-memory exporter.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TracingConfiguration.class);

    /**
     * What the hub assumes when nothing says otherwise: W3C trace context only, metrics through Micrometer
     * rather than OTLP, no log export. The traces exporter is decided by {@link #hubRules}.
     */
    static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "baton",
            "otel.propagators", "tracecontext",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    /**
     * Closed by Spring, not by the SDK's own shutdown hook, so that the span processors flush while the
     * database is still there: the {@code dataSource} parameter makes this bean go before it.
     */
    @Bean(destroyMethod = "close")
    public OpenTelemetrySdk openTelemetry(ObjectProvider<SpanProcessor> processors, Environment environment,
                                          DataSource dataSource) {
        return configure(springProperties(environment), processors.orderedStream().toList()).getOpenTelemetrySdk();
    }

    /** The local span store's processor: batches ended spans off the step's thread and transaction. */
    @Bean
    @ConditionalOnProperty(prefix = "baton.tracing.store", name = "enabled", matchIfMissing = true)
    public BatchSpanProcessor spanStoreProcessor(SpanStore store, TracingProperties properties) {
        return BatchSpanProcessor.builder(store).setScheduleDelay(properties.store().flushEvery())
                .setMaxQueueSize(properties.store().queueSize()).setMaxExportBatchSize(1024).build();
    }

    @Bean
    public Tracer batonTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("dev.baton.hub");
    }

    @Bean
    public ContextPropagators contextPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }

    /**
     * The SDK from the {@code OTEL_*} variables and system properties, over {@code springProperties}, over
     * {@link #DEFAULTS}; {@code processors} are added to whatever exporters that configures.
     */
    static AutoConfiguredOpenTelemetrySdk configure(Map<String, String> springProperties,
                                                    List<SpanProcessor> processors) {
        // Not set as the global OpenTelemetry (the builder's default): the beans above are the only way in.
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .addPropertiesSupplier(() -> springProperties)
                .addPropertiesCustomizer(TracingConfiguration::hubRules)
                .addTracerProviderCustomizer((tracerProvider, config) -> {
                    processors.forEach(tracerProvider::addSpanProcessor);
                    if (processors.isEmpty()) {
                        // With no span processor at all the SDK hands out no-op spans with all-zero ids
                        // (SdkTracerProvider returns a no-op tracer); audit entries and API answers carry
                        // trace ids, so they must stay real even with the store off and no exporter.
                        tracerProvider.addSpanProcessor(new KeepIdsSpanProcessor());
                    }
                    return tracerProvider;
                })
                .disableShutdownHook()
                .build();
    }

    /**
     * The hub's rules over the merged configuration: an OTLP endpoint alone turns OTLP trace export on
     * (the SDK's own default would export to localhost:4317 even without one), and the SDK cannot be
     * disabled, since a disabled SDK hands out all-zero trace ids.
     */
    static Map<String, String> hubRules(ConfigProperties config) {
        Map<String, String> overrides = new HashMap<>();
        String exporter = config.getString("otel.traces.exporter");
        String endpoint = config.getString("otel.exporter.otlp.traces.endpoint",
                config.getString("otel.exporter.otlp.endpoint"));
        if (exporter == null || exporter.isBlank()) {
            exporter = endpoint == null || endpoint.isBlank() ? "none" : "otlp";
            overrides.put("otel.traces.exporter", exporter);
        }
        if (config.getBoolean("otel.sdk.disabled", false)) {
            LOG.warn("OTEL_SDK_DISABLED / otel.sdk.disabled is ignored: the hub needs real trace ids; set "
                    + "OTEL_TRACES_EXPORTER=none and baton.tracing.store.enabled=false to record nothing");
            overrides.put("otel.sdk.disabled", "false");
        }
        if (exporter.contains("otlp")) {
            LOG.info("OpenTelemetry: traces exported over OTLP to {} ({}) as service {}",
                    endpoint == null ? "the default endpoint" : endpoint,
                    config.getString("otel.exporter.otlp.traces.protocol",
                            config.getString("otel.exporter.otlp.protocol", "grpc")),
                    config.getString("otel.service.name"));
        }
        return overrides;
    }

    /** The {@code otel.*} keys of the Spring environment ({@code --otel.exporter.otlp.endpoint=...}, test properties). */
    static Map<String, String> springProperties(Environment environment) {
        Map<String, String> properties = new HashMap<>();
        Binder.get(environment).bind("otel", Bindable.mapOf(String.class, String.class))
                .ifBound(bound -> bound.forEach((key, value) -> properties.put("otel." + key, value)));
        return properties;
    }

    /** Records nothing; its presence makes the SDK create real, sampled spans. */
    static final class KeepIdsSpanProcessor implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }
}
