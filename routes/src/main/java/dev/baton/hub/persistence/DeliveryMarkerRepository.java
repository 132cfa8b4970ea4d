package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Markers of the redelivered commands a hub is processing ({@code baton_delivery_marker}): a marker
 * that outlives the run of the node that wrote it says the hub stopped while processing the command.
 */
@Repository
public class DeliveryMarkerRepository {

    /**
     * A marker.
     *
     * @param interrupted marked deliveries of the command that began and did not end, this one included
     * @param nodeRun     the run of the hub that wrote it last
     */
    public record Marker(int interrupted, String nodeRun) {
    }

    private final JdbcTemplate jdbc;

    public DeliveryMarkerRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The command's marker, locked until the transaction ends. */
    public Optional<Marker> lock(String instanceId, String token, int attempt, int intent) {
        List<Marker> rows = jdbc.query("SELECT interrupted, node_run FROM baton_delivery_marker"
                        + " WHERE instance_id = ? AND token = ? AND attempt = ? AND intent = ? FOR UPDATE",
                (rs, i) -> new Marker(rs.getInt(1), rs.getString(2)), instanceId, token, attempt, intent);
        return rows.stream().findFirst();
    }

    /** The command's marker, read without a lock. */
    public Optional<Marker> find(String instanceId, String token, int attempt, int intent) {
        List<Marker> rows = jdbc.query("SELECT interrupted, node_run FROM baton_delivery_marker"
                        + " WHERE instance_id = ? AND token = ? AND attempt = ? AND intent = ?",
                (rs, i) -> new Marker(rs.getInt(1), rs.getString(2)), instanceId, token, attempt, intent);
        return rows.stream().findFirst();
    }

    /** Whether any marker exists. */
    public boolean any() {
        return !jdbc.queryForList("SELECT instance_id FROM baton_delivery_marker FETCH FIRST 1 ROWS ONLY",
                String.class).isEmpty();
    }

    /** Every marker of these instances: key ({@code instance|token|attempt|intent}) → the run that wrote it. */
    public Map<String, String> ofInstances(Collection<String> instanceIds) {
        Map<String, String> byKey = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return byKey;
        }
        String in = String.join(",", Collections.nCopies(instanceIds.size(), "?"));
        jdbc.query("SELECT instance_id, token, attempt, intent, node_run FROM baton_delivery_marker"
                + " WHERE instance_id IN (" + in + ")", rs -> {
                    byKey.put(key(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)), rs.getString(5));
                }, instanceIds.toArray());
        return byKey;
    }

    /** The key {@link #ofInstances} uses. */
    public static String key(String instanceId, String token, int attempt, int intent) {
        return instanceId + "|" + token + "|" + attempt + "|" + intent;
    }

    public void insert(String instanceId, String token, int attempt, int intent, String queue, String nodeRun,
                       Instant now) {
        jdbc.update("INSERT INTO baton_delivery_marker (instance_id, token, attempt, intent, queue, interrupted,"
                + " node_run, started_at) VALUES (?,?,?,?,?,1,?,?)", instanceId, token, attempt, intent, queue,
                nodeRun, Jdbc.ts(now));
    }

    public void update(String instanceId, String token, int attempt, int intent, int interrupted, String nodeRun,
                       Instant now) {
        jdbc.update("UPDATE baton_delivery_marker SET interrupted = ?, node_run = ?, started_at = ?"
                + " WHERE instance_id = ? AND token = ? AND attempt = ? AND intent = ?", interrupted, nodeRun,
                Jdbc.ts(now), instanceId, token, attempt, intent);
    }

    public void delete(String instanceId, String token, int attempt, int intent) {
        jdbc.update("DELETE FROM baton_delivery_marker WHERE instance_id = ? AND token = ? AND attempt = ?"
                + " AND intent = ?", instanceId, token, attempt, intent);
    }
}
