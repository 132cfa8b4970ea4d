package dev.baton.hub.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.hub.compile.DefinitionService;
import dev.baton.hub.runtime.InstanceEvents;
import dev.baton.model.engine.InstanceStatus;

/**
 * The {@code o2c} workload of {@link Benchmark}: examples/processes/order-to-cash.yaml end to end on the
 * embedded default, driven the real way. Each order is entered in the SAP sandbox
 * ({@link SapSandbox#createSalesOrder}); the sandbox posts SalesOrder.Created to the hub's {@code /events/sap}
 * over HTTP, which starts the flow: two OData reads from SAP (camel-sap-netweaver), the legacy credit lookup
 * (camel-sql route from examples/routes), Account and Opportunity upserts into the Salesforce sandbox
 * (camel-salesforce), the confirmation in SAP (camel-http, CSRF handshake). Small orders only (HT-1000 x 1-3,
 * far below the 100,000 approval threshold), so no human task.
 *
 * <p>Closed loop: at most {@code inflight} orders between "created in SAP" and "instance COMPLETED";
 * {@code starters} threads enter a new order as soon as one completes. Measured:
 * <ul>
 * <li>orders/s: orders / (just before the first order is created → commit of the last instance's completion);</li>
 * <li>event-to-Opportunity latency: from {@code createSalesOrder} returning (wall clock, ms) to the
 *     {@code commitTimestamp} (wall clock, ms, same JVM) of the Opportunity's CREATE change event in the
 *     Salesforce sandbox, i.e. the moment the Opportunity became visible there. Read once after the phase
 *     from {@link SalesforceSandbox#changeEvents()}, so nothing polls the sandbox during the run;</li>
 * <li>order-to-done latency: from {@code createSalesOrder} returning to the commit of the instance's completion
 *     ({@link InstanceEvents}, as the other workloads), i.e. including the SAP confirmation;</li>
 * <li>Salesforce REST calls and SAP OData requests per order: the sandboxes' counters over the phase / orders.</li>
 * <li>order-to-start latency (a diagnostic): from {@code createSalesOrder} returning to the commit of the instance's
 *     start in the hub's handling of {@code /events/sap} (its start row in {@code baton_handoff}), i.e. the SAP
 *     sandbox's event delivery including its queue.</li>
 * </ul>
 * After each phase it checks the outcome: one Opportunity CREATE per order, every order confirmed in SAP.
 */
final class OrderToCashBenchmark {

    static final String NAME = "o2c";
    static final String DEFINITION = "order-to-cash";
    static final String FILE = "examples/processes/order-to-cash.yaml";

    /** One order's times; {@code phase} is null until createSalesOrder has returned. */
    private record Times(Phase phase, long createdNanos, long createdMillis, long doneNanos) {
    }

    private static final class Phase {
        final Semaphore window;
        final CountDownLatch remaining;
        final Set<String> orders = ConcurrentHashMap.newKeySet();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicLong lastCompletion = new AtomicLong();
        final AtomicLong lastProgress = new AtomicLong(System.nanoTime());

        Phase(int n, int inflight) {
            window = new Semaphore(inflight);
            remaining = new CountDownLatch(n);
        }
    }

    private final ConcurrentHashMap<String, Times> times = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> orderOfInstance = new ConcurrentHashMap<>();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final ConfigurableApplicationContext hub;
    private final SapSandbox sap;
    private final SalesforceSandbox salesforce;

    OrderToCashBenchmark(ConfigurableApplicationContext hub) {
        this.hub = hub;
        this.sap = hub.getBean(SapSandbox.class);
        this.salesforce = hub.getBean(SalesforceSandbox.class);
        hub.getBean(InstanceEvents.class).addListener(state -> {
            if (!DEFINITION.equals(state.definitionId()) || state.businessKey() == null) {
                return;
            }
            if (state.status() == InstanceStatus.COMPLETED) {
                orderOfInstance.put(state.instanceId(), state.businessKey());
                done(state.businessKey(), System.nanoTime());
            } else if (state.status() == InstanceStatus.CANCELLED) {
                cancelled.incrementAndGet();
            }
        });
    }

    /** Deploys order-to-cash, a warm-up batch, then one measured batch per size. */
    void run(List<Integer> sizes, int warmup, int inflight, int starters, String database, long stallSeconds)
            throws Exception {
        hub.getBean(DefinitionService.class).deploy(Files.readString(Path.of(FILE), StandardCharsets.UTF_8),
                "benchmark");
        List<String> customers = customers();
        Environment env = hub.getEnvironment();
        System.out.printf(Locale.ROOT, "# o2c: %s from %s, %d customers, HT-1000 x 1-3 per order; sandboxes"
                        + " salesforce=%s sap=%s (sun.net.httpserver.nodelay=%s); connector throttles salesforce=%s"
                        + " sap=%s requests/s%n",
                DEFINITION, FILE, customers.size(), salesforce.loginUrl(), sap.serviceUrl(),
                System.getProperty("sun.net.httpserver.nodelay", "false"),
                env.getProperty("baton.connectors.salesforce.requests-per-second"),
                env.getProperty("baton.connectors.sap.requests-per-second"));
        if (warmup > 0) {
            phase("warmup", warmup, customers, inflight, starters, database, stallSeconds, false);
        }
        for (int n : sizes) {
            phase("n" + n, n, customers, inflight, starters, database, stallSeconds, true);
        }
    }

    /** SAP business partners that have a row in the legacy credit table (the flow looks every customer up). */
    private List<String> customers() {
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        Set<String> withCredit = new HashSet<>(jdbc.queryForList(
                "SELECT customer_id FROM legacy_credit_limit", String.class));
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> p : sap.businessPartners()) {
            String id = String.valueOf(p.get("BusinessPartnerID"));
            if (withCredit.contains(id)) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("No SAP business partner has a row in legacy_credit_limit");
        }
        ids.sort(null);
        return ids;
    }

    private void done(String order, long now) {
        boolean[] finished = new boolean[1];
        times.compute(order, (k, t) -> {
            if (t == null) {
                return new Times(null, 0, 0, now); // completed before createSalesOrder returned (never seen, but safe)
            }
            if (t.doneNanos() != 0) {
                return t;
            }
            finished[0] = t.phase() != null;
            return new Times(t.phase(), t.createdNanos(), t.createdMillis(), now);
        });
        if (finished[0]) {
            finish(times.get(order).phase(), now);
        }
    }

    private void created(Phase phase, String order, long nanos, long millis) {
        boolean[] finished = new boolean[1];
        Times t = times.compute(order, (k, old) -> {
            finished[0] = old != null && old.doneNanos() != 0;
            return new Times(phase, nanos, millis, old == null ? 0 : old.doneNanos());
        });
        if (finished[0]) {
            finish(phase, t.doneNanos());
        }
    }

    private static void finish(Phase phase, long doneNanos) {
        phase.completed.incrementAndGet();
        phase.lastCompletion.accumulateAndGet(doneNanos, Math::max);
        phase.lastProgress.set(System.nanoTime());
        phase.window.release();
        phase.remaining.countDown();
    }

    private void phase(String name, int n, List<String> customers, int inflight, int starters, String database,
                       long stallSeconds, boolean report) throws Exception {
        Phase phase = new Phase(n, inflight);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        int cancelledBefore = cancelled.get();
        long sfBefore = salesforce.apiCalls();
        long sapBefore = sap.requests();
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        Long handoffsBefore = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) FROM baton_handoff", Long.class);
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < starters; s++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    try {
                        phase.window.acquire();
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        String order = sap.createSalesOrder(customers.get(i % customers.size()),
                                List.of(new SapSandbox.Item("HT-1000", 1 + i % 3)), "benchmark " + name + " " + i);
                        long nanos = System.nanoTime();
                        long millis = System.currentTimeMillis();
                        phase.orders.add(order);
                        created(phase, order, nanos, millis);
                    } catch (RuntimeException e) {
                        if (errors.incrementAndGet() <= 5) {
                            System.err.println("createSalesOrder failed: " + e);
                        }
                        phase.window.release();
                        phase.remaining.countDown();
                    }
                }
            }, "o2c-starter-" + s);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        // Wait until all are done, or nothing completed for stallSeconds (e.g. an incident that will not retry).
        boolean done;
        while (!(done = phase.remaining.await(1, TimeUnit.SECONDS))) {
            if (System.nanoTime() - phase.lastProgress.get() > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                System.err.printf(Locale.ROOT, "# o2c %s: no order completed for %d s, %d of %d done: giving up%n",
                        name, stallSeconds, phase.completed.get(), n);
                break;
            }
        }
        threads.forEach(Thread::interrupt);
        long end = done ? phase.lastCompletion.get() : System.nanoTime();
        double seconds = (end - t0) / 1e9;
        long sfCalls = salesforce.apiCalls() - sfBefore;
        long sapRequests = sap.requests() - sapBefore;
        int completed = phase.completed.get();
        if (!report) {
            System.out.printf(Locale.ROOT, "# warmup o2c: %d orders in %.1f s%n", n, seconds);
            return;
        }

        long[] toDone = new long[completed];
        Map<String, Long> createdMillis = new HashMap<>();
        int k = 0;
        for (String order : phase.orders) {
            Times t = times.get(order);
            createdMillis.put(order, t.createdMillis());
            if (t.doneNanos() != 0 && k < toDone.length) {
                toDone[k++] = t.doneNanos() - t.createdNanos();
            }
        }
        toDone = Arrays.copyOf(toDone, k);
        Arrays.sort(toDone);

        // The Opportunity's creation as the sandbox committed it (wall-clock ms), once per order.
        Map<String, Integer> creates = new HashMap<>();
        List<Long> toOpportunity = new ArrayList<>();
        for (Map<String, Object> e : salesforce.changeEvents()) {
            Map<?, ?> payload = (Map<?, ?>) e.get("payload");
            Map<?, ?> header = payload == null ? null : (Map<?, ?>) payload.get("ChangeEventHeader");
            if (header == null || !"Opportunity".equals(header.get("entityName"))
                    || !"CREATE".equals(header.get("changeType"))) {
                continue;
            }
            Object order = payload.get("SAP_Order_Id__c");
            Long created = order == null ? null : createdMillis.get(order.toString());
            if (created == null) {
                continue;
            }
            if (creates.merge(order.toString(), 1, Integer::sum) == 1) {
                toOpportunity.add(((Number) header.get("commitTimestamp")).longValue() - created);
            }
        }
        // When each instance's start committed (the hub's answer to the sandbox's POST /events/sap).
        List<Long> toStart = new ArrayList<>();
        jdbc.query("SELECT instance_id, started_at FROM baton_handoff WHERE seq > ? AND step IS NULL", rs -> {
            String order = orderOfInstance.get(rs.getString(1));
            Long created = order == null ? null : createdMillis.get(order);
            if (created != null) {
                toStart.add(rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli() - created);
            }
        }, handoffsBefore);
        long[] start = toStart.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] opp = toOpportunity.stream().mapToLong(Long::longValue).sorted().toArray();
        int duplicates = creates.values().stream().mapToInt(c -> c - 1).sum();
        long confirmed = phase.orders.stream().map(sap::salesOrder)
                .filter(o -> o.isPresent() && "P".equals(o.get().get("LifecycleStatus"))).count();

        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        StringBuilder problems = new StringBuilder();
        if (completed < n) {
            problems.append(" INCOMPLETE=").append(n - completed);
        }
        if (opp.length < completed) {
            problems.append(" MISSING_OPPORTUNITIES=").append(completed - opp.length);
        }
        if (duplicates > 0) {
            problems.append(" DUPLICATE_OPPORTUNITIES=").append(duplicates);
        }
        if (confirmed < completed) {
            problems.append(" UNCONFIRMED=").append(completed - confirmed);
        }
        if (cancelled.get() > cancelledBefore) {
            problems.append(" CANCELLED=").append(cancelled.get() - cancelledBefore);
        }
        if (errors.get() > 0) {
            problems.append(" CREATE_ERRORS=").append(errors.get());
        }
        System.out.printf(Locale.ROOT, "RESULT engine=baton workload=o2c orders=%d seconds=%.2f orders_per_s=%.1f"
                        + " opp_p50_ms=%.0f opp_p90_ms=%.0f opp_p99_ms=%.0f done_p50_ms=%.1f done_p90_ms=%.1f"
                        + " done_p99_ms=%.1f done_max_ms=%.1f start_p50_ms=%.0f start_p99_ms=%.0f"
                        + " sf_calls_per_order=%.2f sap_requests_per_order=%.2f"
                        + " inflight=%d starters=%d db=%s heap_after_mb=%d%s%n",
                n, seconds, completed / seconds, pctMillis(opp, 50), pctMillis(opp, 90), pctMillis(opp, 99),
                Benchmark.pct(toDone, 50), Benchmark.pct(toDone, 90), Benchmark.pct(toDone, 99),
                toDone.length == 0 ? 0 : toDone[toDone.length - 1] / 1e6, pctMillis(start, 50), pctMillis(start, 99),
                completed == 0 ? 0 : (double) sfCalls / completed, completed == 0 ? 0 : (double) sapRequests / completed,
                inflight, starters, database, heapMb, problems);
    }

    /** Percentile of values already in milliseconds (nearest rank, as {@link Benchmark}). */
    private static double pctMillis(long[] sortedMillis, int p) {
        if (sortedMillis.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedMillis.length) - 1;
        return sortedMillis[Math.max(0, Math.min(i, sortedMillis.length - 1))];
    }
}
