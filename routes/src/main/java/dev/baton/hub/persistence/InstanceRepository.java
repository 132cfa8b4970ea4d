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
import dev.baton.model.engine.Token;

/**
 * Instances: inserted at start, locked and updated in batches by the step consumers. An instance is
 * two rows: {@code baton_instance} (indexed, rewritten only when its status changes) and
 * {@code baton_instance_state} (rewritten at every hand-off, primary key only).
 */
@Repository
public class InstanceRepository {

    private static final String INSTANCE_COLUMNS = "id, definition_id, version, status, business_key, trace_id,"
            + " root_span_id, started_by, started_at, ended_at, parent_id, parent_definition_id, parent_version,"
            + " parent_step, parent_token, parent_attempt";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JsonColumns columns;

    public InstanceRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, JsonColumns columns) {
        this.jdbc = jdbc;
        this.named = named;
        this.columns = columns;
    }

    /**
     * One changed instance.
     *
     * @param row              its new row
     * @param statusChanged    whether the indexed row must be rewritten too
     * @param variablesChanged whether its variables changed (else they are not rewritten)
     */
    public record Update(InstanceRow row, boolean statusChanged, boolean variablesChanged) {
    }

    public void insert(InstanceRow row, Instant now) {
        InstanceState s = row.state();
        InstanceRow.Parent parent = row.parent();
        jdbc.update("INSERT INTO baton_instance (" + INSTANCE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                s.instanceId(), s.definitionId(), s.version(), s.status().name(), s.businessKey(), row.traceId(),
                row.rootSpanId(), row.startedBy(), Jdbc.ts(row.startedAt()), Jdbc.ts(row.endedAt()),
                parent == null ? null : parent.instanceId(), parent == null ? null : parent.definitionId(),
                parent == null ? null : parent.version(), parent == null ? null : parent.step(),
                parent == null ? null : parent.token(), parent == null ? null : parent.attempt());
        jdbc.update("INSERT INTO baton_instance_state (id, state, variables, updated_at) VALUES (?,?,?,?)",
                s.instanceId(), stateJson(s), columns.write(s.variables()), Jdbc.ts(now));
    }

    /**
     * Locks the instances for update, in id order so that two batches sharing instances cannot
     * deadlock, and returns them. Must run inside a transaction.
     */
    public Map<String, InstanceRow> lock(Collection<String> ids) {
        return select(ids, true);
    }

    /** Reads without locking: a snapshot for the work a step does before its transition. */
    public Map<String, InstanceRow> read(Collection<String> ids) {
        return select(ids, false);
    }

    public Optional<InstanceRow> find(String id) {
        return Optional.ofNullable(read(List.of(id)).get(id));
    }

    /** Who started each of these instances (the four-eyes rule asks); unknown ids are left out. */
    public Map<String, String> startedBy(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, String> startedBy = new HashMap<>(ids.size() * 2);
        named.query("SELECT id, started_by FROM baton_instance WHERE id IN (:ids)",
                new MapSqlParameterSource("ids", padded(new TreeSet<>(ids))), rs -> {
                    startedBy.put(rs.getString(1), rs.getString(2));
                });
        return startedBy;
    }

    private record StateColumns(String state, String variables) {
    }

    private Map<String, InstanceRow> select(Collection<String> ids, boolean forUpdate) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        MapSqlParameterSource p = new MapSqlParameterSource("ids", padded(new TreeSet<>(ids)));
        Map<String, StateColumns> states = new HashMap<>(ids.size() * 2);
        named.query("SELECT id, state, variables FROM baton_instance_state WHERE id IN (:ids) ORDER BY id"
                + (forUpdate ? " FOR UPDATE" : ""), p, rs -> {
                    states.put(rs.getString(1), new StateColumns(rs.getString(2), rs.getString(3)));
                });
        Map<String, InstanceRow> rows = new HashMap<>(ids.size() * 2);
        if (states.isEmpty()) {
            return rows;
        }
        named.query("SELECT " + INSTANCE_COLUMNS + " FROM baton_instance WHERE id IN (:ids)",
                new MapSqlParameterSource("ids", padded(new TreeSet<>(states.keySet()))), rs -> {
                    StateColumns sc = states.get(rs.getString("id"));
                    InstanceRow row = map(rs, sc.state(), sc.variables());
                    rows.put(row.id(), row);
                });
        return rows;
    }

    /**
     * The ids, repeated at the end up to the next power of two: an IN list of a few fixed lengths
     * lets the database reuse its parsed statements instead of parsing one per batch size.
     */
    private static List<String> padded(TreeSet<String> ids) {
        List<String> list = new ArrayList<>(ids);
        int size = Integer.highestOneBit(Math.max(1, list.size() - 1)) << 1;
        String last = list.get(list.size() - 1);
        while (list.size() < size) {
            list.add(last);
        }
        return list;
    }

    public void update(List<Update> updates, Instant now) {
        List<Update> withVariables = new ArrayList<>();
        List<Update> stateOnly = new ArrayList<>();
        List<Update> statusChanged = new ArrayList<>();
        for (Update u : updates) {
            (u.variablesChanged() ? withVariables : stateOnly).add(u);
            if (u.statusChanged()) {
                statusChanged.add(u);
            }
        }
        if (!stateOnly.isEmpty()) {
            jdbc.batchUpdate("UPDATE baton_instance_state SET state = ?, updated_at = ? WHERE id = ?",
                    stateOnly, stateOnly.size(), (ps, u) -> {
                        ps.setString(1, stateJson(u.row().state()));
                        ps.setObject(2, Jdbc.ts(now));
                        ps.setString(3, u.row().id());
                    });
        }
        if (!withVariables.isEmpty()) {
            jdbc.batchUpdate("UPDATE baton_instance_state SET state = ?, variables = ?, updated_at = ? WHERE id = ?",
                    withVariables, withVariables.size(), (ps, u) -> {
                        ps.setString(1, stateJson(u.row().state()));
                        ps.setString(2, columns.write(u.row().state().variables()));
                        ps.setObject(3, Jdbc.ts(now));
                        ps.setString(4, u.row().id());
                    });
        }
        if (!statusChanged.isEmpty()) {
            jdbc.batchUpdate("UPDATE baton_instance SET status = ?, ended_at = ? WHERE id = ?",
                    statusChanged, statusChanged.size(), (ps, u) -> {
                        ps.setString(1, u.row().state().status().name());
                        ps.setObject(2, Jdbc.ts(u.row().endedAt()));
                        ps.setString(3, u.row().id());
                    });
        }
    }

    /** The instances a call activity of this instance started, oldest first; without variables and tokens. */
    public List<InstanceRow> children(String parentId) {
        return named.query("SELECT " + INSTANCE_COLUMNS + " FROM baton_instance WHERE parent_id = :parent"
                + " ORDER BY started_at, id", new MapSqlParameterSource("parent", parentId), (rs, i) -> map(rs, null, null));
    }

    /** The running child a call activity's token started, if any: what cancelling that step must cancel. */
    public Optional<String> runningChild(String parentId, String parentToken) {
        return named.query("SELECT id FROM baton_instance WHERE parent_id = :parent AND parent_token = :token"
                        + " AND status NOT IN ('COMPLETED', 'CANCELLED') ORDER BY started_at DESC, id DESC",
                new MapSqlParameterSource("parent", parentId).addValue("token", parentToken),
                (rs, i) -> rs.getString(1)).stream().findFirst();
    }

    /** Filters of the instance list; null means "any". */
    public record Query(String definitionId, InstanceStatus status, String businessKey, Instant from, Instant to,
                        int limit, Instant afterStartedAt, String afterId) {
    }

    /** Instances in start order (oldest first), after the cursor position; without variables and tokens. */
    public List<InstanceRow> list(Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + INSTANCE_COLUMNS + " FROM baton_instance WHERE 1 = 1");
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
        return named.query(sql.toString(), p, (rs, i) -> map(rs, null, null));
    }

    private InstanceRow map(ResultSet rs, String stateJson, String variablesJson) throws SQLException {
        Map<String, Token> tokens = new LinkedHashMap<>();
        JsonColumns.TokenState ts = stateJson == null ? new JsonColumns.TokenState(0, List.of(), Map.of())
                : columns.readState(stateJson);
        for (Token t : ts.tokens()) {
            tokens.put(t.id(), t);
        }
        InstanceState state = new InstanceState(rs.getString("id"), rs.getString("definition_id"), rs.getInt("version"),
                InstanceStatus.valueOf(rs.getString("status")), rs.getString("business_key"),
                variablesJson == null ? Map.of() : columns.readMap(variablesJson), tokens, new HashMap<>(ts.joins()),
                ts.seq(), ts.locals(), ts.loops(), rs.getString("parent_id") != null);
        String parentId = rs.getString("parent_id");
        InstanceRow.Parent parent = parentId == null ? null : new InstanceRow.Parent(parentId,
                rs.getString("parent_definition_id"), rs.getInt("parent_version"), rs.getString("parent_step"),
                rs.getString("parent_token"), rs.getInt("parent_attempt"));
        return new InstanceRow(state, rs.getString("trace_id"), rs.getString("root_span_id"), rs.getString("started_by"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at"), parent);
    }

    private String stateJson(InstanceState s) {
        return columns.write(new JsonColumns.TokenState(s.seq(), s.tokens().values(), s.joins(), s.locals(), s.loops()));
    }
}
