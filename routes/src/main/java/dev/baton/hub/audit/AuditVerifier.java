package dev.baton.hub.audit;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.Checkpoint;
import dev.baton.governance.audit.Checkpoints;
import dev.baton.governance.audit.ChainVerifier;

/**
 * Recomputes the whole trail: the checkpoints first (each follows the one before, its hash matches its
 * content, its signature its published key), then every chain entry by entry, each checked against what
 * the checkpoints recorded of it. Chains are independent, so they are checked in parallel, each
 * streamed from the database without holding it in memory.
 */
@Component
public class AuditVerifier {

    /**
     * One chain's outcome.
     *
     * @param chain               the chain
     * @param valid               whether it is as written
     * @param entries             entries checked
     * @param firstBrokenSequence its first broken entry, or null
     * @param reason              why, or null
     */
    public record ChainReport(String chain, boolean valid, long entries, Long firstBrokenSequence, String reason) {
    }

    /**
     * The outcome for the trail.
     *
     * @param valid               whether every checkpoint and entry is as written
     * @param entries             entries checked
     * @param checkpoints         checkpoints checked
     * @param chain               the chain of the first broken entry, or null
     * @param firstBrokenSequence the first broken entry's sequence in that chain, or null
     * @param brokenCheckpoint    the first broken checkpoint, or null
     * @param reason              why, or null
     * @param chains              each chain's outcome
     */
    public record Report(boolean valid, long entries, int checkpoints, String chain, Long firstBrokenSequence,
                         Long brokenCheckpoint, String reason, List<ChainReport> chains) {
    }

    private final AuditRepository repository;
    private final AuditCheckpoints checkpoints;
    private final TransactionTemplate readOnly;

    public AuditVerifier(AuditRepository repository, AuditCheckpoints checkpoints, TransactionTemplate tx) {
        this.repository = repository;
        this.checkpoints = checkpoints;
        this.readOnly = new TransactionTemplate(tx.getTransactionManager());
        this.readOnly.setReadOnly(true);
    }

    public Report verify() {
        List<Checkpoint> all = checkpoints.all();
        Map<String, String> keys = checkpoints.publicKeys();
        String prev = AuditChain.GENESIS;
        long expected = 1;
        Map<String, Map<Long, ChainVerifier.Pinned>> pinned = new HashMap<>();
        for (Checkpoint c : all) {
            String problem = null;
            if (c.sequence() != expected) {
                problem = "checkpoint " + expected + " is missing before checkpoint " + c.sequence();
            } else if (!c.hash().equals(Checkpoints.hashOf(c))) {
                problem = "checkpoint " + c.sequence() + " was altered: its content no longer gives its hash";
            } else if (!c.prevHash().equals(prev)) {
                problem = "checkpoint " + c.sequence() + " does not follow checkpoint " + (c.sequence() - 1);
            } else {
                Optional<PublicKey> key = Optional.ofNullable(keys.get(c.keyId())).flatMap(AuditCheckpoints::decode);
                if (key.isEmpty()) {
                    problem = "checkpoint " + c.sequence() + " names key " + c.keyId() + ", which is not published";
                } else if (!Checkpoints.signedBy(c, key.get())) {
                    problem = "checkpoint " + c.sequence() + " is not signed by key " + c.keyId();
                }
            }
            if (problem != null) {
                return new Report(false, 0, all.size(), null, null, c.sequence(), problem, List.of());
            }
            for (Checkpoint.Head h : c.heads()) {
                pinned.computeIfAbsent(h.chain(), k -> new HashMap<>())
                        .putIfAbsent(h.sequence(), new ChainVerifier.Pinned(c.sequence(), h.hash()));
            }
            prev = c.hash();
            expected++;
        }
        List<String> chains = new ArrayList<>(repository.chains());
        pinned.keySet().stream().filter(c -> !chains.contains(c)).forEach(chains::add);
        List<ChainReport> reports = verifyChains(chains, pinned);
        long entries = reports.stream().mapToLong(ChainReport::entries).sum();
        ChainReport broken = reports.stream().filter(r -> !r.valid()).findFirst().orElse(null);
        return broken == null
                ? new Report(true, entries, all.size(), null, null, null, null, reports)
                : new Report(false, entries, all.size(), broken.chain(), broken.firstBrokenSequence(), null,
                broken.reason(), reports);
    }

    private List<ChainReport> verifyChains(List<String> chains, Map<String, Map<Long, ChainVerifier.Pinned>> pinned) {
        int threads = Math.max(1, Math.min(chains.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "baton-audit-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ChainReport>> futures = new ArrayList<>();
            for (String chain : chains) {
                futures.add(pool.submit(() -> verifyChain(chain, pinned.getOrDefault(chain, Map.of()))));
            }
            List<ChainReport> reports = new ArrayList<>();
            for (Future<ChainReport> f : futures) {
                reports.add(f.get());
            }
            return reports;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Verification interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Verification failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private ChainReport verifyChain(String chain, Map<Long, ChainVerifier.Pinned> pinned) {
        ChainVerifier verifier = new ChainVerifier(chain, pinned);
        readOnly.executeWithoutResult(s -> repository.stream(chain, verifier::accept));
        verifier.finish();
        ChainVerifier.Verification v = verifier.result();
        return new ChainReport(chain, v.valid(), v.entries(), v.firstBrokenSequence(),
                v.reason());
    }
}
