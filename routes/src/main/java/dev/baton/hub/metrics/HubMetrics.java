package dev.baton.hub.metrics;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hub's metrics through Micrometer, scraped at {@code /actuator/prometheus}: instances started,
 * completed, cancelled and failed per process, their cycle time, each step's duration, how long human
 * tasks wait, open incidents. Recorded after the transaction that made them true has committed. (Queue
 * depth is read from the broker at scrape time: {@link QueueDepthMetrics}.)
 */
@Component
public class HubMetrics {

    private static final String PROCESS = "process";

    private final MeterRegistry registry;

    public HubMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        Gauge.builder("baton.incidents.open", () -> count(jdbc))
                .description("Incidents waiting for an operator").register(registry);
    }

    private static long count(JdbcTemplate jdbc) {
        try {
            Long n = jdbc.queryForObject("SELECT COUNT(*) FROM baton_incident WHERE status = 'OPEN'", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return -1; // the database is away; the scrape must still answer
        }
    }

    public void started(String process) {
        counter("baton.instances.started", "Instances started", process).increment();
    }

    /** An instance reached COMPLETED or CANCELLED. */
    public void ended(String process, String status, Instant startedAt, Instant endedAt) {
        if ("COMPLETED".equals(status)) {
            counter("baton.instances.completed", "Instances completed", process).increment();
            if (startedAt != null && endedAt != null) {
                Timer.builder("baton.instance.cycle.time").description("From start to completion")
                        .tag(PROCESS, process).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofDays(30))
                        .register(registry).record(Duration.between(startedAt, endedAt));
            }
        } else {
            counter("baton.instances.cancelled", "Instances cancelled", process).increment();
        }
    }

    /** An instance went into FAILED: a step's incident waits for an operator. */
    public void failed(String process) {
        counter("baton.instances.failed", "Instances that went into FAILED (an incident)", process).increment();
    }

    /** How long a command waited in its queue once due. */
    public void handoffLatency(String queue, Duration waited) {
        Timer.builder("baton.handoff.latency").description("A command's wait in its step queue, due to picked up")
                .tag("queue", queue).register(registry).record(waited);
    }

    /** A completed instance against its process's SLA (the definition's {@code sla}), when it has one. */
    public void sla(String process, boolean met) {
        Counter.builder("baton.instances.sla").description("Completed instances of processes with an SLA, by outcome")
                .tag(PROCESS, process).tag("met", Boolean.toString(met)).register(registry).increment();
    }

    /** A step's work, from its command being picked up to its transition's commit. */
    public void step(String process, String step, String status, Duration duration) {
        Timer.builder("baton.step.duration").description("A step's work, picked up to committed")
                .tag(PROCESS, process).tag("step", step).tag("status", status).register(registry).record(duration);
    }

    /** A human task completed: from its creation to its completion. */
    public void taskWait(String process, String step, Duration waited) {
        Timer.builder("baton.task.wait").description("A human task's wait, created to completed")
                .tag(PROCESS, process).tag("step", step).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(30))
                .register(registry).record(waited);
    }

    private Counter counter(String name, String description, String process) {
        return Counter.builder(name).description(description).tag(PROCESS, process).register(registry);
    }
}
