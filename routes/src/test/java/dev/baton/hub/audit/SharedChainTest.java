package dev.baton.hub.audit;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.governance.audit.AuditChain;
import dev.baton.hub.HubTestBase;
import dev.baton.model.engine.Intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes wrongly given the same chain names (the same {@code baton.audit.node}) cannot fork a chain:
 * the one whose head is stale fails to insert, rolls back, reads the head again and appends after it.
 */
class SharedChainTest extends HubTestBase {

    @Autowired
    private AuditRepository repository;
    @Autowired
    private TransactionTemplate tx;
    @Autowired
    private ObjectMapper json;
    @Autowired
    private AuditVerifier verifier;

    private static AuditChain.Draft entry(String what) {
        return new AuditChain.Draft(Instant.now(), null, null, null, null, Intent.ACCESS_DENIED.name(),
                Intent.ACCESS_DENIED.code(), "test", null, null, null, what);
    }

    @Test
    void shouldNeverForkAChainTwoNodesShare() {
        // given: two nodes named alike, one chain each
        AuditProperties same = new AuditProperties(true, 1, "twin", Duration.ZERO);
        AuditLog first = new AuditLog(repository, tx, same, json);
        AuditLog second = new AuditLog(repository, tx, same, json);
        first.append(entry("first 1"));                     // twin/0 #1, first's head cached at 1

        // when: the second appends (reads the head: 1, writes 2), then the first with its stale head
        second.append(entry("second 2"));
        assertThatThrownBy(() -> first.append(entry("first, stale"))).isInstanceOf(DuplicateKeyException.class);
        first.append(entry("first 3"));                     // read again after the rollback

        // then: one chain, 1..3, nothing lost that was committed, and it verifies
        assertThat(repository.head("twin/0", AuditChain.GENESIS).sequence()).isEqualTo(3);
        assertThat(repository.find("twin/0", 2).orElseThrow().summary()).isEqualTo("second 2");
        assertThat(repository.find("twin/0", 3).orElseThrow().summary()).isEqualTo("first 3");
        AuditVerifier.Report report = verifier.verify();
        assertThat(report.valid()).as(report.reason()).isTrue();
    }
}
