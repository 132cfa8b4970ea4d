package dev.baton.hub.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.baton.hub.config.HubProperties;
import dev.baton.hub.persistence.DurableCommits;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Token;
import dev.baton.model.engine.TokenStatus;

/**
 * After an unclean stop on H2, puts the database and the broker back in step. H2 writes commits to
 * its file with a delay, so a killed process comes back with the database behind the broker: a
 * transition may be lost although its input was acknowledged. Re-sending an execute command for
 * every token the database has queued re-runs exactly the lost transitions; commands that were not
 * lost arrive twice and the second is ignored. A marker file under the data dir tells a clean stop
 * from an unclean one. PostgreSQL commits durably before the broker is told anything, so there it
 * has nothing to do.
 */
@Component
public class Recovery implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final JsonColumns columns;
    private final CommandSender sender;
    private final boolean databaseMayLag;
    private final Path marker;
    private volatile boolean running;

    public Recovery(JdbcTemplate jdbc, JsonColumns columns, CommandSender sender, DurableCommits durable,
                    HubProperties properties) {
        this.jdbc = jdbc;
        this.columns = columns;
        this.sender = sender;
        this.databaseMayLag = durable != DurableCommits.ON_COMMIT;
        this.marker = properties.dataDir().resolve("hub.running");
    }

    /** Called at start-up, once definitions are compiled: re-sends what an unclean stop may have lost. */
    public void recoverIfNeeded() throws IOException {
        boolean unclean = Files.exists(marker);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, ProcessHandle.current().pid() + "\n");
        if (!unclean || !databaseMayLag) {
            return;
        }
        List<Outgoing> batch = new ArrayList<>();
        int[] instances = {0};
        int[] sent = {0};
        jdbc.query("SELECT s.id, s.state, i.definition_id, i.version FROM baton_instance_state s"
                + " JOIN baton_instance i ON i.id = s.id WHERE i.status IN ('RUNNING', 'WAITING', 'FAILED')", rs -> {
                    instances[0]++;
                    JsonColumns.TokenState state = columns.readState(rs.getString(2));
                    for (Token t : state.tokens()) {
                        if (t.status() == TokenStatus.QUEUED) {
                            batch.add(new Outgoing(new Command(rs.getString(1), rs.getString(3), rs.getInt(4), t.step(),
                                    t.id(), t.attempt(), t.attempt() == 1 ? Intent.EXECUTE_STEP : Intent.RETRY_STEP,
                                    null, null, null), 0));
                        }
                    }
                    if (batch.size() >= BATCH) {
                        sent[0] += flush(batch);
                    }
                });
        sent[0] += flush(batch);
        LOG.warn("The hub did not stop cleanly last time: re-sent {} queued command(s) of {} open instance(s) so that"
                + " none is lost; the ones that were not lost are ignored when they arrive twice", sent[0], instances[0]);
    }

    private int flush(List<Outgoing> batch) {
        int n = batch.size();
        if (n == 0) {
            return 0;
        }
        try {
            sender.send(batch);
        } catch (JMSException e) {
            throw new IllegalStateException("Recovery could not re-send queued commands", e);
        }
        batch.clear();
        return n;
    }

    @Override
    public void start() {
        running = true;
    }

    /** A clean stop: the next start needs no recovery. Runs after the step routes have stopped. */
    @Override
    public void stop() {
        running = false;
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("Could not remove {}; the next start will re-send queued commands needlessly", marker, e);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
