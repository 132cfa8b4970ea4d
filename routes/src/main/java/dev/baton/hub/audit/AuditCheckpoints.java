package dev.baton.hub.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.Checkpoint;
import dev.baton.governance.audit.Checkpoints;
import dev.baton.hub.config.HubProperties;

/**
 * Periodic signed checkpoints of every chain's head. Each is stored in the database and appended to
 * {@code <data dir>/audit/checkpoints.jsonl}, a copy outside the database; the node's Ed25519 key lives
 * beside it ({@code checkpoint-key}, owner-only) and its public key is published in
 * {@code baton_audit_key} and by {@code GET /api/audit/checkpoints}.
 */
@Component
public class AuditCheckpoints implements SchedulingConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
    private static final String ALGORITHM = "Ed25519";

    private final AuditRepository entries;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final AuditProperties properties;
    private final Path folder;
    private final KeyPair key;
    private final String keyId;

    public AuditCheckpoints(AuditRepository entries, JdbcTemplate jdbc, ObjectMapper json, Clock clock,
                            AuditProperties properties, HubProperties hub) throws IOException {
        this.entries = entries;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.folder = hub.dataDir().resolve("audit");
        this.key = loadOrCreateKey(folder);
        this.keyId = Checkpoints.keyId(key.getPublic());
        String publicKey = Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        try {
            jdbc.update("INSERT INTO baton_audit_key (key_id, public_key, created_at) SELECT ?, ?, ? FROM (VALUES (1)) v(x)"
                    + " WHERE NOT EXISTS (SELECT 1 FROM baton_audit_key WHERE key_id = ?)", keyId, publicKey,
                    OffsetDateTime.now(clock), keyId);
        } catch (DuplicateKeyException raced) {
            // another node published the same key at the same moment
        }
    }

    /** Takes a checkpoint every {@code baton.audit.checkpoint-every} (0: never), unless nothing was appended since the last. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        Duration every = properties.checkpointEvery();
        if (every.isZero() || every.isNegative()) {
            return;
        }
        registrar.addFixedDelayTask(new FixedDelayTask(this::periodically, every, every));
    }

    void periodically() {
        try {
            take();
        } catch (RuntimeException e) {
            LOG.warn("BATON-AUDIT-002 no audit checkpoint this time: {}", e.toString());
        }
    }

    /**
     * Signs the current heads into a new checkpoint, or returns the latest when no chain moved since.
     */
    public synchronized Checkpoint take() {
        List<Checkpoint.Head> heads = entries.heads().stream()
                .map(h -> new Checkpoint.Head(h.chain(), h.sequence(), h.hash())).toList();
        Optional<Checkpoint> last = latest();
        if (last.isPresent() && last.get().heads().equals(heads)) {
            return last.get();
        }
        long sequence = last.map(c -> c.sequence() + 1).orElse(1L);
        Checkpoint c = Checkpoints.seal(sequence, clock.instant().truncatedTo(ChronoUnit.MICROS), heads,
                last.map(Checkpoint::hash).orElse(AuditChain.GENESIS), key);
        try {
            jdbc.update("INSERT INTO baton_audit_checkpoint (seq, at, heads, prev_hash, hash, key_id, signature)"
                            + " VALUES (?,?,?,?,?,?,?)", c.sequence(), OffsetDateTime.ofInstant(c.time(), ZoneOffset.UTC),
                    write(c.heads()), c.prevHash(), c.hash(), c.keyId(), c.signature());
        } catch (DuplicateKeyException raced) {
            return latest().orElseThrow(); // another node took this one
        }
        try (Writer out = Files.newBufferedWriter(folder.resolve("checkpoints.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(json.writeValueAsString(c));
            out.write('\n');
        } catch (IOException e) {
            LOG.warn("BATON-AUDIT-003 checkpoint {} is stored but could not be copied to {}: {}", c.sequence(),
                    folder.resolve("checkpoints.jsonl"), e.toString());
        }
        LOG.info("Audit checkpoint {}: {} entries in {} chains", c.sequence(), c.entries(), c.heads().size());
        return c;
    }

    /** Every checkpoint, oldest first. */
    public List<Checkpoint> all() {
        return jdbc.query("SELECT seq, at, heads, prev_hash, hash, key_id, signature FROM baton_audit_checkpoint"
                + " ORDER BY seq", (rs, i) -> new Checkpoint(rs.getLong(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(), read(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7)));
    }

    public Optional<Checkpoint> latest() {
        List<Checkpoint> all = jdbc.query("SELECT seq, at, heads, prev_hash, hash, key_id, signature"
                + " FROM baton_audit_checkpoint ORDER BY seq DESC LIMIT 1", (rs, i) -> new Checkpoint(rs.getLong(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(), read(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7)));
        return all.stream().findFirst();
    }

    /** The public keys checkpoints were signed with, by key id (X.509, Base64). */
    public Map<String, String> publicKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        jdbc.query("SELECT key_id, public_key FROM baton_audit_key ORDER BY created_at", rs -> {
            keys.put(rs.getString(1), rs.getString(2));
        });
        return keys;
    }

    /** A published key, or empty when the id is unknown or the key unreadable. */
    public static Optional<PublicKey> decode(String base64) {
        try {
            return Optional.of(KeyFactory.getInstance(ALGORITHM).generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(base64))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String write(List<Checkpoint.Head> heads) {
        try {
            return json.writeValueAsString(heads);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Checkpoint.Head> read(String heads) {
        try {
            return json.readValue(heads, new TypeReference<List<Checkpoint.Head>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A checkpoint's heads are not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static KeyPair loadOrCreateKey(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path privateFile = folder.resolve("checkpoint-key");
        Path publicFile = folder.resolve("checkpoint-key.pub");
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                return new KeyPair(
                        factory.generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(
                                Files.readString(publicFile).strip()))),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(
                                Files.readString(privateFile).strip()))));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The audit checkpoint key in " + folder + " is not readable: " + e, e);
        }
        KeyPair pair = Checkpoints.newKeyPair();
        Path tmp = folder.resolve("checkpoint-key.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
        Files.writeString(publicFile, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n");
        Files.move(tmp, privateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return pair;
    }
}
