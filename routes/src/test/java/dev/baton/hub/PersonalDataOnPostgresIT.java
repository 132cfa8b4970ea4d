package dev.baton.hub;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Postgres;

/** Masking, erasure and retention on PostgreSQL: the V5 migration and the purge queries there too. */
class PersonalDataOnPostgresIT extends PersonalDataTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String schema = "baton_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Postgres.properties(schema).forEach((k, v) -> registry.add(k, () -> v));
    }
}
