package dev.baton.hub.readiness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What a node that refuses traffic is busy with, for the 503 that says so: the start-up step under way, or
 * that it has been ready before (so it is shutting down, or was taken out of traffic). Whether the node is
 * ready is not decided here but by Spring Boot's readiness state, which turns {@code ACCEPTING_TRAFFIC} only
 * once every start-up runner has returned, and {@code REFUSING_TRAFFIC} as the context begins to close.
 */
@Component
public class StartupProgress {

    private static final Logger LOG = LoggerFactory.getLogger(StartupProgress.class);

    private volatile String step = "starting the application context";
    private volatile boolean wasReady;

    /** Names the start-up step that begins now, e.g. "deploying the example processes". */
    public void step(String now) {
        LOG.debug("Start-up: {}", now);
        step = now;
    }

    /** What a refused caller is told the node is doing. */
    public String describe() {
        return wasReady ? "not accepting traffic (shutting down, or taken out of traffic)" : "starting: " + step;
    }

    @EventListener
    void readiness(AvailabilityChangeEvent<ReadinessState> change) {
        if (change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            wasReady = true;
        }
    }
}
