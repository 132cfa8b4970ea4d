package dev.baton.hub.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The stored texts of an instance that can hold personal data besides its variables (task variables,
 * incidents' commands and errors, the step history's errors, waits' correlation keys), read and
 * rewritten for retention and erasure; and the purge mark.
 */
@Repository
public class PersonalDataRepository {

    /** A task's submitted variables. */
    public record TaskVariables(String id, String variables) {
    }

    /** What an incident keeps: the error and the failed command (with its payload). */
    public record IncidentTexts(String id, String message, String details, String command) {
    }

    /** The error of one line of step history. */
    public record HandoffError(long seq, String error) {
    }

    /** A wait's correlation key. */
    public record Subscription(String token, String correlationKey) {
    }

    private final JdbcTemplate jdbc;

    public PersonalDataRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Ended instances not purged yet, ended before the cutoff, oldest first. */
    public List<String> endedBefore(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT id FROM baton_instance WHERE purged_at IS NULL AND ended_at < ?"
                + " ORDER BY ended_at, id LIMIT " + limit, String.class, Jdbc.ts(cutoff));
    }

    /** Every instance of a business key, in start order. */
    public List<String> withBusinessKey(String businessKey) {
        return jdbc.queryForList("SELECT id FROM baton_instance WHERE business_key = ? ORDER BY started_at, id",
                String.class, businessKey);
    }

    public Optional<Instant> purgedAt(String instanceId) {
        return jdbc.query("SELECT purged_at FROM baton_instance WHERE id = ?",
                (rs, i) -> Optional.ofNullable(Jdbc.instant(rs, "purged_at")), instanceId).stream().findFirst()
                .flatMap(o -> o);
    }

    public void markPurged(String instanceId, Instant now) {
        jdbc.update("UPDATE baton_instance SET purged_at = ? WHERE id = ?", Jdbc.ts(now), instanceId);
    }

    /** Forgets the business key of an instance (when the key itself is personal). */
    public void clearBusinessKey(String instanceId) {
        jdbc.update("UPDATE baton_instance SET business_key = NULL WHERE id = ?", instanceId);
    }

    public List<TaskVariables> taskVariables(String instanceId) {
        return jdbc.query("SELECT id, variables FROM baton_task WHERE instance_id = ? AND variables IS NOT NULL",
                (rs, i) -> new TaskVariables(rs.getString(1), rs.getString(2)), instanceId);
    }

    public void updateTaskVariables(String taskId, String variables) {
        jdbc.update("UPDATE baton_task SET variables = ? WHERE id = ?", variables, taskId);
    }

    public List<IncidentTexts> incidents(String instanceId) {
        return jdbc.query("SELECT id, message, details, command FROM baton_incident WHERE instance_id = ?",
                (rs, i) -> new IncidentTexts(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                instanceId);
    }

    public void updateIncident(IncidentTexts texts) {
        jdbc.update("UPDATE baton_incident SET message = ?, details = ?, command = ? WHERE id = ?", texts.message(),
                texts.details(), texts.command(), texts.id());
    }

    public List<HandoffError> handoffErrors(String instanceId) {
        return jdbc.query("SELECT seq, error FROM baton_handoff WHERE instance_id = ? AND error IS NOT NULL",
                (rs, i) -> new HandoffError(rs.getLong(1), rs.getString(2)), instanceId);
    }

    public void updateHandoffError(long seq, String error) {
        jdbc.update("UPDATE baton_handoff SET error = ? WHERE seq = ?", error, seq);
    }

    public List<Subscription> subscriptions(String instanceId) {
        return jdbc.query("SELECT token, correlation_key FROM baton_subscription WHERE instance_id = ?"
                + " AND correlation_key IS NOT NULL", (rs, i) -> new Subscription(rs.getString(1), rs.getString(2)),
                instanceId);
    }

    /** Forgets a wait's correlation key: no message can resume it any more, its timeout or a cancel can. */
    public void clearCorrelationKey(String instanceId, String token) {
        jdbc.update("UPDATE baton_subscription SET correlation_key = NULL WHERE instance_id = ? AND token = ?",
                instanceId, token);
    }
}
