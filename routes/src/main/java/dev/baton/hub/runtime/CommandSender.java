package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.baton.hub.persistence.OutboxRepository;
import dev.baton.hub.persistence.DurableCommits;

/**
 * Sends the commands that API calls produce (starts, task completions, retries, correlated messages)
 * through a transactional outbox: they are written in the caller's database transaction; after the
 * commit (and once it is durable, see {@link DurableCommits}) a relay thread sends them to the
 * broker in batches (one JMS transaction, one fsync, for what every concurrent caller committed
 * meanwhile) and forgets them. Rows a crash left behind are sent at start-up and by a periodic sweep. Consumers ignore
 * duplicates, so sending twice is harmless, and losing one is not possible.
 */
@Component
public class CommandSender implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CommandSender.class);
    /** Rows younger than this may still be in the relay's hands. */
    private static final Duration SWEEP_AGE = Duration.ofSeconds(10);
    private static final int MAX_BATCH = 500;

    private record Pending(String outboxId, List<Outgoing> commands) {
    }

    private final ConnectionFactory connections;
    private final CommandCodec codec;
    private final OutboxRepository outbox;
    private final Clock clock;
    private final DurableCommits durable;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread relay;

    public CommandSender(@Qualifier("jmsConnectionFactory") ConnectionFactory connections, CommandCodec codec,
                         OutboxRepository outbox, Clock clock, DurableCommits durable) {
        this.durable = durable;
        this.connections = connections;
        this.codec = codec;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Writes the commands to the outbox in the current transaction; they are sent after it commits.
     * Must be called inside a transaction.
     */
    public void sendAfterCommit(List<Outgoing> commands) {
        if (commands.isEmpty()) {
            return;
        }
        String id = Ids.timeOrdered();
        outbox.insert(id, commands.get(0).command().queue(), codec.toJson(commands), clock.instant());
        Pending p = new Pending(id, commands);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                pending.add(p);
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

    private void relay() {
        List<Pending> batch = new ArrayList<>();
        while (running || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                List<Outgoing> commands = new ArrayList<>();
                List<String> ids = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    commands.addAll(p.commands());
                    ids.add(p.outboxId());
                }
                try {
                    // Never let a command out before the transaction that wrote it is durable.
                    durable.await();
                    send(commands);
                    outbox.delete(ids);
                } catch (JMSException | RuntimeException e) {
                    LOG.warn("{} command(s) could not be sent now; the outbox sweep sends them: {}", commands.size(),
                            e.toString());
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
            rows = outbox.olderThan(clock.instant().minus(age), MAX_BATCH);
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
        } while (rows.size() == MAX_BATCH);
    }

    @Override
    public void start() {
        running = true;
        relay = new Thread(this::relay, "baton-outbox-relay");
        relay.setDaemon(true);
        relay.start();
    }

    /** Sends what is pending before the broker and database go away. */
    @Override
    public void stop() {
        running = false;
        if (relay != null) {
            try {
                relay.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the step routes (Camel stops on context close) and before the pools close. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
