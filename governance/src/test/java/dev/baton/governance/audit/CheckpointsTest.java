package dev.baton.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CheckpointsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    private static List<AuditEntry> chain(int n, String summaryOf3) {
        List<AuditEntry> entries = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEntry e = AuditChain.seal("p0", i, prev, new AuditChain.Draft(T0.plusSeconds(i), "i-1", "p", 1,
                    "s" + i, "STEP_EXECUTED", 111, "system", "t", "s", null, i == 3 ? summaryOf3 : "step " + i));
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    private static ChainVerifier.Verification verify(List<AuditEntry> entries, Checkpoint c) {
        ChainVerifier v = new ChainVerifier("p0", Map.of(c.heads().get(0).sequence(),
                new ChainVerifier.Pinned(c.sequence(), c.heads().get(0).hash())));
        entries.forEach(v::accept);
        v.finish();
        return v.result();
    }

    @Test
    void aSignedCheckpointVerifiesWithItsKeyOnlyAndNotOnceAltered() {
        KeyPair key = Checkpoints.newKeyPair();
        KeyPair other = Checkpoints.newKeyPair();
        Checkpoint c = Checkpoints.seal(1, T0, List.of(new Checkpoint.Head("p0", 5, "ab".repeat(32))),
                AuditChain.GENESIS, key);

        assertThat(Checkpoints.hashOf(c)).isEqualTo(c.hash());
        assertThat(Checkpoints.signedBy(c, key.getPublic())).isTrue();
        assertThat(Checkpoints.signedBy(c, other.getPublic())).isFalse();
        assertThat(c.keyId()).isEqualTo(Checkpoints.keyId(key.getPublic())).hasSize(16);
        Checkpoint moved = new Checkpoint(1, T0, List.of(new Checkpoint.Head("p0", 4, "ab".repeat(32))), c.prevHash(),
                c.hash(), c.keyId(), c.signature());
        assertThat(Checkpoints.hashOf(moved)).isNotEqualTo(c.hash());
    }

    @Test
    void aChainRehashedAfterACheckpointNoLongerMatchesIt() {
        List<AuditEntry> original = chain(6, "step 3");
        AuditEntry head = original.get(5);
        Checkpoint c = Checkpoints.seal(1, T0, List.of(new Checkpoint.Head("p0", 6, head.hash())), AuditChain.GENESIS,
                Checkpoints.newKeyPair());

        // re-hashed from entry 3 on: consistent in itself
        List<AuditEntry> rewritten = chain(6, "approved by nobody");
        ChainVerifier.Verification plain = verify(rewritten, Checkpoints.seal(1, T0,
                List.of(new Checkpoint.Head("p0", 6, rewritten.get(5).hash())), AuditChain.GENESIS,
                Checkpoints.newKeyPair()));
        ChainVerifier.Verification pinned = verify(rewritten, c);

        assertThat(verify(original, c).valid()).isTrue();
        assertThat(plain.valid()).isTrue();
        assertThat(pinned.valid()).isFalse();
        assertThat(pinned.firstBrokenSequence()).isEqualTo(6);
        assertThat(pinned.reason()).contains("rewritten (re-hashed) somewhere in entries 1 to 6");
    }

    @Test
    void aTailCutAfterACheckpointIsFound() {
        List<AuditEntry> entries = chain(6, "step 3");
        Checkpoint c = Checkpoints.seal(1, T0, List.of(new Checkpoint.Head("p0", 6, entries.get(5).hash())),
                AuditChain.GENESIS, Checkpoints.newKeyPair());

        ChainVerifier.Verification v = verify(entries.subList(0, 4), c);

        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.reason()).contains("entries 5 to 6 are missing").contains("its tail was cut");
    }
}
