package dev.baton.hub;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Postgres;

/**
 * Starts with an {@code Idempotency-Key} on PostgreSQL: a duplicate key aborts the transaction there, and a
 * concurrent insert of the same key waits for the first. Each run gets its own schema in the {@code test}
 * database on 127.0.0.1:5432 (see {@link Postgres}).
 */
class StartIdempotencyOnPostgresIT extends StartIdempotencyBehaviour {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String schema = "baton_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Postgres.properties(schema).forEach((k, v) -> registry.add(k, () -> v));
    }
}
