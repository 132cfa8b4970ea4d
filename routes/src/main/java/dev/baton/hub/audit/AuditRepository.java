package dev.baton.hub.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.baton.governance.audit.AuditEntry;

/** Storage of the audit trail: append, chain heads, queries, and streaming a chain for verification. */
@Repository
public class AuditRepository {

    private static final String COLUMNS = "chain, seq, at, instance_id, definition_id, version, step, event_type,"
            + " event_code, actor, trace_id, span_id, payload_digest, summary, prev_hash, hash";

    /**
     * Filters of a query; null means "any".
     *
     * @param after the cursor: entries after this position in (time, chain, sequence) order
     */
    public record Query(String instanceId, String businessKey, String traceId, String eventType, Instant from,
                        Instant to, int limit, Position after) {
    }

    /** A position in the trail's (time, chain, sequence) order. */
    public record Position(Instant time, String chain, long sequence) {
    }

    /** A chain's last entry: sequence 0 and the genesis hash for an empty chain. */
    public record Head(String chain, long sequence, String hash) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JdbcTemplate streaming;

    public AuditRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
        this.streaming = new JdbcTemplate(jdbc.getDataSource());
        this.streaming.setFetchSize(2000);
    }

    /** A chain's last entry, or sequence 0 and the genesis hash when it has none. */
    public Head head(String chain, String genesis) {
        List<Head> last = jdbc.query("SELECT chain, seq, hash FROM baton_audit WHERE chain = ? ORDER BY seq DESC LIMIT 1",
                (rs, i) -> new Head(rs.getString(1), rs.getLong(2), rs.getString(3)), chain);
        return last.isEmpty() ? new Head(chain, 0, genesis) : last.get(0);
    }

    /** The heads as the entries have them: each chain's last stored entry. */
    public List<Head> heads() {
        return jdbc.query("SELECT a.chain, a.seq, a.hash FROM baton_audit a JOIN (SELECT chain, MAX(seq) AS seq"
                        + " FROM baton_audit GROUP BY chain) m ON a.chain = m.chain AND a.seq = m.seq ORDER BY a.chain",
                (rs, i) -> new Head(rs.getString(1), rs.getLong(2), rs.getString(3)));
    }

    public void insert(List<AuditEntry> entries) {
        jdbc.batchUpdate("INSERT INTO baton_audit (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                entries, entries.size(), (ps, e) -> {
                    ps.setString(1, e.chain());
                    ps.setLong(2, e.sequence());
                    ps.setObject(3, OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC));
                    ps.setString(4, e.instanceId());
                    ps.setString(5, e.definition());
                    ps.setObject(6, e.version());
                    ps.setString(7, e.step());
                    ps.setString(8, e.eventType());
                    ps.setInt(9, e.eventCode());
                    ps.setString(10, e.actor());
                    ps.setString(11, e.traceId());
                    ps.setString(12, e.spanId());
                    ps.setString(13, e.payloadDigest());
                    ps.setString(14, e.summary());
                    ps.setString(15, e.prevHash());
                    ps.setString(16, e.hash());
                });
    }

    /** Entries matching the query, oldest first: by time, then chain and sequence. */
    public List<AuditEntry> query(Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM baton_audit WHERE 1 = 1");
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (q.instanceId() != null) {
            sql.append(" AND instance_id = :instance");
            p.addValue("instance", q.instanceId());
        }
        if (q.businessKey() != null) {
            sql.append(" AND instance_id IN (SELECT id FROM baton_instance WHERE business_key = :bk)");
            p.addValue("bk", q.businessKey());
        }
        if (q.traceId() != null) {
            sql.append(" AND instance_id IN (SELECT id FROM baton_instance WHERE trace_id = :trace) AND trace_id = :trace");
            p.addValue("trace", q.traceId());
        }
        if (q.eventType() != null) {
            sql.append(" AND event_type = :type");
            p.addValue("type", q.eventType());
        }
        if (q.from() != null) {
            sql.append(" AND at >= :from");
            p.addValue("from", ts(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND at < :to");
            p.addValue("to", ts(q.to()));
        }
        Position a = q.after();
        if (a != null) {
            sql.append(" AND (at > :aTime OR (at = :aTime AND (chain > :aChain OR (chain = :aChain AND seq > :aSeq))))");
            p.addValue("aTime", ts(a.time()));
            p.addValue("aChain", a.chain());
            p.addValue("aSeq", a.sequence());
        }
        sql.append(" ORDER BY at, chain, seq LIMIT ").append(q.limit());
        return named.query(sql.toString(), p, (rs, i) -> map(rs));
    }

    /** The chains that hold entries. */
    public List<String> chains() {
        return jdbc.queryForList("SELECT DISTINCT chain FROM baton_audit ORDER BY chain", String.class);
    }

    /**
     * Feeds a chain's entries to {@code sink} in sequence order, a few thousand rows in memory at a time,
     * until the sink returns false. On PostgreSQL, call inside a transaction (the driver streams only then).
     */
    public void stream(String chain, Predicate<AuditEntry> sink) {
        streaming.query(con -> {
            var ps = con.prepareStatement("SELECT " + COLUMNS + " FROM baton_audit WHERE chain = ? ORDER BY seq");
            ps.setFetchSize(2000);
            ps.setString(1, chain);
            return ps;
        }, rs -> {
            while (rs.next() && sink.test(map(rs))) {
                // the sink keeps what it needs
            }
            return null;
        });
    }

    public Optional<AuditEntry> find(String chain, long sequence) {
        return jdbc.query("SELECT " + COLUMNS + " FROM baton_audit WHERE chain = ? AND seq = ?", (rs, i) -> map(rs),
                chain, sequence).stream().findFirst();
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM baton_audit", Long.class);
        return n == null ? 0 : n;
    }

    static AuditEntry map(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject("at", OffsetDateTime.class);
        Object version = rs.getObject("version");
        return new AuditEntry(rs.getString("chain"), rs.getLong("seq"), at == null ? null : at.toInstant(),
                rs.getString("instance_id"), rs.getString("definition_id"),
                version == null ? null : ((Number) version).intValue(), rs.getString("step"),
                rs.getString("event_type"), rs.getInt("event_code"), rs.getString("actor"), rs.getString("trace_id"),
                rs.getString("span_id"), rs.getString("payload_digest"), rs.getString("summary"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }

    static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
