package dev.baton.hub.audit;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail on PostgreSQL: the table refuses UPDATE, DELETE and TRUNCATE; tampering needs the
 * owner to disable its triggers first, and verification still finds it.
 */
class AuditTrailOnPostgresIT extends AuditTrailBehaviour {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String schema = "baton_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Postgres.properties(schema).forEach((k, v) -> registry.add(k, () -> v));
    }

    @Override
    protected void unprotect() {
        jdbc.execute("ALTER TABLE baton_audit DISABLE TRIGGER USER");
    }

    @Override
    protected void protect() {
        jdbc.execute("ALTER TABLE baton_audit ENABLE TRIGGER USER");
    }

    @Test
    void shouldRefuseUpdateDeleteAndTruncateOfTheTrail() {
        // given: at least one entry (the deployment of the example definitions, or a refusal)
        api.get("/api/audit", "nobody");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM baton_audit", Long.class)).isPositive();

        // then
        assertThatThrownBy(() -> jdbc.update("UPDATE baton_audit SET actor = 'mallory'"))
                .rootCause().hasMessageContaining("append-only: UPDATE refused");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM baton_audit"))
                .rootCause().hasMessageContaining("append-only: DELETE refused");
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE baton_audit"))
                .rootCause().hasMessageContaining("append-only: TRUNCATE refused");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM baton_audit_checkpoint"))
                .rootCause().hasMessageContaining("append-only");
    }
}
