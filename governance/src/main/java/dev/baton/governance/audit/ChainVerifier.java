package dev.baton.governance.audit;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Recomputes one chain, entry by entry in the order it is stored (by sequence), and names the first
 * entry that is not what was written and why: altered (its content no longer gives its hash), missing
 * (a sequence number skipped: deleted), duplicated or out of place (inserted or reordered), or not
 * following its predecessor (re-hashed entries inserted, deleted or swapped). Feed it with
 * {@link #accept}; it keeps only the previous entry, so a million entries need no memory to speak of.
 */
public final class ChainVerifier {

    /**
     * The outcome.
     *
     * @param valid               whether every entry is as written
     * @param entries             entries checked (up to and including the first broken one)
     * @param firstBrokenSequence the sequence of the first broken entry (of the first missing one when
     *                            entries were deleted), or null
     * @param reason              why it is broken, or null
     */
    public record Verification(boolean valid, long entries, Long firstBrokenSequence, String reason) {
    }

    /**
     * What a checkpoint says an entry's hash was.
     *
     * @param checkpoint the checkpoint's sequence
     * @param hash       the entry's hash it recorded
     */
    public record Pinned(long checkpoint, String hash) {
    }

    private final String chain;
    private final NavigableMap<Long, Pinned> pinned;
    private long count;
    private long lastSequence;
    private long lastPinned;
    private String lastHash = AuditChain.GENESIS;
    private Verification broken;

    public ChainVerifier(String chain) {
        this(chain, Map.of());
    }

    /**
     * @param pinned by sequence, the hashes checkpoints recorded for entries of this chain: a chain
     *               re-hashed after a checkpoint, or cut short, no longer matches them
     */
    public ChainVerifier(String chain, Map<Long, Pinned> pinned) {
        this.chain = chain;
        this.pinned = new TreeMap<>(pinned);
    }

    /** Checks the next entry; false once the chain is found broken (later entries are not looked at). */
    public boolean accept(AuditEntry e) {
        if (broken != null) {
            return false;
        }
        count++;
        long expected = lastSequence + 1;
        if (!chain.equals(e.chain())) {
            return fail(e, "entry " + e.sequence() + " belongs to chain '" + e.chain() + "', not '" + chain + "'");
        }
        if (e.sequence() <= lastSequence) {
            return fail(e, "entry " + e.sequence() + " comes after entry " + lastSequence
                    + ": a duplicated or out-of-place sequence number (an entry inserted or moved)");
        }
        if (!Objects.equals(AuditChain.hashOf(e), e.hash())) {
            return fail(e, "entry " + e.sequence() + " was altered: its content no longer gives its stored hash");
        }
        if (e.sequence() > expected) {
            broken = new Verification(false, count, expected, "entr" + (e.sequence() - expected == 1
                    ? "y " + expected + " is" : "ies " + expected + " to " + (e.sequence() - 1) + " are")
                    + " missing before entry " + e.sequence() + " (deleted or moved)");
            return false;
        }
        if (!Objects.equals(lastHash, e.prevHash())) {
            return fail(e, "entry " + e.sequence() + " does not follow entry " + lastSequence
                    + " (its prev_hash is not that entry's hash): entries were inserted, deleted or reordered "
                    + "and re-hashed");
        }
        Pinned pin = pinned.get(e.sequence());
        if (pin != null && !pin.hash().equals(e.hash())) {
            return fail(e, "entry " + e.sequence() + " is not the entry checkpoint " + pin.checkpoint()
                    + " recorded: the chain was rewritten (re-hashed) somewhere in entries " + (lastPinned + 1)
                    + " to " + e.sequence());
        }
        if (pin != null) {
            lastPinned = e.sequence();
        }
        lastSequence = e.sequence();
        lastHash = e.hash();
        return true;
    }

    /**
     * Called after the last entry: a checkpoint that recorded entries beyond it means the chain's tail
     * was cut.
     */
    public void finish() {
        if (broken != null || pinned.isEmpty() || pinned.lastKey() <= lastSequence) {
            return;
        }
        Map.Entry<Long, Pinned> beyond = pinned.higherEntry(lastSequence);
        long from = lastSequence + 1;
        broken = new Verification(false, count, from, "entries " + from + " to " + pinned.lastKey()
                + " are missing: checkpoint " + beyond.getValue().checkpoint() + " recorded entry "
                + beyond.getKey() + ", the chain now ends at " + lastSequence + " (its tail was cut)");
    }

    private boolean fail(AuditEntry e, String reason) {
        broken = new Verification(false, count, e.sequence(), reason);
        return false;
    }

    /** The outcome so far; for the whole chain once every entry was accepted and {@link #finish} called. */
    public Verification result() {
        return broken != null ? broken : new Verification(true, count, null, null);
    }

    /** The hash of the last good entry: the chain's head, for checkpoints. */
    public String head() {
        return lastHash;
    }
}
