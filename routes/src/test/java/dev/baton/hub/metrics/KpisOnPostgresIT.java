package dev.baton.hub.metrics;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Postgres;

/** {@link KpisTest} on PostgreSQL: the same statements, the same hand-computed answer (see {@link Postgres}). */
class KpisOnPostgresIT extends KpisTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String schema = "baton_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Postgres.properties(schema).forEach((k, v) -> registry.add(k, () -> v));
    }
}
