package dev.baton.hub.metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/kpis}: key figures of the instances of one definition started in a window.
 * Durations are seconds with three decimals (milliseconds), ratios and rates have six; a figure over
 * nothing (no completed instance) is null. Percentiles are nearest-rank: the value at rank ⌈p·n⌉ of the
 * n ordered durations.
 *
 * @param definition the definition asked about
 * @param version    its version, or null for every version
 * @param window     which instances count
 * @param asOf       when this was computed: statuses, open tasks and overdue instances are as of then
 * @param instances  the instances started in the window, by status now
 * @param cycleTime  start to completion of those that completed
 * @param throughput those that completed, per hour of the window
 * @param sla        against the definition's {@code sla}; null when it has none
 * @param steps      per step, the work of their step commands
 * @param tasks      per group of candidate roles, their human tasks
 */
public record Kpis(String definition, Integer version, Window window, Instant asOf, Instances instances,
                   CycleTime cycleTime, Throughput throughput, Sla sla, List<Step> steps, List<Tasks> tasks) {

    /** Instances started at or after {@code from} and before {@code to}; {@code basis} is always "started". */
    public record Window(Instant from, Instant to, String basis, BigDecimal hours) {
    }

    /** {@code running} counts RUNNING and WAITING: neither ended nor held by an incident. */
    public record Instances(long started, long completed, long failed, long cancelled, long running) {
    }

    public record CycleTime(long completed, BigDecimal p50Seconds, BigDecimal p95Seconds, BigDecimal meanSeconds,
                            BigDecimal maxSeconds) {
    }

    public record Throughput(long completed, BigDecimal perHour) {
    }

    /**
     * Each instance against its own version's SLA. {@code met}: completed within it; {@code missed}: completed
     * after it, or not ended (running, waiting, failed) and already past it; {@code open}: not ended and not
     * past it yet. {@code compliance} = met / (met + missed), null when both are 0. Cancelled instances are
     * in none of them.
     */
    public record Sla(String target, BigDecimal targetSeconds, long met, long missed, long open, BigDecimal compliance) {
    }

    /**
     * The step's work commands (first attempts and retries): {@code failures} ended FAILED (retried
     * later) or INCIDENT; {@code busySeconds} is the sum of their durations (picked up to committed);
     * {@code utilisation} = busySeconds / the window's seconds: the mean number of its commands in work
     * at once (above 1 when several consumers work it in parallel).
     */
    public record Step(String step, long executions, long failures, long retries, BigDecimal meanSeconds,
                       BigDecimal p95Seconds, BigDecimal busySeconds, BigDecimal utilisation) {
    }

    /** Human tasks of one set of candidate roles; waits (created to completed) of the completed ones. */
    public record Tasks(List<String> candidateRoles, long created, long completed, long closed, long open,
                        BigDecimal meanWaitSeconds, BigDecimal p95WaitSeconds, Map<String, Long> completedBy) {
    }
}
