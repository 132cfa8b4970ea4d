package dev.baton.hub.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.dao.DuplicateKeyException;
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

    /** Creates the head row of a chain unless it exists. */
    public void createHead(String chain, String genesis) {
        try {
            jdbc.update("INSERT INTO baton_audit_head (chain, seq, hash) SELECT ?, 0, ? FROM (VALUES (1)) v(x)"
                    + " WHERE NOT EXISTS (SELECT 1 FROM baton_audit_head WHERE chain = ?)", chain, genesis, chain);
        } catch (DuplicateKeyException raced) {
            // another node created it at the same moment
        }
    }

    /** Locks a chain's head until the transaction ends, and returns it. */
    public Head lockHead(String chain) {
        return jdbc.queryForObject("SELECT chain, seq, hash FROM baton_audit_head WHERE chain = ? FOR UPDATE",
                (rs, i) -> new Head(rs.getString(1), rs.getLong(2), rs.getString(3)), chain);
    }

    public void moveHead(String chain, long sequence, String hash) {
        jdbc.update("UPDATE baton_audit_head SET seq = ?, hash = ? WHERE chain = ?", sequence, hash, chain);
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
            sql.append(" AND trace_id = :trace");
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

    /** The chains that hold entries or have a head. */
    public List<String> chains() {
        return jdbc.queryForList("SELECT chain FROM baton_audit_head UNION SELECT DISTINCT chain FROM baton_audit"
                + " ORDER BY 1", String.class);
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
