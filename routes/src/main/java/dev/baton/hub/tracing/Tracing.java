package dev.baton.hub.tracing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The spans of instances, continued across queues through the W3C {@code traceparent} property of
 * each command, so that one instance is one trace however many queues, retries, timers and restarts
 * it crosses. Span names and attributes follow the OpenTelemetry semantic conventions for messaging
 * ({@code process <queue>}, {@code messaging.*}) plus {@code baton.*} attributes; the spans are:
 * <ul>
 * <li>{@code start <process>}: the root, when an instance starts;</li>
 * <li>{@code process <queue>} (consumer): one per hand-off, a child of the span that sent the command;</li>
 * <li>{@code wait timer|retry|deadline <step>}: the time a scheduled command waited for its due time,
 * between the span that scheduled it and the hand-off that consumed it;</li>
 * <li>{@code <system> <operation>} (client): a connector call, with Camel's own spans beneath it;</li>
 * <li>{@code wait task <step>}: a human task, from creation to completion; and {@code complete task},
 * {@code cancel instance}, {@code retry incident}: what a person or a script did through the API.</li>
 * </ul>
 */
@Component
public class Tracing {

    public static final AttributeKey<String> PROCESS = AttributeKey.stringKey("baton.process");
    public static final AttributeKey<Long> VERSION = AttributeKey.longKey("baton.version");
    public static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("baton.instance");
    public static final AttributeKey<String> STEP = AttributeKey.stringKey("baton.step");
    public static final AttributeKey<String> BUSINESS_KEY = AttributeKey.stringKey("baton.business_key");
    public static final AttributeKey<String> COMMAND = AttributeKey.stringKey("baton.command");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("baton.attempt");
    public static final AttributeKey<String> TOKEN = AttributeKey.stringKey("baton.token");
    public static final AttributeKey<String> TASK = AttributeKey.stringKey("baton.task");
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("baton.connector.system");
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("baton.connector.operation");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGING_OPERATION_NAME =
            AttributeKey.stringKey("messaging.operation.name");
    /** Where Boot's log pattern and its structured formats find the ids of the current span. */
    public static final String MDC_TRACE_ID = "traceId";
    public static final String MDC_SPAN_ID = "spanId";

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
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

    /**
     * The root span of an instance another instance's call activity started: a child of the caller's
     * hand-off, so the caller's trace shows the called instance's hand-offs too.
     */
    public Span startCalledInstance(String definitionId, int version, String instanceId, String businessKey,
                                    Context caller) {
        Span span = tracer.spanBuilder("start " + definitionId).setParent(caller).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(PROCESS, definitionId).setAttribute(VERSION, (long) version)
                .setAttribute(INSTANCE, instanceId).startSpan();
        if (businessKey != null) {
            span.setAttribute(BUSINESS_KEY, businessKey);
        }
        return span;
    }

    /** The context a {@code traceparent} names, or the root context when there is none. */
    public Context parentOf(String traceparent) {
        return traceparent == null ? Context.root()
                : propagators.getTextMapPropagator().extract(Context.root(), traceparent, TRACEPARENT);
    }

    /**
     * The span of one consumed command, a child of {@code parent} (the span that sent it, or the wait
     * before it), following the messaging conventions for a consumer that processes a message.
     */
    public Span startHandoff(String queue, Context parent, String definitionId, int version, String instanceId,
                             String step, String command, int attempt, String token) {
        return tracer.spanBuilder("process " + queue).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "activemq").setAttribute(DESTINATION, queue)
                .setAttribute(MESSAGING_OPERATION, "process").setAttribute(MESSAGING_OPERATION_NAME, "process")
                .setAttribute(PROCESS, definitionId).setAttribute(VERSION, (long) version)
                .setAttribute(INSTANCE, instanceId).setAttribute(STEP, step).setAttribute(COMMAND, command)
                .setAttribute(ATTEMPT, (long) attempt).setAttribute(TOKEN, token).startSpan();
    }

    /**
     * A wait that is already over, recorded after the fact: a timer, a retry's back-off, a deadline (from
     * the command's sending to its due time), or a human task (from creation to completion).
     */
    public Span recordWait(String name, Context parent, Instant from, Instant to, String instanceId, String step,
                           Attributes more) {
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(from.toEpochMilli(), TimeUnit.MILLISECONDS)
                .setAttribute(INSTANCE, instanceId).setAttribute(STEP, step).setAllAttributes(more).startSpan();
        span.end(to.isBefore(from) ? from : to);
        return span;
    }

    /** A call to a connected system, a child of the current span (the hand-off that makes it). */
    public Span startConnectorCall(String system, String operation, String instanceId, String step) {
        return tracer.spanBuilder(system + " " + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, system).setAttribute(OPERATION, operation)
                .setAttribute(INSTANCE, instanceId).setAttribute(STEP, step).startSpan();
    }

    /** A span of something a person or a script did through the API, a child of {@code parent}. */
    public Span startAction(String name, Context parent, String instanceId) {
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(INSTANCE, instanceId).startSpan();
    }

    /** A span of something a person or a script did through the API, a child of the instance's root span. */
    public Span startAction(String name, String traceId, String rootSpanId, String instanceId) {
        return startAction(name, remote(traceId, rootSpanId), instanceId);
    }

    /** The context of a span stored by id (of this trace, possibly in another process or before a restart). */
    public static Context remote(String traceId, String spanId) {
        Context parent = Context.root();
        if (traceId != null && spanId != null) {
            parent = parent.with(Span.wrap(SpanContext.createFromRemoteParent(traceId, spanId,
                    TraceFlags.getSampled(), TraceState.getDefault())));
        }
        return parent;
    }

    /** Links {@code span} to another span of the same trace (a join to the branches it waited for). */
    public static void link(Span span, String traceId, String spanId) {
        if (traceId != null && spanId != null) {
            span.addLink(SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.getSampled(),
                    TraceState.getDefault()));
        }
    }

    /**
     * Makes {@code span} the current one — the parent of Camel's spans and of connector calls — and
     * puts its ids in the logging context, so every log line written meanwhile names them. Close the
     * scope to restore what was current before.
     */
    public static Scope activate(Span span) {
        Scope scope = span.makeCurrent();
        String previousTrace = MDC.get(MDC_TRACE_ID);
        String previousSpan = MDC.get(MDC_SPAN_ID);
        MDC.put(MDC_TRACE_ID, span.getSpanContext().getTraceId());
        MDC.put(MDC_SPAN_ID, span.getSpanContext().getSpanId());
        return () -> {
            restore(MDC_TRACE_ID, previousTrace);
            restore(MDC_SPAN_ID, previousSpan);
            scope.close();
        };
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** The W3C {@code traceparent} that makes the receiver's span a child of {@code span}. */
    public String traceparent(Span span) {
        Map<String, String> carrier = new HashMap<>(2);
        propagators.getTextMapPropagator().inject(Context.root().with(span), carrier, Map::put);
        return carrier.get("traceparent");
    }

    /** A span builder of the hub's tracer, for spans this class has no method for. */
    public SpanBuilder spanBuilder(String name) {
        return tracer.spanBuilder(name);
    }
}
