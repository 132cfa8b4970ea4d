package dev.baton.hub.runtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
 * incident ({@link HubCodes#INTERRUPTED_DELIVERIES}) instead of being run again.
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
     * Before redelivered commands run: marks them durably, and parks as incidents those the hub stopped
     * {@code max-interrupted-deliveries} times while processing (the caller acknowledges them without
     * running them).
     *
     * @return the parked commands
     */
    List<Command> begin(List<Command> redelivered, String queue) {
        try {
            return durable.execute(status -> {
                List<Command> parked = new ArrayList<>(0);
                for (Command c : redelivered) {
                    if (!begin(c, queue)) {
                        parked.add(c);
                    }
                }
                return parked;
            });
        } catch (DuplicateKeyException copyMarkedIt) {
            // A copy of a command (re-sent after a crash) marked it a moment ago, on this node or another:
            // run them all unmarked rather than hold them back.
            return List.of();
        }
    }

    private boolean begin(Command c, String queue) {
        Optional<Marker> marker = markers.lock(c.instanceId(), c.token(), c.attempt(), c.intent().code());
        if (marker.isEmpty()) {
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
        LOG.warn("{} the hub stopped {} time(s) while processing {} for step '{}' of instance {}; running it again"
                        + " ({} more stop(s) park it)", HubCodes.INTERRUPTED_DELIVERIES, stopped, c.intent(), c.step(),
                c.instanceId(), maxInterrupted - stopped);
        markers.update(c.instanceId(), c.token(), c.attempt(), c.intent().code(), stopped + 1, nodeRun,
                clock.instant());
        return true;
    }

    /** The attempts of commands {@link #begin} let run have ended, committed or rolled back. */
    void end(List<Command> marked) {
        try {
            tx.executeWithoutResult(status -> marked.forEach(c -> markers.delete(c.instanceId(), c.token(),
                    c.attempt(), c.intent().code())));
        } catch (DataAccessException e) {
            // Left behind, a marker counts one stop too many should its command come again: never lose the batch.
            LOG.warn("{} could not remove the delivery markers of {} command(s) on {}", HubCodes.INTERRUPTED_DELIVERIES,
                    marked.size(), marked.get(0).queue(), e);
        }
    }
}
