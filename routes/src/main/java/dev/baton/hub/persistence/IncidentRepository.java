package dev.baton.hub.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Incidents. */
@Repository
public class IncidentRepository {

    private final JdbcTemplate jdbc;

    public IncidentRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The width of {@code baton_incident.failure_type}. */
    static final int MAX_FAILURE_TYPE = 100;

    public void insert(List<IncidentRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO baton_incident (id, instance_id, definition_id, version, step, token, attempt,"
                + " failure_type, message, details, queue, command, status, created_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows, rows.size(), (ps, r) -> {
                    ps.setString(1, r.id());
                    ps.setString(2, r.instanceId());
                    ps.setString(3, r.definitionId());
                    if (r.version() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, r.version());
                    }
                    ps.setString(5, r.step());
                    ps.setString(6, r.token());
                    if (r.attempt() == null) {
                        ps.setNull(7, Types.INTEGER);
                    } else {
                        ps.setInt(7, r.attempt());
                    }
                    // a remote system's error code can be any length; the type is a label, its width the column's
                    ps.setString(8, r.failureType() == null || r.failureType().length() <= MAX_FAILURE_TYPE
                            ? r.failureType() : r.failureType().substring(0, MAX_FAILURE_TYPE - 1) + "…");
                    ps.setString(9, r.message());
                    ps.setString(10, r.details());
                    ps.setString(11, r.queue());
                    ps.setString(12, r.command());
                    ps.setString(13, r.status());
                    ps.setObject(14, Jdbc.ts(r.createdAt()));
                });
    }

    /**
     * Moves an open incident to a new status.
     *
     * @return false when it was not open any more
     */
    public boolean resolve(String id, String status, String by, Instant now) {
        return jdbc.update("UPDATE baton_incident SET status = ?, resolved_by = ?, resolved_at = ?"
                + " WHERE id = ? AND status = 'OPEN'", status, by, Jdbc.ts(now), id) == 1;
    }

    /** Marks the open incident of a token retried, when the API's own write of it was lost. */
    public void retriedIfOpen(String instanceId, String token, String by, Instant now) {
        jdbc.update("UPDATE baton_incident SET status = 'RETRIED', resolved_by = ?, resolved_at = ?"
                + " WHERE instance_id = ? AND token = ? AND status = 'OPEN'", by, Jdbc.ts(now), instanceId, token);
    }

    /** Closes the open incident of a token the instance no longer needs. */
    public void closeForToken(String instanceId, String token, String reason, Instant now) {
        jdbc.update("UPDATE baton_incident SET status = 'CLOSED', resolved_by = ?, resolved_at = ?"
                + " WHERE instance_id = ? AND token = ? AND status = 'OPEN'", "baton: " + reason, Jdbc.ts(now),
                instanceId, token);
    }

    /** Closes the open incidents of an instance that was cancelled. */
    public void closeForInstance(String instanceId, String by, Instant now) {
        jdbc.update("UPDATE baton_incident SET status = 'CLOSED', resolved_by = ?, resolved_at = ?"
                + " WHERE instance_id = ? AND status = 'OPEN'", by, Jdbc.ts(now), instanceId);
    }

    public Optional<IncidentRow> find(String id) {
        return jdbc.query("SELECT * FROM baton_incident WHERE id = ?", (rs, i) -> map(rs), id).stream().findFirst();
    }

    public List<IncidentRow> list(String status, String instanceId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM baton_incident WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (instanceId != null) {
            sql.append(" AND instance_id = ?");
            args.add(instanceId);
        }
        sql.append(" ORDER BY created_at, id LIMIT ").append(limit);
        return jdbc.query(sql.toString(), (rs, i) -> map(rs), args.toArray());
    }

    private static IncidentRow map(ResultSet rs) throws SQLException {
        return new IncidentRow(rs.getString("id"), rs.getString("instance_id"), rs.getString("definition_id"),
                (Integer) rs.getObject("version"), rs.getString("step"), rs.getString("token"),
                (Integer) rs.getObject("attempt"), rs.getString("failure_type"), rs.getString("message"),
                rs.getString("details"), rs.getString("queue"), rs.getString("command"), rs.getString("status"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "resolved_at"), rs.getString("resolved_by"));
    }
}
