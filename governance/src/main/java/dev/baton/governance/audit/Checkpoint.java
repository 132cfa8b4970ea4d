package dev.baton.governance.audit;

import java.time.Instant;
import java.util.List;

/**
 * What the heads of every chain were at one moment, signed: chains are appended independently, and
 * checkpoints tie them together. A checkpoint names, per chain, the last entry's sequence and hash, so
 * an auditor can show what the trail held at a past time; re-hashing a chain after the fact, or cutting
 * its tail, no longer matches the checkpoints taken before. Checkpoints are themselves chained.
 *
 * @param sequence  position among checkpoints, from 1
 * @param time      when it was taken
 * @param heads     per chain, its head at that time, ordered by chain
 * @param prevHash  the previous checkpoint's hash ({@link AuditChain#GENESIS} for the first)
 * @param hash      SHA-256(prevHash ‖ canonical sequence, time and heads), hex
 * @param keyId     which key signed it (see {@link Checkpoints#keyId})
 * @param signature Ed25519 signature of {@code hash}, Base64
 */
public record Checkpoint(long sequence, Instant time, List<Head> heads, String prevHash, String hash, String keyId,
                         String signature) {

    /**
     * @param chain    the chain
     * @param sequence its last entry's sequence
     * @param hash     that entry's hash
     */
    public record Head(String chain, long sequence, String hash) {
    }

    /** Entries the chains held at that time. */
    public long entries() {
        return heads.stream().mapToLong(Head::sequence).sum();
    }
}
