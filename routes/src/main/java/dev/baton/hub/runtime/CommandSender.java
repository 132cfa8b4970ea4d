package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.baton.hub.persistence.OutboxRepository;

/**
 * Sends commands that API calls produce (starts, task completions, retries) with a transactional
 * outbox: they are written in the caller's database transaction and sent once it commits. Rows a
 * crash left behind are sent at start-up and by a periodic sweep; consumers ignore duplicates, so
 * sending twice is harmless, losing one is not possible.
 */
@Component
public class CommandSender {

    private static final Logger LOG = LoggerFactory.getLogger(CommandSender.class);
    /** Rows younger than this belong to transactions whose own after-commit send is still under way. */
    private static final Duration SWEEP_AGE = Duration.ofSeconds(10);

    private final ConnectionFactory connections;
    private final CommandCodec codec;
    private final OutboxRepository outbox;
    private final Clock clock;
    private final ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();

    public CommandSender(@Qualifier("jmsConnectionFactory") ConnectionFactory connections, CommandCodec codec,
                         OutboxRepository outbox, Clock clock) {
        this.connections = connections;
        this.codec = codec;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Writes the commands to the outbox in the current transaction and sends them after it commits.
     * Must be called inside a transaction.
     */
    public void sendAfterCommit(List<Outgoing> commands) {
        if (commands.isEmpty()) {
            return;
        }
        String id = UUID.randomUUID().toString();
        outbox.insert(id, commands.get(0).command().queue(), codec.toJson(commands), clock.instant());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    send(commands);
                    sent.add(id);
                } catch (JMSException | RuntimeException e) {
                    LOG.warn("Commands of outbox row {} could not be sent now; the outbox sweep sends them: {}", id,
                            e.toString());
                }
            }
        });
    }

    /** Sends commands in one JMS transaction. */
    public void send(List<Outgoing> commands) throws JMSException {
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Outgoing out : commands) {
                producer.send(session.createQueue(out.command().queue()), codec.toMessage(session, out));
            }
            session.commit();
        }
    }

    /** Deletes the rows of sent commands, in one statement every so often rather than one per API call. */
    @Scheduled(fixedDelay = 200)
    void forgetSent() {
        List<String> ids = new ArrayList<>();
        String id;
        while ((id = sent.poll()) != null && ids.size() < 1000) {
            ids.add(id);
        }
        outbox.delete(ids);
    }

    @EventListener(ApplicationReadyEvent.class)
    void sendLeftovers() {
        sweep(Duration.ZERO);
    }

    @Scheduled(fixedDelayString = "${baton.engine.outbox-sweep:5s}", initialDelayString = "${baton.engine.outbox-sweep:5s}")
    void sweep() {
        sweep(SWEEP_AGE);
    }

    private void sweep(Duration age) {
        List<OutboxRepository.Entry> rows;
        do {
            rows = outbox.olderThan(clock.instant().minus(age), 500);
            List<String> done = new ArrayList<>();
            for (OutboxRepository.Entry row : rows) {
                try {
                    send(codec.fromJson(row.message()));
                    done.add(row.id());
                } catch (JMSException | RuntimeException e) {
                    LOG.warn("Outbox row {} could not be sent; trying again later: {}", row.id(), e.toString());
                    outbox.delete(done);
                    return;
                }
            }
            outbox.delete(done);
        } while (rows.size() == 500);
    }
}
