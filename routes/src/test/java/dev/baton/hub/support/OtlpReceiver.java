package dev.baton.hub.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * A tracing backend as an OTLP/HTTP exporter meets it (Jaeger, Tempo, a collector): {@code POST /v1/traces}
 * with an {@code ExportTraceServiceRequest} in protobuf, answered 200. Keeps every span it received.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** A received span with the {@code service.name} of the resource it came with; ids in lower-case hex. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            try (InputStream raw = exchange.getRequestBody()) {
                boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(
                        gzip ? new GZIPInputStream(raw) : raw);
                request.getResourceSpansList().forEach(this::keep);
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    private void keep(ResourceSpans resourceSpans) {
        String service = resourceSpans.getResource().getAttributesList().stream()
                .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                .map(v -> v.getStringValue()).findFirst().orElse(null);
        for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
            scope.getSpansList().forEach(s -> spans.add(new ReceivedSpan(service,
                    HexFormat.of().formatHex(s.getTraceId().toByteArray()),
                    HexFormat.of().formatHex(s.getSpanId().toByteArray()),
                    s.getParentSpanId().isEmpty() ? null : HexFormat.of().formatHex(s.getParentSpanId().toByteArray()),
                    s.getName())));
        }
    }

    /** The endpoint to configure, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it (the exporter adds {@code /v1/traces}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
