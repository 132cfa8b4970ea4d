package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Received events, for de-duplication by channel ({@code /events/{channel}}), CloudEvents source and id:
 * the channel is what the sender's credential was checked against, the source only what the sender says.
 */
@Repository
public class EventRepository {

    private final JdbcTemplate jdbc;

    public EventRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records an event as received, with a placeholder answer. Until the transaction ends, a concurrent
     * insert of the same event waits for it on the primary key.
     *
     * @throws org.springframework.dao.DuplicateKeyException when the same channel, source and id were received before
     */
    public void insert(String channel, String source, String id, String type, String receivedBy, Instant now) {
        jdbc.update("INSERT INTO baton_event (channel, source, id, type, received_at, received_by, response)"
                + " VALUES (?,?,?,?,?,?,?)", channel, source, id, type, Jdbc.ts(now), receivedBy, "{}");
    }

    public void answer(String channel, String source, String id, String response) {
        jdbc.update("UPDATE baton_event SET response = ? WHERE channel = ? AND source = ? AND id = ?", response,
                channel, source, id);
    }

    /**
     * Forgets an event inside the transaction that recorded it, for one that started and resumed nothing:
     * a later delivery of it is then evaluated again rather than answered as a duplicate.
     */
    public void forget(String channel, String source, String id) {
        jdbc.update("DELETE FROM baton_event WHERE channel = ? AND source = ? AND id = ?", channel, source, id);
    }

    public Optional<String> answerOf(String channel, String source, String id) {
        return jdbc.query("SELECT response FROM baton_event WHERE channel = ? AND source = ? AND id = ?",
                (rs, i) -> rs.getString(1), channel, source, id).stream().findFirst();
    }
}
