package dev.baton.hub.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.persistence.DefinitionRepository;
import dev.baton.hub.persistence.DefinitionRow;

/**
 * Key figures of a definition's instances started in a window ({@link Kpis}), from the instance, step
 * history and task tables: what the hub did, not what Prometheus sampled.
 */
@Service
public class KpiService {

    /** The window when the caller names no {@code from}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /**
     * Most durations one figure reads (completed instances, step commands, completed tasks): they are held
     * as a {@code long[]} each (8 MB at most) and sorted in Java for exact percentiles. A wider window is
     * refused with the counts, so the caller can narrow it; Prometheus' histograms cover long spans.
     */
    public static final long MAX_DURATIONS = 1_000_000;
    private static final long MICROS_PER_HOUR = 3_600_000_000L;

    private final KpiRepository kpis;
    private final DefinitionRepository definitions;
    private final Clock clock;

    public KpiService(KpiRepository kpis, DefinitionRepository definitions, Clock clock) {
        this.kpis = kpis;
        this.definitions = definitions;
        this.clock = clock;
    }

    /**
     * The KPIs of the instances of {@code definitionId} (of {@code version}, or of every version when null)
     * started at or after {@code from} and before {@code to}; {@code to} defaults to now, {@code from} to
     * {@link #DEFAULT_WINDOW} before {@code to}.
     *
     * @throws ApiException 400 when the definition or version is not deployed, when {@code from} is not
     *                      before {@code to}, or when the window holds more than {@link #MAX_DURATIONS}
     */
    public Kpis kpis(String definitionId, Integer version, Instant from, Instant to) {
        Instant now = clock.instant();
        DefinitionRow definition = definition(definitionId, version);
        Instant end = to != null ? to : now;
        Instant start = from != null ? from : end.minus(DEFAULT_WINDOW);
        if (!start.isBefore(end)) {
            throw bad("Expected from before to, but from is " + start + " and to is " + end);
        }
        long windowMicros = ChronoUnit.MICROS.between(start, end);
        KpiRepository.Cohort cohort = new KpiRepository.Cohort(definitionId, version, start, end);

        Kpis.Instances instances = kpis.instances(cohort);
        within(instances.completed(), "completed instances");
        DurationStats cycle = kpis.cycleTimes(cohort, instances.completed());

        List<KpiRepository.StepCounts> stepCounts = kpis.stepCounts(cohort);
        within(stepCounts.stream().mapToLong(KpiRepository.StepCounts::executions).sum(), "step commands");
        List<DurationStats> stepDurations = kpis.stepDurations(cohort, stepCounts);
        List<Kpis.Step> steps = new ArrayList<>(stepCounts.size());
        for (int i = 0; i < stepCounts.size(); i++) {
            KpiRepository.StepCounts s = stepCounts.get(i);
            DurationStats d = stepDurations.get(i);
            steps.add(new Kpis.Step(s.step(), s.executions(), s.failures(), s.retries(), d.meanSeconds(),
                    d.p95Seconds(), d.sumSeconds(), ratio(d.sumMicros(), windowMicros)));
        }

        List<KpiRepository.TaskCounts> taskCounts = kpis.taskCounts(cohort);
        within(taskCounts.stream().mapToLong(KpiRepository.TaskCounts::completed).sum(), "completed tasks");
        List<DurationStats> waits = kpis.taskWaits(cohort, taskCounts);
        Map<String, Map<String, Long>> completedBy = new LinkedHashMap<>();
        for (KpiRepository.CompletedBy c : kpis.completedBy(cohort)) {
            completedBy.computeIfAbsent(c.candidateRoles(), r -> new LinkedHashMap<>()).put(c.user(), c.tasks());
        }
        List<Kpis.Tasks> tasks = new ArrayList<>(taskCounts.size());
        for (int i = 0; i < taskCounts.size(); i++) {
            KpiRepository.TaskCounts t = taskCounts.get(i);
            DurationStats w = waits.get(i);
            tasks.add(new Kpis.Tasks(Arrays.asList(t.candidateRoles().split(",")), t.created(), t.completed(),
                    t.closed(), t.open(), w.meanSeconds(), w.p95Seconds(),
                    completedBy.getOrDefault(t.candidateRoles(), Map.of())));
        }

        return new Kpis(definitionId, version,
                new Kpis.Window(start, end, "started", ratio(windowMicros, MICROS_PER_HOUR)),
                now, instances,
                new Kpis.CycleTime(cycle.count(), cycle.p50Seconds(), cycle.p95Seconds(), cycle.meanSeconds(),
                        cycle.maxSeconds()),
                new Kpis.Throughput(instances.completed(),
                        ratio(instances.completed() * MICROS_PER_HOUR, windowMicros)),
                sla(cohort, definition, now), steps, tasks);
    }

    /** The SLA of the version asked for (the newest when none); null when it has none. */
    private Kpis.Sla sla(KpiRepository.Cohort cohort, DefinitionRow definition, Instant now) {
        if (definition.slaMillis() == null) {
            return null;
        }
        long[] outcome = kpis.sla(cohort, now);
        long met = outcome[0];
        long missed = outcome[1];
        return new Kpis.Sla(Duration.ofMillis(definition.slaMillis()).toString(), DurationStats.seconds(definition.slaMillis() * 1000),
                met, missed, outcome[2], met + missed == 0 ? null : ratio(met, met + missed));
    }

    private DefinitionRow definition(String id, Integer version) {
        if (id == null || id.isBlank()) {
            throw bad("Expected parameter 'definition', but it is missing");
        }
        Optional<DefinitionRow> row = version == null ? definitions.latest(id) : definitions.find(id, version);
        return row.orElseThrow(() -> bad(version == null ? "No definition '" + id + "' is deployed"
                : "Definition '" + id + "' has no version " + version));
    }

    private static void within(long rows, String what) {
        if (rows > MAX_DURATIONS) {
            throw bad("The window holds " + rows + " " + what + "; KPIs read at most " + MAX_DURATIONS
                    + " durations per figure: narrow it with from and to");
        }
    }

    /** {@code a / b} to six decimals. */
    private static BigDecimal ratio(long a, long b) {
        return BigDecimal.valueOf(a).divide(BigDecimal.valueOf(b), 6, RoundingMode.HALF_UP);
    }

    private static ApiException bad(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, message);
    }
}
