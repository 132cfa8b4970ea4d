package dev.baton.hub.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.AuditEntry;
import dev.baton.hub.BatonApplication;
import dev.baton.hub.audit.AuditRepository;
import dev.baton.hub.audit.AuditVerifier;
import dev.baton.model.engine.Intent;

/**
 * How long {@code GET /api/audit/verify}'s work takes over a large trail: fills the audit table of a
 * fresh hub with {@code --entries} sealed entries (default 1,000,000) spread over its chains, shaped
 * like the entries order-to-cash writes, then verifies the whole trail {@code --rounds} times (default
 * 3) and prints the median.
 *
 * <pre>
 * java -cp routes/target/baton.jar -Dloader.main=dev.baton.hub.bench.AuditBenchmark \
 *      org.springframework.boot.loader.launch.PropertiesLauncher --entries=1000000 [--jdbc=jdbc:postgresql://...]
 * </pre>
 */
public final class AuditBenchmark {

    private static final int BATCH = 5000;

    private AuditBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Benchmark.parse(argv);
        int entries = Integer.parseInt(args.getOrDefault("entries", "1000000"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
        int chains = Integer.parseInt(args.getOrDefault("chains", "4"));
        String jdbc = args.get("jdbc");
        Path data = Files.createTempDirectory("baton-audit-bench-");
        List<String> properties = new ArrayList<>(List.of("baton.data-dir=" + data, "baton.deploy.examples=",
                "baton.broker.acceptor=", "server.port=0", "baton.sandboxes.enabled=false",
                "baton.audit.chains=" + chains, "baton.audit.checkpoint-every=0s",
                "logging.level.root=WARN", "logging.level.dev.baton=WARN"));
        String database = "h2";
        String schema = "baton_audit_bench_" + System.currentTimeMillis();
        if (jdbc != null) {
            properties.addAll(Benchmark.createSchema(args, jdbc, schema));
            database = "postgresql";
        }
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(BatonApplication.class)
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
        try {
            AuditRepository repository = hub.getBean(AuditRepository.class);
            AuditVerifier verifier = hub.getBean(AuditVerifier.class);
            TransactionTemplate tx = hub.getBean(TransactionTemplate.class);
            System.out.printf(Locale.ROOT, "# baton audit benchmark cpus=%d max_heap_mb=%d db=%s entries=%d chains=%d%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, database,
                    entries, chains);
            long t0 = System.nanoTime();
            fill(repository, tx, entries, chains);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "# filled %d entries in %.1f s%n", repository.count(), fillSeconds);
            double[] seconds = new double[rounds];
            long checked = 0;
            for (int r = 0; r < rounds; r++) {
                long s = System.nanoTime();
                AuditVerifier.Report report = verifier.verify();
                seconds[r] = (System.nanoTime() - s) / 1e9;
                checked = report.entries();
                if (!report.valid()) {
                    throw new IllegalStateException("The generated trail does not verify: " + report.reason());
                }
                System.out.printf(Locale.ROOT, "# round %d: %d entries valid in %.2f s%n", r + 1, checked, seconds[r]);
            }
            long r0 = System.nanoTime();
            long[] read = new long[1];
            for (String chain : repository.chains()) {
                tx.executeWithoutResult(st -> repository.stream(chain, e -> ++read[0] > 0));
            }
            System.out.printf(Locale.ROOT, "# reading alone (one thread, no hashing): %d entries in %.2f s%n", read[0],
                    (System.nanoTime() - r0) / 1e9);
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            double median = sorted[rounds / 2];
            System.out.printf(Locale.ROOT, "RESULT engine=baton workload=audit-verify entries=%d chains=%d rounds=%d"
                            + " median_s=%.2f min_s=%.2f entries_per_s=%.0f db=%s%n", checked, chains, rounds, median,
                    sorted[0], checked / median, database);
        } finally {
            hub.close();
            if (jdbc != null) {
                Benchmark.dropSchema(args, jdbc, schema);
            }
        }
        System.exit(0);
    }

    /** Entries shaped like order-to-cash's: ten per instance, round-robin over the chains. */
    private static void fill(AuditRepository repository, TransactionTemplate tx, int entries, int chains) {
        String[] heads = new String[chains];
        long[] sequences = new long[chains];
        Arrays.fill(heads, AuditChain.GENESIS);
        String[] steps = {null, "read-order", "read-order", "credit-limit", "upsert-opportunity", "upsert-opportunity",
                "route", "manager-approval", "confirm-order", "confirm-order"};
        Intent[] events = {Intent.INSTANCE_STARTED, Intent.CONNECTOR_CALLED, Intent.STEP_EXECUTED,
                Intent.STEP_EXECUTED, Intent.CONNECTOR_CALLED, Intent.STEP_EXECUTED, Intent.STEP_EXECUTED,
                Intent.TASK_COMPLETED, Intent.CONNECTOR_CALLED, Intent.STEP_EXECUTED};
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        int written = 0;
        while (written < entries) {
            int n = Math.min(BATCH, entries - written);
            List<AuditEntry> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = written + i;
                int instance = k / 10;
                int chain = instance % chains;
                Intent e = events[k % 10];
                AuditEntry sealed = AuditChain.seal("bench/" + chain, ++sequences[chain], heads[chain],
                        new AuditChain.Draft(t.plusMillis(k), String.format(Locale.ROOT, "0190f2c4-%04x-7000-8000-%012x",
                                instance & 0xffff, instance), "order-to-cash", 3, steps[k % 10], e.name(), e.code(),
                                e == Intent.CONNECTOR_CALLED ? "connector:salesforce" : "system",
                                String.format(Locale.ROOT, "%032x", instance), String.format(Locale.ROOT, "%016x", k),
                                AuditChain.digest(("payload " + k).getBytes(StandardCharsets.UTF_8)),
                                e.name().toLowerCase(Locale.ROOT) + " '" + steps[k % 10] + "' → next-step"));
                heads[chain] = sealed.hash();
                batch.add(sealed);
            }
            tx.executeWithoutResult(s -> repository.insert(batch));
            written += n;
        }
    }
}
