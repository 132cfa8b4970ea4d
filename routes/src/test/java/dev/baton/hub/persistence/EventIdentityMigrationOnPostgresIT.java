package dev.baton.hub.persistence;

import java.util.concurrent.ThreadLocalRandom;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.baton.hub.support.Postgres;

/** Migration V10 on PostgreSQL, in a schema of its own (see {@link Postgres}). */
class EventIdentityMigrationOnPostgresIT extends EventIdentityMigrationBehaviour {

    private final String schema = "baton_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final String url = Postgres.url() + (Postgres.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    private final String password = System.getenv().getOrDefault("BATON_TEST_POSTGRES_PASSWORD", "");

    @Override
    protected FluentConfiguration flyway() {
        return locations(Flyway.configure().dataSource(url, Postgres.user(), password), "postgresql").schemas(schema)
                .createSchemas(true);
    }

    @Override
    protected DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(url, Postgres.user(), password);
    }
}
