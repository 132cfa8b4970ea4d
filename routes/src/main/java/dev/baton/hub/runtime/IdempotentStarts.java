package dev.baton.hub.runtime;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.persistence.DurableCommits;
import dev.baton.hub.persistence.StartKeyRepository;
import dev.baton.hub.persistence.Transactions;

/**
 * Starts named by the caller's {@code Idempotency-Key}, one per definition and key: the first request with a
 * key starts an instance, and the key is stored in that start's transaction; the same request again (a retry
 * after a lost answer, a reset connection, a 503) gets the first answer and starts nothing. Reusing a key for
 * another business key or other variables is refused.
 */
@Service
public class IdempotentStarts {

    /** A start's answer, and whether it is the answer to an earlier request with the same key. */
    public record Outcome(InstanceService.Started started, boolean repeated) {
    }

    private final InstanceService instances;
    private final StartKeyRepository keys;
    private final Transactions tx;
    private final DurableCommits durable;
    private final ObjectMapper json;
    private final Clock clock;

    public IdempotentStarts(InstanceService instances, StartKeyRepository keys, Transactions tx,
                            DurableCommits durable, ObjectMapper json, Clock clock) {
        this.instances = instances;
        this.keys = keys;
        this.tx = tx;
        this.durable = durable;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Starts an instance of the newest version of a definition unless this key started one already.
     *
     * @throws ApiException 422 {@code BATON-API-422} when the key started one with another request; 409 while the
     *                      first request with the key is still being committed on another connection
     */
    public Outcome start(String definitionId, String key, String businessKey, Map<String, Object> variables,
                         String startedBy) {
        CompiledDefinition def = instances.deployed(definitionId);
        String digest = digest(businessKey, variables);
        try {
            return new Outcome(tx.execute(status -> {
                String id = Ids.timeOrdered();
                // The key first: a retry racing its original waits here for the original's outcome.
                keys.insert(def.id(), key, digest, id, startedBy, clock.instant());
                InstanceService.Started started = instances.startInTransaction(def, id, businessKey, variables,
                        startedBy);
                keys.answer(def.id(), key, write(started));
                return started;
            }), false);
        } catch (DuplicateKeyException used) {
            StartKeyRepository.StartKey first = keys.find(def.id(), key).orElseThrow(() -> new ApiException(
                    HttpStatus.CONFLICT, HubCodes.CONFLICT, "A start with Idempotency-Key '" + key + "' is still in"
                    + " progress; retry"));
            if (!first.requestDigest().equals(digest)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, HubCodes.IDEMPOTENCY_KEY_REUSED,
                        "Idempotency-Key '" + key + "' already started instance " + first.instanceId() + " of '"
                                + def.id() + "' with another business key or variables; use a new key for a new start");
            }
            // This answer confirms the first start: like its own answer, only once that commit is durable.
            durable.await();
            return new Outcome(read(first.response()), true);
        }
    }

    /** SHA-256 of the business key and variables as canonical JSON (map keys sorted): the same request, the same digest. */
    private String digest(String businessKey, Map<String, Object> variables) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("businessKey", businessKey);
        request.put("variables", variables);
        try {
            byte[] canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(InstanceService.Started started) {
        try {
            return json.writeValueAsString(started);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private InstanceService.Started read(String response) {
        try {
            return json.readValue(response, InstanceService.Started.class);
        } catch (IOException e) {
            throw new IllegalStateException("The stored answer of a start cannot be read: " + response, e);
        }
    }
}
