package dev.baton.hub.audit;

import java.net.InetAddress;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.AuditEntry;

/**
 * Appends entries to the audit trail in the caller's database transaction, so an entry exists exactly
 * when the change it records does.
 *
 * <p>Entries gathered during a transaction are sealed and inserted just before it commits, into one of
 * this node's chains, taken from a pool for that moment only: transactions committing at the same time
 * append to different chains and never wait for each other, and each chain's order is its commit order.
 * A chain's head is kept in memory by the node that owns it and moves when a commit succeeds. The table's
 * primary key (chain, sequence) keeps a chain from forking even if two nodes were given the same chain
 * names: the second writer's insert fails, its transaction rolls back (to be redelivered or retried), and
 * it reads the head from the table again.
 */
@Component
public class AuditLog {

    /** Longest summary kept; longer ones are cut (the summary is part of the sealed entry). */
    static final int MAX_SUMMARY = 1000;

    private final AuditRepository repository;
    private final TransactionTemplate tx;
    private final TransactionTemplate ownTx;
    private final boolean enabled;
    private final List<String> chains;
    private final BlockingQueue<String> free;
    private final ObjectWriter canonicalJson;
    /** The head of each chain as this node last committed it; absent: read it from the table. */
    private final Map<String, AuditRepository.Head> heads = new ConcurrentHashMap<>();

    public AuditLog(AuditRepository repository, TransactionTemplate tx, AuditProperties properties, ObjectMapper json) {
        this.repository = repository;
        this.canonicalJson = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.tx = tx;
        this.ownTx = new TransactionTemplate(tx.getTransactionManager());
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.enabled = properties.enabled();
        String node = properties.node() == null || properties.node().isBlank() ? hostName() : properties.node().strip();
        node = node.length() > 48 ? node.substring(0, 48) : node;
        int n = Math.max(1, properties.chains());
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(node + "/" + i);
        }
        this.chains = List.copyOf(names);
        this.free = new ArrayBlockingQueue<>(n, true, names);
    }

    /** The chains this node appends to. */
    public List<String> chains() {
        return chains;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * SHA-256 of a value's JSON with object keys sorted, so equal data gives an equal digest whatever the
     * order it was built in; null for null. What entries keep instead of payloads.
     */
    public String digestOf(Object value) {
        if (value == null || !enabled) {
            return null;
        }
        try {
            return AuditChain.digest(canonicalJson.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not representable as JSON: " + value.getClass().getName(), e);
        }
    }

    /** SHA-256 of a text as it was received or sent (UTF-8); null for null. */
    public static String digestOfText(String text) {
        return text == null ? null : AuditChain.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public void append(AuditChain.Draft draft) {
        append(List.of(draft));
    }

    /**
     * Appends in a transaction of its own, committed before this returns, whatever the caller's
     * transaction does: for what must stay on the record even when the caller's work is rolled back
     * (a refusal).
     */
    public void appendNow(AuditChain.Draft draft) {
        if (enabled) {
            ownTx.executeWithoutResult(s -> append(List.of(draft)));
        }
    }

    /** Appends in the caller's transaction, or in a transaction of its own when there is none. */
    public void append(List<AuditChain.Draft> drafts) {
        if (!enabled || drafts.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            tx.executeWithoutResult(s -> append(drafts));
            return;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Pending();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        for (AuditChain.Draft d : drafts) {
            pending.drafts.add(normalized(d));
        }
    }

    /** Times to microseconds (what both databases keep), summaries cut to what the column holds. */
    private static AuditChain.Draft normalized(AuditChain.Draft d) {
        String summary = d.summary();
        if (summary != null && summary.length() > MAX_SUMMARY) {
            summary = summary.substring(0, MAX_SUMMARY - 1) + "…";
        }
        return new AuditChain.Draft(d.time().truncatedTo(ChronoUnit.MICROS), d.instanceId(), d.definition(),
                d.version(), d.step(), d.eventType(), d.eventCode(), d.actor(), d.traceId(), d.spanId(),
                d.payloadDigest(), summary);
    }

    /** The entries of one transaction, appended just before it commits. */
    private final class Pending implements TransactionSynchronization {

        private final List<AuditChain.Draft> drafts = new ArrayList<>();
        private String chain;
        private AuditRepository.Head moved;

        @Override
        public void suspend() {
            // an inner REQUIRES_NEW transaction gathers its own entries
            TransactionSynchronizationManager.unbindResourceIfPossible(AuditLog.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(AuditLog.this, this);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            try {
                chain = free.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for an audit chain", e);
            }
            if (chain == null) {
                throw new IllegalStateException("No audit chain became free within 30 s");
            }
            AuditRepository.Head head = heads.computeIfAbsent(chain, c -> repository.head(c, AuditChain.GENESIS));
            List<AuditEntry> sealed = new ArrayList<>(drafts.size());
            long sequence = head.sequence();
            String prev = head.hash();
            for (AuditChain.Draft d : drafts) {
                AuditEntry e = AuditChain.seal(chain, ++sequence, prev, d);
                sealed.add(e);
                prev = e.hash();
            }
            repository.insert(sealed);
            moved = new AuditRepository.Head(chain, sequence, prev);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(AuditLog.this);
            if (chain != null) {
                if (status == STATUS_COMMITTED && moved != null) {
                    heads.put(chain, moved);
                } else {
                    heads.remove(chain); // rolled back, perhaps because another writer appended: read it again
                }
                free.offer(chain);
                chain = null;
            }
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "hub";
        }
    }
}
