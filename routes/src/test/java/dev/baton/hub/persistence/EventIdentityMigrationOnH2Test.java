package dev.baton.hub.persistence;

import java.util.concurrent.ThreadLocalRandom;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Migration V10 on H2, the embedded default's database (in memory here). */
class EventIdentityMigrationOnH2Test extends EventIdentityMigrationBehaviour {

    private final String url = "jdbc:h2:mem:events-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
            + ";DB_CLOSE_DELAY=-1";

    @Override
    protected FluentConfiguration flyway() {
        return locations(Flyway.configure().dataSource(url, "sa", ""), "h2");
    }

    @Override
    protected DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(url, "sa", "");
    }
}
