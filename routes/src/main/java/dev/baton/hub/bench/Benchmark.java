package dev.baton.hub.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.baton.hub.BatonApplication;
import dev.baton.hub.compile.DefinitionService;
import dev.baton.hub.runtime.InstanceEvents;
import dev.baton.hub.runtime.InstanceService;
import dev.baton.model.engine.InstanceStatus;

/**
 * Closed-loop load on the hub's reference processes, in the same way as ../shared/bench-peers
 * measures Camunda, Flowable and a bare Camel chain: at most {@code inflight} instances in flight,
 * {@code starters} threads starting a new one as soon as one completes; latency from just before the
 * start call to the commit of the instance's last transition.
 *
 * <p>Workload {@code o2c} is examples/processes/order-to-cash.yaml end to end against the SAP and
 * Salesforce sandboxes, started by orders entered in SAP: see {@link OrderToCashBenchmark} (sizes from
 * {@code --orders}, default 1000, warm-up {@code --warmup-orders}, default 100).
 *
 * <pre>
 * java -cp routes/target/baton.jar -Dloader.main=dev.baton.hub.bench.Benchmark \
 *      org.springframework.boot.loader.launch.PropertiesLauncher \
 *      --workloads=seq5,fork3 --instances=1000,10000 [--jdbc=jdbc:postgresql://127.0.0.1:5432/test]
 * java ... --workloads=o2c --orders=1000      # run from the repository root
 * </pre>
 */
public final class Benchmark {

    private record Workload(String name, String definitionId, String file, int handoffs) {
    }

    private static final Map<String, Workload> WORKLOADS = Map.of(
            "seq5", new Workload("seq5", "bench-seq5", "examples/bench/seq5.yaml", 5),
            "fork3", new Workload("fork3", "bench-fork3", "examples/bench/fork3.yaml", 4));

    private final Map<String, Long> startNanos = new ConcurrentHashMap<>();
    private volatile Semaphore window;
    private volatile CountDownLatch remaining;
    private volatile long[] latencies;
    private final AtomicInteger latencyIndex = new AtomicInteger();
    private final AtomicLong lastCompletion = new AtomicLong();

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        List<String> workloads = Arrays.asList(args.getOrDefault("workloads", "seq5,fork3").split(","));
        List<Integer> sizes = Arrays.stream(args.getOrDefault("instances", "1000,10000").split(","))
                .map(Integer::parseInt).toList();
        List<Integer> orders = Arrays.stream(args.getOrDefault("orders", "1000").split(","))
                .map(Integer::parseInt).toList();
        int warmupOrders = Integer.parseInt(args.getOrDefault("warmup-orders", "100"));
        int inflight = Integer.parseInt(args.getOrDefault("inflight", "64"));
        int starters = Integer.parseInt(args.getOrDefault("starters", "2"));
        String jdbc = args.get("jdbc");
        Path data = Files.createTempDirectory("baton-bench-");
        List<String> properties = new ArrayList<>(List.of(
                "baton.data-dir=" + data,
                "baton.deploy.examples=",
                "baton.broker.acceptor=",
                "server.port=0",
                // Sandboxes on random ports (the defaults, 8091 and 8092, may be taken); o2c's Camel route.
                "baton.sandboxes.salesforce.port=0",
                "baton.sandboxes.sap.port=0",
                "baton.routes-dir=examples/routes",
                "logging.level.root=WARN",
                "logging.level.dev.baton=WARN"));
        String database = "h2";
        String schema = "baton_bench_" + System.currentTimeMillis();
        if (jdbc != null) {
            properties.addAll(createSchema(args, jdbc, schema));
            database = "postgresql";
        }
        args.forEach((k, v) -> {
            if (k.startsWith("baton.") || k.startsWith("spring.") || k.startsWith("management.")
                    || k.startsWith("otel.") || k.startsWith("camel.") || k.startsWith("logging.")) {
                properties.removeIf(p -> p.startsWith(k + "=")); // a repeated option would be joined with a comma
                properties.add(k + "=" + v);
            }
        });
        // As command-line arguments: they win over application.yml (default properties would not).
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(BatonApplication.class)
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
        try {
            Benchmark bench = new Benchmark();
            hub.getBean(InstanceEvents.class).addListener(state -> {
                if (state.status() == InstanceStatus.COMPLETED) {
                    bench.completed(state.businessKey());
                }
            });
            DefinitionService definitions = hub.getBean(DefinitionService.class);
            InstanceService instances = hub.getBean(InstanceService.class);
            System.out.printf(Locale.ROOT, "# baton benchmark cpus=%d max_heap_mb=%d db=%s inflight=%d starters=%d%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, database,
                    inflight, starters);
            for (String name : workloads) {
                if (OrderToCashBenchmark.NAME.equals(name.trim())) {
                    new OrderToCashBenchmark(hub).run(orders, warmupOrders, inflight, starters, database,
                            Long.parseLong(args.getOrDefault("stall-seconds", "120")));
                    continue;
                }
                Workload w = WORKLOADS.get(name.trim());
                if (w == null) {
                    throw new IllegalArgumentException("Unknown workload " + name + "; known: " + WORKLOADS.keySet()
                            + ", " + OrderToCashBenchmark.NAME);
                }
                definitions.deploy(Files.readString(Path.of(w.file()), StandardCharsets.UTF_8), "benchmark");
                int warmup = Math.max(200, sizes.get(0) / 10);
                bench.run(instances, w, "warmup", warmup, inflight, starters, database, false);
                for (int n : sizes) {
                    bench.run(instances, w, "n" + n, n, inflight, starters, database, true);
                }
            }
            spansStored(hub);
        } finally {
            hub.close();
            if (jdbc != null) {
                dropSchema(args, jdbc, schema);
            }
        }
        System.exit(0);
    }

    /** How many spans the local span store kept, per instance the run started (warm-up included). */
    private static void spansStored(ConfigurableApplicationContext hub) {
        if ("false".equals(hub.getEnvironment().getProperty("baton.tracing.store.enabled"))) {
            return;
        }
        hub.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(60, TimeUnit.SECONDS);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        Long spans = jdbc.queryForObject("SELECT COUNT(*) FROM baton_span", Long.class);
        Long started = jdbc.queryForObject("SELECT COUNT(*) FROM baton_instance", Long.class);
        System.out.printf(Locale.ROOT, "# spans_stored=%d instances=%d spans_per_instance=%.2f%n", spans, started,
                started == null || started == 0 ? 0.0 : (double) spans / started);
    }

    private void completed(String key) {
        long now = System.nanoTime();
        Long t0 = startNanos.remove(key);
        if (t0 == null) {
            return;
        }
        int i = latencyIndex.getAndIncrement();
        if (i < latencies.length) {
            latencies[i] = now - t0;
        }
        lastCompletion.accumulateAndGet(now, Math::max);
        window.release();
        remaining.countDown();
    }

    private void run(InstanceService instances, Workload w, String phase, int n, int inflight, int starters,
                     String database, boolean report) throws Exception {
        window = new Semaphore(inflight);
        remaining = new CountDownLatch(n);
        latencies = new long[n];
        latencyIndex.set(0);
        lastCompletion.set(0);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String prefix = w.name() + "-" + phase + "-" + System.nanoTime() + "-";
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < starters; s++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    String key = prefix + i;
                    try {
                        window.acquire();
                    } catch (InterruptedException e) {
                        return;
                    }
                    startNanos.put(key, System.nanoTime());
                    try {
                        instances.start(w.definitionId(), key, Map.of(), "benchmark");
                    } catch (RuntimeException e) {
                        startNanos.remove(key);
                        if (errors.incrementAndGet() <= 5) {
                            System.err.println("start failed: " + e);
                        }
                        window.release();
                        remaining.countDown();
                    }
                }
            }, "starter-" + s);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        boolean done = remaining.await(15, TimeUnit.MINUTES);
        threads.forEach(Thread::interrupt);
        long end = done ? lastCompletion.get() : System.nanoTime();
        double seconds = (end - t0) / 1e9;
        int completed = Math.min(latencyIndex.get(), n);
        long[] sorted = Arrays.copyOf(latencies, completed);
        Arrays.sort(sorted);
        if (!report) {
            System.out.printf(Locale.ROOT, "# warmup %s: %d instances in %.1f s%n", w.name(), n, seconds);
            return;
        }
        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        double perSecond = completed / seconds;
        System.out.printf(Locale.ROOT, "RESULT engine=baton workload=%s instances=%d seconds=%.2f instances_per_s=%.1f"
                        + " handoffs_per_s=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f inflight=%d starters=%d"
                        + " db=%s heap_after_mb=%d%s%n",
                w.name(), n, seconds, perSecond, perSecond * w.handoffs(), pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, inflight, starters, database,
                heapMb, completed < n ? " INCOMPLETE=" + (n - completed) : "");
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
    }

    /** Creates a fresh schema on PostgreSQL for one run; returns the properties that point the hub at it. */
    static List<String> createSchema(Map<String, String> args, String jdbc, String schema) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, args.getOrDefault("user", "postgres"),
                args.getOrDefault("password", "")); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return List.of("spring.datasource.url=" + jdbc + (jdbc.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "spring.datasource.username=" + args.getOrDefault("user", "postgres"),
                "spring.datasource.password=" + args.getOrDefault("password", ""),
                "spring.flyway.schemas=" + schema);
    }

    /** Drops the schema a run created. */
    static void dropSchema(Map<String, String> args, String jdbc, String schema) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, args.getOrDefault("user", "postgres"),
                args.getOrDefault("password", "")); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            if (a.startsWith("--") && a.contains("=")) {
                args.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        return args;
    }

}
