package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code Idempotency-Key}s of instance starts, one per definition and key, with the first answer. */
@Repository
public class StartKeyRepository {

    /** A key as stored: the digest of the request that first used it, and the answer it got. */
    public record StartKey(String requestDigest, String instanceId, String response) {
    }

    private final JdbcTemplate jdbc;

    public StartKeyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a key for a start, with a placeholder answer; a concurrent claim of the same key waits for this
     * transaction's end.
     *
     * @throws org.springframework.dao.DuplicateKeyException when the key started an instance of the definition
     */
    public void insert(String definitionId, String key, String requestDigest, String instanceId, String startedBy,
                       Instant now) {
        jdbc.update("INSERT INTO baton_start_key (definition_id, idempotency_key, request_digest, instance_id,"
                        + " started_by, created_at, response) VALUES (?,?,?,?,?,?,?)", definitionId, key, requestDigest,
                instanceId, startedBy, Jdbc.ts(now), "{}");
    }

    public void answer(String definitionId, String key, String response) {
        jdbc.update("UPDATE baton_start_key SET response = ? WHERE definition_id = ? AND idempotency_key = ?",
                response, definitionId, key);
    }

    public Optional<StartKey> find(String definitionId, String key) {
        return jdbc.query("SELECT request_digest, instance_id, response FROM baton_start_key"
                        + " WHERE definition_id = ? AND idempotency_key = ?",
                (rs, i) -> new StartKey(rs.getString(1), rs.getString(2), rs.getString(3)), definitionId, key)
                .stream().findFirst();
    }
}
