package dev.baton.governance.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Seals and checks {@link Checkpoint}s: hashed like entries (length-prefixed canonical fields) and signed
 * with Ed25519 from the JDK. The private key stays with the hub; the public key is exported with the
 * checkpoints, so anyone can check them without trusting the database they came from.
 */
public final class Checkpoints {

    private static final String ALGORITHM = "Ed25519";
    private static final HexFormat HEX = HexFormat.of();

    private Checkpoints() {
    }

    /** A new signing key pair. */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no " + ALGORITHM, e);
        }
    }

    /** A short, stable name of a public key: the first 16 hex digits of SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        return AuditChain.digest(key.getEncoded()).substring(0, 16);
    }

    /** Seals the heads taken at {@code time} as checkpoint {@code sequence}, after the one whose hash is {@code prevHash}. */
    public static Checkpoint seal(long sequence, Instant time, List<Checkpoint.Head> heads, String prevHash,
                                  KeyPair key) {
        String hash = hashOf(sequence, time, heads, prevHash);
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key.getPrivate());
            signer.update(hash.getBytes(StandardCharsets.US_ASCII));
            return new Checkpoint(sequence, time, List.copyOf(heads), prevHash, hash, keyId(key.getPublic()),
                    Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign checkpoint " + sequence, e);
        }
    }

    /** The hash a checkpoint's content gives; equal to its stored hash unless it was altered. */
    public static String hashOf(Checkpoint c) {
        return hashOf(c.sequence(), c.time(), c.heads(), c.prevHash());
    }

    /** Whether {@code key} signed this checkpoint's hash. */
    public static boolean signedBy(Checkpoint c, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(c.hash().getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(Base64.getDecoder().decode(c.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String hashOf(long sequence, Instant time, List<Checkpoint.Head> heads, String prevHash) {
        ByteArrayOutputStream canonical = new ByteArrayOutputStream();
        canonical.writeBytes(AuditChain.field(prevHash));
        canonical.writeBytes(AuditChain.field(Long.toString(sequence)));
        canonical.writeBytes(AuditChain.field(time.toString()));
        canonical.writeBytes(AuditChain.field(Integer.toString(heads.size())));
        for (Checkpoint.Head h : heads) {
            canonical.writeBytes(AuditChain.field(h.chain()));
            canonical.writeBytes(AuditChain.field(Long.toString(h.sequence())));
            canonical.writeBytes(AuditChain.field(h.hash()));
        }
        MessageDigest sha = AuditChain.sha256();
        return HEX.formatHex(sha.digest(canonical.toByteArray()));
    }
}
