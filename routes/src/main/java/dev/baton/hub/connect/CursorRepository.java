package dev.baton.hub.connect;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.baton.connectors.Cursors;

/** Connectors' inbound positions in {@code baton_cursor}. */
@Repository
class CursorRepository implements Cursors {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    CursorRepository(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<String> read(String name) {
        return jdbc.query("SELECT position FROM baton_cursor WHERE name = ?", (rs, n) -> rs.getString(1), name)
                .stream().findFirst();
    }

    @Override
    public void write(String name, String position) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("UPDATE baton_cursor SET position = ?, updated_at = ? WHERE name = ?", position, now, name) == 0) {
            jdbc.update("INSERT INTO baton_cursor (name, position, updated_at) VALUES (?, ?, ?)", name, position, now);
        }
    }
}
