package dev.baton.hub.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Step history: append-only. */
@Repository
public class HandoffRepository {

    private final JdbcTemplate jdbc;

    public HandoffRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(List<HandoffRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO baton_handoff (instance_id, step, token, attempt, command, event, status, queue,"
                + " enqueued_at, started_at, ended_at, span_id, actor, emitted, error)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows, rows.size(), (ps, r) -> {
                    ps.setString(1, r.instanceId());
                    ps.setString(2, r.step());
                    ps.setString(3, r.token());
                    ps.setInt(4, r.attempt());
                    ps.setInt(5, r.command());
                    ps.setInt(6, r.event());
                    ps.setString(7, r.status());
                    ps.setString(8, r.queue());
                    ps.setObject(9, Jdbc.ts(r.enqueuedAt()));
                    ps.setObject(10, Jdbc.ts(r.startedAt()));
                    ps.setObject(11, Jdbc.ts(r.endedAt()));
                    ps.setString(12, r.spanId());
                    ps.setString(13, r.actor());
                    ps.setString(14, r.emitted());
                    ps.setString(15, r.error());
                });
    }

    /**
     * What the transition of an already consumed command sent, so that a redelivery of that command
     * re-sends exactly it. Empty when the command was never consumed.
     */
    public Optional<String> emittedBy(String instanceId, String token, int attempt, int command) {
        List<String> found = jdbc.query("SELECT emitted FROM baton_handoff WHERE instance_id = ? AND token = ?"
                        + " AND attempt = ? AND command = ?", (rs, i) -> rs.getString(1) == null ? "" : rs.getString(1),
                instanceId, token, attempt, command);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * The span of the latest hand-off of each of {@code steps} in an instance: the branches a join waited
     * for. Read only when a join completes.
     */
    public List<String> lastSpans(String instanceId, Collection<String> steps) {
        List<String> spans = new ArrayList<>(steps.size());
        for (String step : steps) {
            jdbc.query("SELECT span_id FROM baton_handoff WHERE instance_id = ? AND step = ? AND span_id IS NOT NULL"
                    + " ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", rs -> {
                        spans.add(rs.getString(1));
                    }, instanceId, step);
        }
        return spans;
    }

    /** The span of the latest hand-off of a token: for a human task, the hand-off that opened it. */
    public Optional<String> lastSpanOfToken(String instanceId, String token) {
        List<String> found = jdbc.query("SELECT span_id FROM baton_handoff WHERE instance_id = ? AND token = ?"
                + " AND span_id IS NOT NULL ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", (rs, i) -> rs.getString(1),
                instanceId, token);
        return found.stream().findFirst();
    }

    public List<HandoffRow> forInstance(String instanceId) {
        return jdbc.query("SELECT * FROM baton_handoff WHERE instance_id = ? ORDER BY seq", (rs, i) -> new HandoffRow(
                rs.getString("instance_id"), rs.getString("step"), rs.getString("token"), rs.getInt("attempt"),
                rs.getInt("command"), rs.getInt("event"), rs.getString("status"), rs.getString("queue"),
                Jdbc.instant(rs, "enqueued_at"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "ended_at"),
                rs.getString("span_id"), rs.getString("actor"), rs.getString("emitted"), rs.getString("error")),
                instanceId);
    }
}
