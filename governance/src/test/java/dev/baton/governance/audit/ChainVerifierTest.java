package dev.baton.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.governance.audit.ChainVerifier.Verification;

class ChainVerifierTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    private static AuditChain.Draft draft(int i) {
        return new AuditChain.Draft(T0.plusMillis(i * 37L), "inst-" + (i % 3), "order-to-cash", 1, "step-" + i,
                "STEP_EXECUTED", 111, i % 2 == 0 ? "mia" : "connector:sap", "trace-" + (i % 3), "span-" + i,
                AuditChain.digest(("payload " + i).getBytes(StandardCharsets.UTF_8)), "step " + i + " done");
    }

    private static List<AuditEntry> chain(int n) {
        List<AuditEntry> entries = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEntry e = AuditChain.seal("p0", i, prev, draft(i));
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    private static Verification verify(List<AuditEntry> entries) {
        ChainVerifier v = new ChainVerifier("p0");
        for (AuditEntry e : entries) {
            if (!v.accept(e)) {
                break;
            }
        }
        return v.result();
    }

    private static AuditEntry withSummary(AuditEntry e, String summary) {
        return new AuditEntry(e.chain(), e.sequence(), e.time(), e.instanceId(), e.definition(), e.version(),
                e.step(), e.eventType(), e.eventCode(), e.actor(), e.traceId(), e.spanId(), e.payloadDigest(), summary,
                e.prevHash(), e.hash());
    }

    @Test
    void anUntouchedChainIsValid() {
        Verification v = verify(chain(10));
        assertThat(v.valid()).isTrue();
        assertThat(v.entries()).isEqualTo(10);
        assertThat(v.firstBrokenSequence()).isNull();
    }

    @Test
    void oneChangedFieldIsFoundAtItsEntry() {
        List<AuditEntry> entries = chain(10);
        entries.set(3, withSummary(entries.get(3), "step 4 done (edited)"));
        Verification v = verify(entries);
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(4);
        assertThat(v.reason()).contains("altered");
    }

    @Test
    void aDeletedEntryIsFoundAtItsSequence() {
        List<AuditEntry> entries = chain(10);
        entries.remove(6);
        Verification v = verify(entries);
        assertThat(v.firstBrokenSequence()).isEqualTo(7);
        assertThat(v.reason()).contains("entry 7 is missing before entry 8");
    }

    @Test
    void anInsertedEntryIsFound() {
        List<AuditEntry> entries = chain(10);
        // a well-formed entry claiming position 5, sealed after entry 4
        AuditEntry forged = AuditChain.seal("p0", 5, entries.get(3).hash(), draft(99));
        entries.add(4, forged);
        Verification v = verify(entries);
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.reason()).contains("duplicated or out-of-place");
    }

    @Test
    void twoSwappedEntriesAreFound() {
        List<AuditEntry> entries = chain(10);
        AuditEntry third = entries.get(2);
        AuditEntry fourth = entries.get(3);
        // the rows keep their positions but trade contents, each re-sealed so its own hash is right
        entries.set(2, AuditChain.seal("p0", 3, third.prevHash(), draftOf(fourth)));
        entries.set(3, AuditChain.seal("p0", 4, entries.get(2).hash(), draftOf(third)));
        Verification v = verify(entries);
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.reason()).contains("does not follow entry 4");
        // swapped without re-sealing: the first moved entry no longer gives its hash
        List<AuditEntry> plain = chain(10);
        AuditEntry a = plain.get(2);
        AuditEntry b = plain.get(3);
        plain.set(2, new AuditEntry("p0", 3, b.time(), b.instanceId(), b.definition(), b.version(), b.step(),
                b.eventType(), b.eventCode(), b.actor(), b.traceId(), b.spanId(), b.payloadDigest(), b.summary(),
                b.prevHash(), b.hash()));
        plain.set(3, new AuditEntry("p0", 4, a.time(), a.instanceId(), a.definition(), a.version(), a.step(),
                a.eventType(), a.eventCode(), a.actor(), a.traceId(), a.spanId(), a.payloadDigest(), a.summary(),
                a.prevHash(), a.hash()));
        Verification swapped = verify(plain);
        assertThat(swapped.firstBrokenSequence()).isEqualTo(3);
        assertThat(swapped.reason()).contains("altered");
    }

    @Test
    void fieldsCannotBeShiftedFromOneToTheNextWithoutChangingTheHash() {
        AuditEntry a = AuditChain.seal("p0", 1, AuditChain.GENESIS, new AuditChain.Draft(T0, "ab", "c", 1, null,
                "E", 1, "x", null, null, null, "s"));
        AuditEntry b = AuditChain.seal("p0", 1, AuditChain.GENESIS, new AuditChain.Draft(T0, "a", "bc", 1, null,
                "E", 1, "x", null, null, null, "s"));
        AuditEntry c = AuditChain.seal("p0", 1, AuditChain.GENESIS, new AuditChain.Draft(T0, "a", "bc", 1, "",
                "E", 1, "x", null, null, null, "s"));
        assertThat(a.hash()).isNotEqualTo(b.hash());
        assertThat(b.hash()).isNotEqualTo(c.hash()); // null and empty differ
        assertThat(a.hash()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void aLongChainVerifiesEntryByEntryKeepingOnlyItsHead() {
        ChainVerifier v = new ChainVerifier("p0");
        String prev = AuditChain.GENESIS;
        AuditChain.Draft d = draft(1);
        for (int i = 1; i <= 100_000; i++) {
            AuditEntry e = AuditChain.seal("p0", i, prev, d);
            assertThat(v.accept(e)).isTrue();
            prev = e.hash();
        }
        assertThat(v.result().valid()).isTrue();
        assertThat(v.head()).isEqualTo(prev);
    }

    private static AuditChain.Draft draftOf(AuditEntry e) {
        return new AuditChain.Draft(e.time(), e.instanceId(), e.definition(), e.version(), e.step(), e.eventType(),
                e.eventCode(), e.actor(), e.traceId(), e.spanId(), e.payloadDigest(), e.summary());
    }
}
