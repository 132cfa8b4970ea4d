package dev.baton.hub.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Human tasks. */
@Repository
public class TaskRepository {

    private final JdbcTemplate jdbc;

    public TaskRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(List<TaskRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO baton_task (id, instance_id, definition_id, version, step, token, title,"
                + " candidate_roles, status, created_at, due_at, assignee) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows,
                rows.size(),
                (ps, t) -> {
                    ps.setString(1, t.id());
                    ps.setString(2, t.instanceId());
                    ps.setString(3, t.definitionId());
                    ps.setInt(4, t.version());
                    ps.setString(5, t.step());
                    ps.setString(6, t.token());
                    ps.setString(7, t.title());
                    ps.setString(8, String.join(",", t.candidateRoles()));
                    ps.setString(9, t.status());
                    ps.setObject(10, Jdbc.ts(t.createdAt()));
                    ps.setObject(11, Jdbc.ts(t.dueAt()));
                    ps.setString(12, t.assignee());
                });
    }

    /** Closes the open task of a token (the process moved on without it). */
    public void close(String instanceId, String token, String reason, Instant now) {
        jdbc.update("UPDATE baton_task SET status = 'CLOSED', close_reason = ?, ended_at = ?"
                + " WHERE instance_id = ? AND token = ? AND status = 'OPEN'", reason, Jdbc.ts(now), instanceId, token);
    }

    /** Marks the open task of a token completed, when the API's own write of it was lost. */
    public void completeIfOpen(String instanceId, String token, String by, Instant now) {
        jdbc.update("UPDATE baton_task SET status = 'COMPLETED', completed_by = ?, ended_at = ?"
                + " WHERE instance_id = ? AND token = ? AND status = 'OPEN'", by, Jdbc.ts(now), instanceId, token);
    }

    /**
     * Marks an open task completed.
     *
     * @return false when it was no longer open (completed by someone else, or closed)
     */
    public boolean complete(String taskId, String by, String variablesJson, Instant now) {
        return jdbc.update("UPDATE baton_task SET status = 'COMPLETED', completed_by = ?, variables = ?, ended_at = ?"
                + " WHERE id = ? AND status = 'OPEN'", by, variablesJson, Jdbc.ts(now), taskId) == 1;
    }

    public Optional<TaskRow> find(String id) {
        return jdbc.query("SELECT * FROM baton_task WHERE id = ?", (rs, i) -> map(rs), id).stream().findFirst();
    }

    public List<TaskRow> open(int limit) {
        return jdbc.query("SELECT * FROM baton_task WHERE status = 'OPEN' ORDER BY created_at, id LIMIT " + limit,
                (rs, i) -> map(rs));
    }

    private static TaskRow map(ResultSet rs) throws SQLException {
        return new TaskRow(rs.getString("id"), rs.getString("instance_id"), rs.getString("definition_id"),
                rs.getInt("version"), rs.getString("step"), rs.getString("token"), rs.getString("title"),
                rs.getString("candidate_roles").isEmpty() ? List.of()
                        : Arrays.asList(rs.getString("candidate_roles").split(",")), rs.getString("status"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "due_at"), Jdbc.instant(rs, "ended_at"),
                rs.getString("completed_by"), rs.getString("close_reason"), rs.getString("variables"),
                rs.getString("assignee"));
    }
}
