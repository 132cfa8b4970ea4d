package dev.baton.hub.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * Message subscriptions of waiting steps and of message boundaries: one row per token and message.
 */
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

    /** Drops every subscription of a token: its wait's and its message boundaries'. */
    public void delete(String instanceId, String token) {
        jdbc.update("DELETE FROM baton_subscription WHERE instance_id = ? AND token = ?", instanceId, token);
    }

    /**
     * Takes the subscriptions of one wait step that match a key: deletes them and returns what was
     * deleted, so that concurrent deliveries of messages correlate each subscription once.
     *
     * @param versions the versions of the definition whose step takes this message (a version's step may accept
     *                 it from channels another version's does not); subscriptions of the others stay
     */
    public List<SubscriptionRow> take(String definitionId, String step, String message, String key,
                                      Set<Integer> versions) {
        List<SubscriptionRow> rows = matching(definitionId, step, message, key).stream()
                .filter(r -> versions.contains(r.version())).toList();
        for (SubscriptionRow r : rows) {
            jdbc.update("DELETE FROM baton_subscription WHERE instance_id = ? AND token = ? AND message = ?",
                    r.instanceId(), r.token(), r.message());
        }
        return rows;
    }

    /**
     * The subscriptions of a non-interrupting message boundary that match a key, kept (the step stays open and
     * listens on), each with the number of this correlation as its attempt. Numbers are counted per token, over
     * all its subscriptions (locked in message order, so concurrent messages for one token neither deadlock nor
     * share a number): every message is a command of its own number, and a redelivered one is known by it.
     * Only subscriptions of the given versions count, as for {@link #take}.
     */
    public List<SubscriptionRow> count(String definitionId, String step, String message, String key,
                                       Set<Integer> versions) {
        List<SubscriptionRow> counted = new ArrayList<>();
        for (SubscriptionRow r : jdbc.query("SELECT * FROM baton_subscription WHERE message = ? AND correlation_key = ?"
                + " AND definition_id = ? AND step = ? ORDER BY created_at", ROW, message, key, definitionId, step)) {
            if (!versions.contains(r.version())) {
                continue;
            }
            List<SubscriptionRow> ofToken = jdbc.query("SELECT * FROM baton_subscription WHERE instance_id = ?"
                    + " AND token = ? ORDER BY message FOR UPDATE", ROW, r.instanceId(), r.token());
            if (ofToken.stream().noneMatch(o -> o.message().equals(message))) {
                continue; // the token left the step meanwhile
            }
            int number = ofToken.stream().mapToInt(SubscriptionRow::attempt).max().orElse(1);
            jdbc.update("UPDATE baton_subscription SET attempt = ? WHERE instance_id = ? AND token = ?", number + 1,
                    r.instanceId(), r.token());
            counted.add(new SubscriptionRow(r.instanceId(), r.token(), r.step(), number, r.definitionId(), r.version(),
                    r.message(), r.correlationKey(), r.createdAt()));
        }
        return counted;
    }

    private static final RowMapper<SubscriptionRow> ROW = (rs, i) -> new SubscriptionRow(rs.getString("instance_id"),
            rs.getString("token"), rs.getString("step"), rs.getInt("attempt"), rs.getString("definition_id"),
            rs.getInt("version"), rs.getString("message"), rs.getString("correlation_key"), Jdbc.instant(rs, "created_at"));

    private List<SubscriptionRow> matching(String definitionId, String step, String message, String key) {
        return jdbc.query("SELECT * FROM baton_subscription WHERE message = ? AND correlation_key = ?"
                + " AND definition_id = ? AND step = ? ORDER BY created_at FOR UPDATE", ROW, message, key, definitionId, step);
    }
}
