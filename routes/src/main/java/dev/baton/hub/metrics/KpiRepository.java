package dev.baton.hub.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

import dev.baton.model.engine.Intent;

/**
 * The queries behind {@code GET /api/kpis}, over one cohort: the instances of a definition (one version, or
 * all) started in {@code [from, to)}. Counts are SQL aggregates; durations are read as rows and summarised
 * in Java ({@link DurationStats}): SQL's {@code PERCENTILE_DISC} runs on both databases, but on H2 it took
 * 3.5 s per percentile over 200,000 instances, against about 1 s to read and sort them here. Every
 * statement runs the same on H2 and PostgreSQL ({@code KpisTest}, {@code KpisOnPostgresIT}).
 */
@Repository
public class KpiRepository {

    /** The statuses of step history rows that record a failed attempt. */
    private static final String FAILED_STATUSES = "('FAILED', 'INCIDENT')";
    /** Not ended, whatever holds them: a consumer, a timer, a person, an incident. */
    private static final String NOT_ENDED = "('RUNNING', 'WAITING', 'FAILED')";

    private final JdbcTemplate jdbc;

    public KpiRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The instances counted: a definition's (one version, or every one when null) started in [from, to). */
    public record Cohort(String definitionId, Integer version, Instant from, Instant to) {

        String where() {
            return " i.definition_id = ? AND i.started_at >= ? AND i.started_at < ?"
                    + (version == null ? "" : " AND i.version = ?");
        }

        List<Object> parameters(Object... more) {
            List<Object> p = new ArrayList<>(List.of(definitionId, ts(from), ts(to)));
            if (version != null) {
                p.add(version);
            }
            p.addAll(Arrays.asList(more));
            return p;
        }
    }

    public Kpis.Instances instances(Cohort c) {
        return jdbc.queryForObject("SELECT COUNT(*),"
                + " COUNT(*) FILTER (WHERE i.status = 'COMPLETED'),"
                + " COUNT(*) FILTER (WHERE i.status = 'FAILED'),"
                + " COUNT(*) FILTER (WHERE i.status = 'CANCELLED'),"
                + " COUNT(*) FILTER (WHERE i.status IN ('RUNNING', 'WAITING'))"
                + " FROM baton_instance i WHERE" + c.where(),
                (rs, n) -> new Kpis.Instances(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                c.parameters().toArray());
    }

    /** Start to end of the completed instances; {@code completed} is their count (the array's size). */
    public DurationStats cycleTimes(Cohort c, long completed) {
        long[] micros = new long[(int) completed];
        int[] n = {0};
        jdbc.query("SELECT i.started_at, i.ended_at FROM baton_instance i WHERE" + c.where()
                + " AND i.status = 'COMPLETED'", rs -> {
                    if (n[0] < micros.length) {
                        micros[n[0]++] = micros(rs, "started_at", "ended_at");
                    }
                }, c.parameters().toArray());
        return DurationStats.of(micros, n[0]);
    }

    /** Met, missed, open: see {@link Kpis.Sla}. Instances of versions without an SLA are left out. */
    public long[] sla(Cohort c, Instant now) {
        String cycleMillis = "(EXTRACT(EPOCH FROM i.ended_at) - EXTRACT(EPOCH FROM i.started_at)) * 1000";
        String ageMillis = "(? - EXTRACT(EPOCH FROM i.started_at) * 1000)";
        List<Object> p = new ArrayList<>(List.of(now.toEpochMilli(), now.toEpochMilli()));
        p.addAll(c.parameters());
        return jdbc.queryForObject("SELECT"
                + " COUNT(*) FILTER (WHERE i.status = 'COMPLETED' AND " + cycleMillis + " <= d.sla_ms),"
                + " COUNT(*) FILTER (WHERE (i.status = 'COMPLETED' AND " + cycleMillis + " > d.sla_ms)"
                + "   OR (i.status IN " + NOT_ENDED + " AND " + ageMillis + " > d.sla_ms)),"
                + " COUNT(*) FILTER (WHERE i.status IN " + NOT_ENDED + " AND " + ageMillis + " <= d.sla_ms)"
                + " FROM baton_instance i JOIN baton_definition d ON d.id = i.definition_id AND d.version = i.version"
                + " WHERE d.sla_ms IS NOT NULL AND" + c.where(),
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, p.toArray());
    }

    /** Per step, its work commands' counts, in step order. */
    public record StepCounts(String step, long executions, long failures, long retries) {
    }

    private static final String WORK = " FROM baton_instance i JOIN baton_handoff h ON h.instance_id = i.id"
            + " WHERE h.command IN (" + Intent.EXECUTE_STEP.code() + ", " + Intent.RETRY_STEP.code() + ")"
            + " AND h.step IS NOT NULL AND";

    public List<StepCounts> stepCounts(Cohort c) {
        return jdbc.query("SELECT h.step, COUNT(*),"
                + " COUNT(*) FILTER (WHERE h.status IN " + FAILED_STATUSES + "),"
                + " COUNT(*) FILTER (WHERE h.command = " + Intent.RETRY_STEP.code() + ")"
                + WORK + c.where() + " GROUP BY h.step ORDER BY h.step",
                (rs, n) -> new StepCounts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                c.parameters().toArray());
    }

    /** The durations of the steps' work commands, picked up to committed, per step of {@code counts}. */
    public List<DurationStats> stepDurations(Cohort c, List<StepCounts> counts) {
        Series series = new Series(counts.stream().map(StepCounts::step).toList(),
                counts.stream().mapToLong(StepCounts::executions).toArray());
        jdbc.query("SELECT h.step, h.started_at, h.ended_at" + WORK + c.where(),
                (RowCallbackHandler) rs -> series.add(rs.getString(1), micros(rs, "started_at", "ended_at")), c.parameters().toArray());
        return series.stats();
    }

    /** Per set of candidate roles (as stored: comma-separated), its tasks' counts, in that order. */
    public record TaskCounts(String candidateRoles, long created, long completed, long closed, long open) {
    }

    private static final String TASKS = " FROM baton_instance i JOIN baton_task t ON t.instance_id = i.id WHERE";

    public List<TaskCounts> taskCounts(Cohort c) {
        return jdbc.query("SELECT t.candidate_roles, COUNT(*),"
                + " COUNT(*) FILTER (WHERE t.status = 'COMPLETED'),"
                + " COUNT(*) FILTER (WHERE t.status = 'CLOSED'),"
                + " COUNT(*) FILTER (WHERE t.status = 'OPEN')"
                + TASKS + c.where() + " GROUP BY t.candidate_roles ORDER BY t.candidate_roles",
                (rs, n) -> new TaskCounts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                c.parameters().toArray());
    }

    /** Who completed how many tasks, per set of candidate roles: (roles, user, count) in that order. */
    public record CompletedBy(String candidateRoles, String user, long tasks) {
    }

    public List<CompletedBy> completedBy(Cohort c) {
        return jdbc.query("SELECT t.candidate_roles, t.completed_by, COUNT(*)" + TASKS + c.where()
                + " AND t.status = 'COMPLETED' AND t.completed_by IS NOT NULL"
                + " GROUP BY t.candidate_roles, t.completed_by ORDER BY t.candidate_roles, t.completed_by",
                (rs, n) -> new CompletedBy(rs.getString(1), rs.getString(2), rs.getLong(3)),
                c.parameters().toArray());
    }

    /** Created to completed, of the completed tasks, per set of candidate roles of {@code counts}. */
    public List<DurationStats> taskWaits(Cohort c, List<TaskCounts> counts) {
        Series series = new Series(counts.stream().map(TaskCounts::candidateRoles).toList(),
                counts.stream().mapToLong(TaskCounts::completed).toArray());
        jdbc.query("SELECT t.candidate_roles, t.created_at, t.ended_at" + TASKS + c.where()
                + " AND t.status = 'COMPLETED'",
                (RowCallbackHandler) rs -> series.add(rs.getString(1), micros(rs, "created_at", "ended_at")), c.parameters().toArray());
        return series.stats();
    }

    /**
     * Durations by key, each into an array sized by its count from the aggregate query; rows beyond it
     * (written between the two queries) are left out, so both answers describe the same rows as far as
     * they can.
     */
    private static final class Series {
        private final Map<String, Integer> index = new HashMap<>();
        private final long[][] values;
        private final int[] sizes;

        Series(List<String> keys, long[] counts) {
            this.values = new long[keys.size()][];
            this.sizes = new int[keys.size()];
            for (int i = 0; i < counts.length; i++) {
                index.put(keys.get(i), i);
                values[i] = new long[(int) counts[i]];
            }
        }

        void add(String key, long micros) {
            Integer i = index.get(key);
            if (i != null && sizes[i] < values[i].length) {
                values[i][sizes[i]++] = micros;
            }
        }

        List<DurationStats> stats() {
            List<DurationStats> stats = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                stats.add(DurationStats.of(values[i], sizes[i]));
            }
            return stats;
        }
    }

    private static long micros(ResultSet rs, String from, String to) throws SQLException {
        return ChronoUnit.MICROS.between(rs.getObject(from, OffsetDateTime.class), rs.getObject(to, OffsetDateTime.class));
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
