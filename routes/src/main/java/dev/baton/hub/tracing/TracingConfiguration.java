package dev.baton.hub.tracing;

import javax.sql.DataSource;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one OpenTelemetry SDK of the hub, exposing a single {@link Tracer} and a single
 * {@link ContextPropagators} (Camel's OpenTelemetry support falls back to a no-op if it finds two).
 * Every {@link SpanProcessor} bean of the context is added to it (exporters, the local span store,
 * a test's in-memory exporter).
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    /**
     * Closed by Spring so that the span processors flush while the database is still there: the
     * {@code dataSource} parameter makes this bean go before it.
     */
    @Bean(destroyMethod = "close")
    public OpenTelemetrySdk openTelemetry(ObjectProvider<SpanProcessor> processors, DataSource dataSource) {
        // With no span processor the SDK hands out invalid no-op spans (all-zero ids). Until the
        // local span store and the exporters exist, this processor keeps trace and span ids real.
        SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder().addSpanProcessor(new KeepIdsSpanProcessor());
        processors.orderedStream().forEach(tracerProvider::addSpanProcessor);
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /** The local span store's processor: batches ended spans off the step's thread and transaction. */
    @Bean
    @ConditionalOnProperty(prefix = "baton.tracing.store", name = "enabled", matchIfMissing = true)
    public BatchSpanProcessor spanStoreProcessor(SpanStore store, TracingProperties properties) {
        return BatchSpanProcessor.builder(store).setScheduleDelay(properties.store().flushEvery()).build();
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

    @Bean
    public Tracer batonTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("dev.baton.hub");
    }

    @Bean
    public ContextPropagators contextPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }
}
