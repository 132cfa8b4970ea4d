package dev.baton.hub.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.InstanceStatus;
import dev.baton.model.engine.JoinCounter;
import dev.baton.model.engine.Token;

/** Instances: inserted at start, locked and updated in batches by the step consumers. */
@Repository
public class InstanceRepository {

    private static final String COLUMNS = "id, definition_id, version, status, business_key, variables, state, trace_id,"
            + " root_span_id, started_by, started_at, ended_at";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JsonColumns columns;

    public InstanceRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, JsonColumns columns) {
        this.jdbc = jdbc;
        this.named = named;
        this.columns = columns;
    }

    /** One changed instance: its new row, and whether its variables changed (else they are not rewritten). */
    public record Update(InstanceRow row, boolean variablesChanged) {
    }

    public void insert(InstanceRow row, Instant now) {
        InstanceState s = row.state();
        jdbc.update("INSERT INTO baton_instance (" + COLUMNS + ", updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                s.instanceId(), s.definitionId(), s.version(), s.status().name(), s.businessKey(),
                columns.write(s.variables()), stateJson(s), row.traceId(), row.rootSpanId(), row.startedBy(),
                Jdbc.ts(row.startedAt()), Jdbc.ts(row.endedAt()), Jdbc.ts(now));
    }

    /**
     * Locks the instances for update, in id order so that two batches sharing instances cannot
     * deadlock, and returns them. Must run inside a transaction.
     */
    public Map<String, InstanceRow> lock(Collection<String> ids) {
        return select(ids, " ORDER BY id FOR UPDATE");
    }

    /** Reads without locking: a snapshot for the work a step does before its transition. */
    public Map<String, InstanceRow> read(Collection<String> ids) {
        return select(ids, "");
    }

    public Optional<InstanceRow> find(String id) {
        return Optional.ofNullable(read(List.of(id)).get(id));
    }

    private Map<String, InstanceRow> select(Collection<String> ids, String suffix) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, InstanceRow> rows = new HashMap<>(ids.size() * 2);
        named.query("SELECT " + COLUMNS + " FROM baton_instance WHERE id IN (:ids)" + suffix,
                new MapSqlParameterSource("ids", new TreeSet<>(ids)), rs -> {
                    InstanceRow row = map(rs);
                    rows.put(row.id(), row);
                });
        return rows;
    }

    public void update(List<Update> updates, Instant now) {
        List<Update> withVariables = new ArrayList<>();
        List<Update> stateOnly = new ArrayList<>();
        for (Update u : updates) {
            (u.variablesChanged() ? withVariables : stateOnly).add(u);
        }
        if (!stateOnly.isEmpty()) {
            jdbc.batchUpdate("UPDATE baton_instance SET status = ?, state = ?, updated_at = ?, ended_at = ? WHERE id = ?",
                    stateOnly, stateOnly.size(), (ps, u) -> {
                        InstanceRow r = u.row();
                        ps.setString(1, r.state().status().name());
                        ps.setString(2, stateJson(r.state()));
                        ps.setObject(3, Jdbc.ts(now));
                        ps.setObject(4, Jdbc.ts(r.endedAt()));
                        ps.setString(5, r.id());
                    });
        }
        if (!withVariables.isEmpty()) {
            jdbc.batchUpdate("UPDATE baton_instance SET status = ?, state = ?, variables = ?, updated_at = ?, ended_at = ?"
                    + " WHERE id = ?", withVariables, withVariables.size(), (ps, u) -> {
                        InstanceRow r = u.row();
                        ps.setString(1, r.state().status().name());
                        ps.setString(2, stateJson(r.state()));
                        ps.setString(3, columns.write(r.state().variables()));
                        ps.setObject(4, Jdbc.ts(now));
                        ps.setObject(5, Jdbc.ts(r.endedAt()));
                        ps.setString(6, r.id());
                    });
        }
    }

    /** Filters of the instance list; null means "any". */
    public record Query(String definitionId, InstanceStatus status, String businessKey, Instant from, Instant to,
                        int limit, Instant afterStartedAt, String afterId) {
    }

    /** Instances in start order (oldest first), after the cursor position. */
    public List<InstanceRow> list(Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM baton_instance WHERE 1 = 1");
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (q.definitionId() != null) {
            sql.append(" AND definition_id = :definition");
            p.addValue("definition", q.definitionId());
        }
        if (q.status() != null) {
            sql.append(" AND status = :status");
            p.addValue("status", q.status().name());
        }
        if (q.businessKey() != null) {
            sql.append(" AND business_key = :bk");
            p.addValue("bk", q.businessKey());
        }
        if (q.from() != null) {
            sql.append(" AND started_at >= :from");
            p.addValue("from", Jdbc.ts(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND started_at < :to");
            p.addValue("to", Jdbc.ts(q.to()));
        }
        if (q.afterStartedAt() != null) {
            sql.append(" AND (started_at > :afterTs OR (started_at = :afterTs AND id > :afterId))");
            p.addValue("afterTs", Jdbc.ts(q.afterStartedAt()));
            p.addValue("afterId", q.afterId());
        }
        sql.append(" ORDER BY started_at, id LIMIT ").append(q.limit());
        return named.query(sql.toString(), p, (rs, i) -> map(rs));
    }

    /** Counts by status, for health and tests. */
    public Map<InstanceStatus, Long> countByStatus(String definitionId) {
        Map<InstanceStatus, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT status, COUNT(*) FROM baton_instance WHERE definition_id = ? GROUP BY status",
                rs -> {
                    counts.put(InstanceStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }, definitionId);
        return counts;
    }

    private InstanceRow map(ResultSet rs) throws SQLException {
        JsonColumns.TokenState ts = columns.readState(rs.getString("state"));
        Map<String, Token> tokens = new LinkedHashMap<>();
        for (Token t : ts.tokens()) {
            tokens.put(t.id(), t);
        }
        InstanceState state = new InstanceState(rs.getString("id"), rs.getString("definition_id"), rs.getInt("version"),
                InstanceStatus.valueOf(rs.getString("status")), rs.getString("business_key"),
                columns.readMap(rs.getString("variables")), tokens, Map.copyOf(ts.joins()), ts.seq());
        return new InstanceRow(state, rs.getString("trace_id"), rs.getString("root_span_id"), rs.getString("started_by"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at"));
    }

    private String stateJson(InstanceState s) {
        Map<String, JoinCounter> joins = s.joins();
        return columns.write(new JsonColumns.TokenState(s.seq(), s.tokens().values(), joins));
    }
}
