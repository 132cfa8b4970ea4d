package dev.baton.hub.runtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.hub.HubCodes;
import dev.baton.hub.config.HubProperties;
import dev.baton.hub.persistence.DeliveryMarkerRepository;
import dev.baton.hub.persistence.DeliveryMarkerRepository.Marker;
import dev.baton.hub.persistence.Transactions;

/**
 * Keeps a command that kills the hub from taking it down after every restart. The broker persists a
 * message's delivery count before it delivers it, so whatever a dead hub had taken comes back as a
 * redelivery, and redeliveries are processed one per transaction. Before a redelivered command runs,
 * a durable marker names it; when its attempt ends (committed or rolled back) the marker goes. A marker
 * left by an earlier run of a hub (this node's or another's) means the hub stopped while processing that
 * command; after {@code baton.engine.max-interrupted-deliveries} such stops the command is parked as an
 * incident ({@link HubCodes#INTERRUPTED_DELIVERIES}) instead of being run again. Marked commands take
 * turns on a node, so a stop counts against the one that was running, not against every redelivery in
 * flight; a copy of a marked command that a restart re-sent is marked too ({@link #markedEarlier}).
 * Markers live in the shared database, so whichever node takes the command next sees them.
 *
 * <p>Why only redeliveries: a first delivery runs in a batch of up to {@code batch-size} commands whose
 * marking would cost a durable database write per batch on the hot path; the first stop cannot be pinned
 * on one command of the batch anyway. Why not the delivery count alone: every command buffered in a
 * consumer's window when the hub died has its count raised too, though it never ran.
 */
@Component
public class InterruptedDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedDeliveries.class);

    /** This run of this node: a marker of another run outlived the run that wrote it. */
    private final String nodeRun = UUID.randomUUID().toString();
    private final DeliveryMarkerRepository markers;
    private final Transactions durable;
    private final TransactionTemplate tx;
    private final IncidentService incidents;
    private final Clock clock;
    private final int maxInterrupted;
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Whether markers may exist: set by this node's marking, refreshed from the table (other nodes') now and then. */
    private volatile boolean mayExist = true;
    private volatile long lastCheck = System.nanoTime() - RECHECK_NANOS - 1;
    /** This node's turn for marked commands: one batch of them runs at a time. */
    private final Semaphore turn = new Semaphore(1, true);

    public InterruptedDeliveries(DeliveryMarkerRepository markers, Transactions durable, TransactionTemplate tx,
                                 IncidentService incidents, Clock clock, HubProperties properties) {
        this.markers = markers;
        this.durable = durable;
        this.tx = tx;
        this.incidents = incidents;
        this.clock = clock;
        this.maxInterrupted = properties.engine().maxInterruptedDeliveries();
    }

    /**
     * The first deliveries of a batch that carry a marker of an earlier run: copies of a command the hub
     * stopped while processing, re-sent by a restart ({@link Recovery}), which must not run unmarked. Costs the hot path one
     * look at the table every {@link #RECHECK_NANOS} while no marker exists, and a query per batch while
     * some do (after a stop, until the commands it interrupted have run).
     */
    List<Command> markedEarlier(List<Command> firstDeliveries) {
        if (firstDeliveries.isEmpty() || !markersMayExist()) {
            return List.of();
        }
        Set<String> instances = new HashSet<>();
        firstDeliveries.forEach(c -> instances.add(c.instanceId()));
        Map<String, String> runs = markers.ofInstances(instances);
        List<Command> earlier = new ArrayList<>(0);
        for (Command c : firstDeliveries) {
            String run = runs.get(DeliveryMarkerRepository.key(c.instanceId(), c.token(), c.attempt(),
                    c.intent().code()));
            if (run != null && !run.equals(nodeRun)) {
                earlier.add(c);
            }
        }
        return earlier;
    }

    private boolean markersMayExist() {
        long now = System.nanoTime();
        if (now - lastCheck > RECHECK_NANOS) {
            lastCheck = now;
            mayExist = markers.any();
        }
        return mayExist;
    }

    /**
     * Marked commands of one batch, to {@link #end} when the batch has committed or rolled back.
     *
     * @param marked the commands that run under a marker
     * @param parked the commands parked as incidents instead: acknowledge them without running them
     * @param turn   whether the batch holds this node's turn for marked commands
     */
    record Marks(List<Command> marked, List<Command> parked, boolean turn) {
        static final Marks NONE = new Marks(List.of(), List.of(), false);
    }

    /**
     * Before redelivered commands run: marks them durably, and parks as incidents those the hub stopped
     * {@code max-interrupted-deliveries} times while processing. Marked commands take turns on a node, one
     * batch at a time: should the hub stop, the one marked command that was running is counted, not
     * every command whose processing happened to overlap the stop. First deliveries never wait.
     */
    Marks begin(List<Command> redelivered, String queue) {
        if (redelivered.isEmpty()) {
            return Marks.NONE;
        }
        mayExist = true;
        turn.acquireUninterruptibly();
        try {
            List<Command> parked = durable.execute(status -> {
                List<Command> p = new ArrayList<>(0);
                for (Command c : redelivered) {
                    if (!begin(c, queue)) {
                        p.add(c);
                    }
                }
                return p;
            });
            List<Command> marked = new ArrayList<>(redelivered);
            parked.forEach(p -> marked.removeIf(c -> c == p));
            return new Marks(marked, parked, true);
        } catch (DuplicateKeyException copyMarkedIt) {
            // A copy of a command (re-sent after a crash) marked it a moment ago on another node:
            // run them unmarked rather than hold them back.
            return new Marks(List.of(), List.of(), true);
        } catch (RuntimeException e) {
            turn.release();
            throw e;
        }
    }

    private boolean begin(Command c, String queue) {
        Optional<Marker> marker = markers.lock(c.instanceId(), c.token(), c.attempt(), c.intent().code());
        if (marker.isEmpty()) {
            LOG.debug("Running {} for step '{}' of instance {} (token {}, attempt {}) under a marker", c.intent(),
                    c.step(), c.instanceId(), c.token(), c.attempt());
            markers.insert(c.instanceId(), c.token(), c.attempt(), c.intent().code(), queue, nodeRun, clock.instant());
            return true;
        }
        if (nodeRun.equals(marker.get().nodeRun())) {
            return true; // a copy of the command (re-sent after a crash) runs on this node right now
        }
        int stopped = marker.get().interrupted();
        if (stopped >= maxInterrupted) {
            incidents.interrupted(c, stopped);
            markers.delete(c.instanceId(), c.token(), c.attempt(), c.intent().code());
            return false;
        }
        LOG.warn("{} the hub stopped {} time(s) while processing {} for step '{}' of instance {}; running it again,"
                        + " alone ({} more stop(s) park it)", HubCodes.INTERRUPTED_DELIVERIES, stopped, c.intent(), c.step(),
                c.instanceId(), maxInterrupted - stopped);
        markers.update(c.instanceId(), c.token(), c.attempt(), c.intent().code(), stopped + 1, nodeRun,
                clock.instant());
        return true;
    }

    /** The batch of {@link #begin}'s marks has committed or rolled back. */
    void end(Marks marks) {
        try {
            if (!marks.marked().isEmpty()) {
                tx.executeWithoutResult(status -> marks.marked().forEach(c -> markers.delete(c.instanceId(),
                        c.token(), c.attempt(), c.intent().code())));
            }
        } catch (DataAccessException e) {
            // Left behind, a marker counts one stop too many should its command come again: never lose the batch.
            LOG.warn("{} could not remove the delivery markers of {} command(s) on {}", HubCodes.INTERRUPTED_DELIVERIES,
                    marks.marked().size(), marks.marked().get(0).queue(), e);
        } finally {
            if (marks.turn()) {
                turn.release();
            }
        }
    }
}
