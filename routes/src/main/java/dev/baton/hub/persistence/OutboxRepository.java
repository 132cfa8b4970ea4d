package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Commands written by API calls, waiting to be sent to the broker. */
@Repository
public class OutboxRepository {

    /** A row: the serialized commands (see {@code CommandCodec#toJson}). */
    public record Entry(String id, String message) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    public OutboxRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    public void insert(String id, String queue, String message, Instant now) {
        jdbc.update("INSERT INTO baton_outbox (id, queue, message, created_at) VALUES (?,?,?,?)", id, queue, message,
                Jdbc.ts(now));
    }

    public List<Entry> olderThan(Instant before, int limit) {
        return jdbc.query("SELECT id, message FROM baton_outbox WHERE created_at < ? ORDER BY created_at LIMIT " + limit,
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2)), Jdbc.ts(before));
    }

    public void delete(Collection<String> ids) {
        if (!ids.isEmpty()) {
            named.update("DELETE FROM baton_outbox WHERE id IN (:ids)", new MapSqlParameterSource("ids", ids));
        }
    }
}
