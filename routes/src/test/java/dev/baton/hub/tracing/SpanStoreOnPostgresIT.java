package dev.baton.hub.tracing;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Postgres;

/** The local span store on PostgreSQL: the V6 migration, {@code ON CONFLICT DO NOTHING}, the sweep's deletes. */
class SpanStoreOnPostgresIT extends SpanStoreBehaviour {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String schema = "baton_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Postgres.properties(schema).forEach((k, v) -> registry.add(k, () -> v));
    }
}
