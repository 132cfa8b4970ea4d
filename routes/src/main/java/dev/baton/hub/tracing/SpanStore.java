package dev.baton.hub.tracing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.hub.HubCodes;

/**
 * The local span store, table {@code baton_span}. As a {@link SpanExporter} (behind a
 * {@code BatchSpanProcessor}, so never on a step's thread or in its transaction) it writes each batch
 * with one JDBC batch in a short transaction of its own; a span exported again is stored once. It also
 * answers {@code GET /api/traces/{traceId}} and does the deletes of the retention sweep.
 */
@Component
public class SpanStore implements SpanExporter {

    private static final Logger LOG = LoggerFactory.getLogger(SpanStore.class);
    private static final int NAME_LENGTH = 500;
    private static final int DESCRIPTION_LENGTH = 2000;
    /** The most rows one delete of the sweep removes: each delete is its own short transaction. */
    static final int DELETE_CHUNK = 10_000;
    private static final String COLUMNS = "trace_id, span_id, parent_span_id, name, kind, started_at, ended_at,"
            + " status_code, status_description, instance_id, attributes, events, links";
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Object>> ARRAY = new TypeReference<>() {
    };

    /** A stored span as the API shows it; {@code parentSpanId} is null for a root span. */
    public record StoredSpan(String spanId, String parentSpanId, String name, String kind, Instant startedAt,
                             Instant endedAt, Status status, Map<String, Object> attributes, List<Object> events,
                             List<Object> links) {
    }

    /** {@code code} is {@code UNSET}, {@code OK} or {@code ERROR}; the description is null unless set. */
    public record Status(String code, String description) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTx;
    private final ObjectMapper json;
    private final String insert;

    public SpanStore(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.ownTx = new TransactionTemplate(tx.getTransactionManager());
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        // A batch exported again (a retry, a second processor on the same store) must not fail on the
        // primary key: each vendor's own "insert unless present", race-free under concurrent writers.
        this.insert = DatabaseDriver.fromProductName(product) == DatabaseDriver.POSTGRESQL
                ? "INSERT INTO baton_span (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                        + " ON CONFLICT (trace_id, span_id) DO NOTHING"
                : "MERGE INTO baton_span (" + COLUMNS + ") KEY (trace_id, span_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
    }

    /** Writes the batch in one JDBC batch and transaction; spans already stored are left as they are. */
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (spans.isEmpty()) {
            return CompletableResultCode.ofSuccess();
        }
        try {
            List<SpanData> batch = List.copyOf(spans);
            ownTx.executeWithoutResult(s -> jdbc.batchUpdate(insert, batch, batch.size(), this::bind));
            return CompletableResultCode.ofSuccess();
        } catch (RuntimeException e) {
            LOG.warn("{} {} span(s) were not stored: {}", HubCodes.SPAN_STORE_FAILED, spans.size(), e.toString());
            return CompletableResultCode.ofExceptionalFailure(e);
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    /** Nothing to release: the data source is the hub's. */
    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** The stored spans of a trace, by start; spans that started in the same microsecond, the longer first. */
    public List<StoredSpan> trace(String traceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM baton_span WHERE trace_id = ? ORDER BY started_at, ended_at DESC,"
                + " span_id", (rs, i) -> read(rs), traceId);
    }

    /** How many spans are stored. */
    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM baton_span", Long.class);
        return n == null ? 0 : n;
    }

    /** Deletes the spans that ended before {@code cutoff}, oldest first, a chunk at a time; how many went. */
    public long deleteEndedBefore(Instant cutoff) {
        long deleted = 0;
        int chunk;
        do {
            chunk = jdbc.update("DELETE FROM baton_span WHERE (trace_id, span_id) IN (SELECT trace_id, span_id"
                    + " FROM baton_span WHERE ended_at < ? ORDER BY ended_at FETCH FIRST " + DELETE_CHUNK
                    + " ROWS ONLY)", ts(cutoff));
            deleted += chunk;
        } while (chunk >= DELETE_CHUNK);
        return deleted;
    }

    /**
     * Deletes the oldest spans (by end) beyond the newest {@code max}; how many went. Spans that ended at
     * the same instant as the oldest one kept are kept too.
     */
    public long deleteBeyond(long max) {
        long excess = count() - max;
        if (excess <= 0) {
            return 0;
        }
        List<OffsetDateTime> oldestKept = jdbc.query("SELECT ended_at FROM baton_span ORDER BY ended_at"
                + " OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY", (rs, i) -> rs.getObject(1, OffsetDateTime.class), excess);
        return oldestKept.isEmpty() ? 0 : deleteEndedBefore(oldestKept.get(0).toInstant());
    }

    private void bind(PreparedStatement ps, SpanData span) throws SQLException {
        ps.setString(1, span.getTraceId());
        ps.setString(2, span.getSpanId());
        ps.setString(3, span.getParentSpanContext().isValid() ? span.getParentSpanId() : null);
        ps.setString(4, cut(span.getName(), NAME_LENGTH));
        ps.setString(5, span.getKind().name());
        ps.setObject(6, ts(nanos(span.getStartEpochNanos())));
        ps.setObject(7, ts(nanos(span.getEndEpochNanos())));
        ps.setString(8, span.getStatus().getStatusCode().name());
        String description = span.getStatus().getDescription();
        ps.setString(9, description == null || description.isEmpty() ? null : cut(description, DESCRIPTION_LENGTH));
        ps.setString(10, span.getAttributes().get(Tracing.INSTANCE));
        ps.setString(11, write(map(span.getAttributes())));
        ps.setString(12, span.getEvents().isEmpty() ? null : write(span.getEvents().stream().map(SpanStore::event).toList()));
        ps.setString(13, span.getLinks().isEmpty() ? null : write(span.getLinks().stream().map(SpanStore::link).toList()));
    }

    private StoredSpan read(ResultSet rs) throws SQLException {
        return new StoredSpan(rs.getString("span_id"), rs.getString("parent_span_id"), rs.getString("name"),
                rs.getString("kind"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                rs.getObject("ended_at", OffsetDateTime.class).toInstant(),
                new Status(rs.getString("status_code"), rs.getString("status_description")),
                parse(rs.getString("attributes"), OBJECT, new LinkedHashMap<>()),
                parse(rs.getString("events"), ARRAY, List.of()), parse(rs.getString("links"), ARRAY, List.of()));
    }

    private static Map<String, Object> event(EventData e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.getName());
        m.put("time", nanos(e.getEpochNanos()).toString());
        m.put("attributes", map(e.getAttributes()));
        return m;
    }

    private static Map<String, Object> link(LinkData l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("traceId", l.getSpanContext().getTraceId());
        m.put("spanId", l.getSpanContext().getSpanId());
        m.put("attributes", map(l.getAttributes()));
        return m;
    }

    /** Attribute values are strings, booleans, longs, doubles or lists of one of them: all plain JSON. */
    private static Map<String, Object> map(Attributes attributes) {
        Map<String, Object> m = new LinkedHashMap<>();
        attributes.forEach((k, v) -> m.put(k.getKey(), v));
        return m;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A span's attributes are not representable as JSON", e);
        }
    }

    private <T> T parse(String text, TypeReference<? extends T> type, T none) {
        if (text == null || text.isEmpty()) {
            return none;
        }
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored span is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant nanos(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
