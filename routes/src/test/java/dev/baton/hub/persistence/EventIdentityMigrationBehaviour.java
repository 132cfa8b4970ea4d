package dev.baton.hub.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migration V10 on a database that already holds events: each keeps the channel it arrived on, and from then
 * on an event is one per channel, CloudEvents source and id.
 */
abstract class EventIdentityMigrationBehaviour {

    /** A Flyway configuration on a new, empty database or schema, with the hub's migration locations. */
    protected abstract FluentConfiguration flyway();

    protected abstract DriverManagerDataSource dataSource();

    @Test
    void shouldKeepEveryEventsChannelAndTellTheSameSourceAndIdOnAnotherChannelApart() {
        // given: a hub's database before V10, holding the warehouse's event s-77
        flyway().target("9").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource());
        Timestamp at = Timestamp.from(Instant.parse("2026-11-30T10:15:00Z"));
        jdbc.update("INSERT INTO baton_event (source, id, channel, type, received_at, received_by, response)"
                + " VALUES (?,?,?,?,?,?,?)", "/wms", "s-77", "wms", "com.example.order.shipped", at, "source-wms",
                "{\"instances\":[]}");

        // when
        flyway().target("10").load().migrate();

        // then: the event is as it was, channel included
        Map<String, Object> row = jdbc.queryForMap("SELECT channel, source, id, type, received_by, response"
                + " FROM baton_event");
        assertThat(row).containsEntry(key(row, "channel"), "wms").containsEntry(key(row, "source"), "/wms")
                .containsEntry(key(row, "id"), "s-77").containsEntry(key(row, "type"), "com.example.order.shipped")
                .containsEntry(key(row, "received_by"), "source-wms")
                .containsEntry(key(row, "response"), "{\"instances\":[]}");

        // and: the same source and id on another channel is another event; on the same channel a duplicate
        EventRepository events = new EventRepository(jdbc);
        events.insert("shop", "/wms", "s-77", "com.example.order.shipped", "source-shop", Instant.now());
        assertThatThrownBy(() -> events.insert("wms", "/wms", "s-77", "com.example.order.shipped", "source-wms",
                Instant.now())).isInstanceOf(DuplicateKeyException.class);
        assertThat(events.answerOf("wms", "/wms", "s-77")).contains("{\"instances\":[]}");
        assertThat(events.answerOf("shop", "/wms", "s-77")).contains("{}");
    }

    /** Column labels come upper-case from H2 and lower-case from PostgreSQL. */
    private static String key(Map<String, Object> row, String column) {
        return row.keySet().stream().filter(k -> k.equalsIgnoreCase(column)).findFirst().orElse(column);
    }

    static FluentConfiguration locations(FluentConfiguration c, String vendor) {
        return c.locations("classpath:db/migration", "classpath:db/vendor/" + vendor);
    }
}
