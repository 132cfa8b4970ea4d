package dev.baton.hub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.opentelemetry.api.trace.TraceId;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.HubCodes;
import dev.baton.hub.tracing.SpanStore;
import dev.baton.hub.tracing.TracingProperties;

/** One trace from the local span store: every span the hub ended in it and still keeps, by start. */
@RestController
public class TraceController {

    private final SpanStore spans;
    private final TracingProperties.Store store;

    public TraceController(SpanStore spans, TracingProperties properties) {
        this.spans = spans;
        this.store = properties.store();
    }

    @GetMapping("/api/traces/{traceId}")
    public Map<String, Object> trace(@PathVariable String traceId) {
        String id = traceId.strip().toLowerCase(Locale.ROOT);
        if (!TraceId.isValid(id)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected a trace id of 32 hex"
                    + " digits, not all zero (W3C trace context), but it is '" + traceId + "'");
        }
        List<SpanStore.StoredSpan> found = spans.trace(id);
        if (found.isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND, "No spans of trace " + id
                    + " are stored here" + (store.enabled() ? " (they are kept for " + store.retain() + ")"
                    : ": the local span store is off (baton.tracing.store.enabled=false)"));
        }
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("traceId", id);
        trace.put("spans", found);
        // the audit entries of the same transaction: each entry names its span, each span its instance
        trace.put("audit", "/api/audit?traceId=" + id);
        return trace;
    }
}
