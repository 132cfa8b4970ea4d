package dev.baton.hub.persistence;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Message subscriptions of waiting steps. */
@Repository
public class SubscriptionRepository {

    private final JdbcTemplate jdbc;

    public SubscriptionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(List<SubscriptionRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO baton_subscription (instance_id, token, step, attempt, definition_id, version,"
                + " message, correlation_key, created_at) VALUES (?,?,?,?,?,?,?,?,?)", rows, rows.size(), (ps, r) -> {
                    ps.setString(1, r.instanceId());
                    ps.setString(2, r.token());
                    ps.setString(3, r.step());
                    ps.setInt(4, r.attempt());
                    ps.setString(5, r.definitionId());
                    ps.setInt(6, r.version());
                    ps.setString(7, r.message());
                    ps.setString(8, r.correlationKey());
                    ps.setObject(9, Jdbc.ts(r.createdAt()));
                });
    }

    public void delete(String instanceId, String token) {
        jdbc.update("DELETE FROM baton_subscription WHERE instance_id = ? AND token = ?", instanceId, token);
    }

    /**
     * Takes the subscriptions of one wait step that match a key: deletes them and returns what was
     * deleted, so that concurrent deliveries of messages correlate each subscription once.
     */
    public List<SubscriptionRow> take(String definitionId, String step, String message, String key) {
        List<SubscriptionRow> rows = jdbc.query("SELECT * FROM baton_subscription WHERE message = ? AND correlation_key = ?"
                + " AND definition_id = ? AND step = ? ORDER BY created_at FOR UPDATE",
                (rs, i) -> new SubscriptionRow(rs.getString("instance_id"), rs.getString("token"), rs.getString("step"),
                        rs.getInt("attempt"), rs.getString("definition_id"), rs.getInt("version"), rs.getString("message"),
                        rs.getString("correlation_key"), Jdbc.instant(rs, "created_at")),
                message, key, definitionId, step);
        for (SubscriptionRow r : rows) {
            delete(r.instanceId(), r.token());
        }
        return rows;
    }
}
