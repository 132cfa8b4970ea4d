package dev.baton.hub.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.springframework.stereotype.Component;

/** Spans of instances and hand-offs, continued across queues through the {@code traceparent} property. */
@Component
public class Tracing {

    public static final AttributeKey<String> PROCESS = AttributeKey.stringKey("baton.process");
    public static final AttributeKey<Long> VERSION = AttributeKey.longKey("baton.version");
    public static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("baton.instance");
    public static final AttributeKey<String> STEP = AttributeKey.stringKey("baton.step");
    public static final AttributeKey<String> BUSINESS_KEY = AttributeKey.stringKey("baton.business_key");
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;
    private final ContextPropagators propagators;

    public Tracing(Tracer tracer, ContextPropagators propagators) {
        this.tracer = tracer;
        this.propagators = propagators;
    }

    /** The root span of a new instance; {@code businessKey} may be null (none, or personal). */
    public Span startInstance(String definitionId, int version, String instanceId, String businessKey) {
        Span span = tracer.spanBuilder("start " + definitionId).setNoParent().setSpanKind(SpanKind.PRODUCER)
                .setAttribute(PROCESS, definitionId).setAttribute(VERSION, (long) version)
                .setAttribute(INSTANCE, instanceId).startSpan();
        if (businessKey != null) {
            span.setAttribute(BUSINESS_KEY, businessKey);
        }
        return span;
    }

    /** The span of one consumed command, a child of the span that sent it. */
    public Span startHandoff(String queue, String traceparent, String definitionId, String instanceId, String step) {
        Context parent = traceparent == null ? Context.root()
                : propagators.getTextMapPropagator().extract(Context.root(), traceparent, TRACEPARENT);
        return tracer.spanBuilder("process " + queue).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "activemq").setAttribute(DESTINATION, queue)
                .setAttribute(OPERATION, "process").setAttribute(PROCESS, definitionId)
                .setAttribute(INSTANCE, instanceId).setAttribute(STEP, step).startSpan();
    }

    /** A span of something a person or a script did through the API, a child of the instance's root span. */
    public Span startAction(String name, String traceId, String rootSpanId, String instanceId) {
        Context parent = Context.root();
        if (traceId != null && rootSpanId != null) {
            parent = parent.with(Span.wrap(SpanContext.createFromRemoteParent(traceId, rootSpanId,
                    TraceFlags.getSampled(), TraceState.getDefault())));
        }
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(INSTANCE, instanceId).startSpan();
    }

    /** The W3C {@code traceparent} that makes the receiver's span a child of {@code span}. */
    public String traceparent(Span span) {
        Map<String, String> carrier = new HashMap<>(2);
        propagators.getTextMapPropagator().inject(Context.root().with(span), carrier, Map::put);
        return carrier.get("traceparent");
    }
}
