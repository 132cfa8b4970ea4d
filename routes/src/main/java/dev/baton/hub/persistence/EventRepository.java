package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Received events, for de-duplication by CloudEvents source and id. */
@Repository
public class EventRepository {

    private final JdbcTemplate jdbc;

    public EventRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records an event as received, with a placeholder answer.
     *
     * @throws org.springframework.dao.DuplicateKeyException when the same source and id were received before
     */
    public void insert(String source, String id, String channel, String type, String receivedBy, Instant now) {
        jdbc.update("INSERT INTO baton_event (source, id, channel, type, received_at, received_by, response)"
                + " VALUES (?,?,?,?,?,?,?)", source, id, channel, type, Jdbc.ts(now), receivedBy, "{}");
    }

    public void answer(String source, String id, String response) {
        jdbc.update("UPDATE baton_event SET response = ? WHERE source = ? AND id = ?", response, source, id);
    }

    public Optional<String> answerOf(String source, String id) {
        return jdbc.query("SELECT response FROM baton_event WHERE source = ? AND id = ?", (rs, i) -> rs.getString(1),
                source, id).stream().findFirst();
    }
}
