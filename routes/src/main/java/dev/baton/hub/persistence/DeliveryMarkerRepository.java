package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.List;
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
