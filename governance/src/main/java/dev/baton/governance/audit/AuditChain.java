package dev.baton.governance.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How entries are sealed into a hash chain: {@code hash = SHA-256(prevHash ‖ canonical entry)}.
 *
 * <p>The canonical form is unambiguous by construction, not by escaping: every field is written as its
 * length (4 bytes, big-endian; -1 for null) followed by its UTF-8 bytes, in a fixed order, the chain
 * and sequence included. So no two different entries share a canonical form, and moving an entry to
 * another position or chain changes its hash. The JDK's SHA-256 is used; nothing here is home-made
 * cryptography.
 */
public final class AuditChain {

    /** The {@code prevHash} of a chain's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();

    /**
     * What an entry says, before it is placed in a chain.
     *
     * @see AuditEntry for the fields
     */
    public record Draft(Instant time, String instanceId, String definition, Integer version, String step,
                        String eventType, int eventCode, String actor, String traceId, String spanId,
                        String payloadDigest, String summary) {
    }

    private AuditChain() {
    }

    /** Places a draft at {@code sequence} of {@code chain}, after the entry whose hash is {@code prevHash}. */
    public static AuditEntry seal(String chain, long sequence, String prevHash, Draft d) {
        AuditEntry unsealed = new AuditEntry(chain, sequence, d.time(), d.instanceId(), d.definition(), d.version(),
                d.step(), d.eventType(), d.eventCode(), d.actor(), d.traceId(), d.spanId(), d.payloadDigest(),
                d.summary(), prevHash, null);
        return new AuditEntry(chain, sequence, d.time(), d.instanceId(), d.definition(), d.version(), d.step(),
                d.eventType(), d.eventCode(), d.actor(), d.traceId(), d.spanId(), d.payloadDigest(), d.summary(),
                prevHash, hashOf(unsealed));
    }

    /** The hash an entry's content and {@code prevHash} give; equal to its stored hash unless it was altered. */
    public static String hashOf(AuditEntry e) {
        MessageDigest sha = sha256();
        sha.update(field(e.prevHash()));
        sha.update(canonical(e));
        return HEX.formatHex(sha.digest());
    }

    /** SHA-256 of a payload, hex: what an entry keeps instead of the payload. */
    public static String digest(byte[] payload) {
        return HEX.formatHex(sha256().digest(payload));
    }

    static byte[] canonical(AuditEntry e) {
        Object[] fields = {e.chain(), e.sequence(), e.time() == null ? null : e.time().toString(), e.instanceId(),
                e.definition(), e.version(), e.step(), e.eventType(), e.eventCode(), e.actor(), e.traceId(),
                e.spanId(), e.payloadDigest(), e.summary()};
        byte[][] encoded = new byte[fields.length][];
        int size = 0;
        for (int i = 0; i < fields.length; i++) {
            encoded[i] = field(fields[i] == null ? null : String.valueOf(fields[i]));
            size += encoded[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] f : encoded) {
            out.put(f);
        }
        return out.array();
    }

    static byte[] field(String value) {
        if (value == null) {
            return ByteBuffer.allocate(4).putInt(-1).array();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
