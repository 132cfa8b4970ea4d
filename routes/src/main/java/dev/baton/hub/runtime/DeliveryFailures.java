package dev.baton.hub.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The last error of each command whose batch was rolled back, so that a command the broker
 * eventually dead-letters becomes an incident that says why. Kept in memory and bounded: after a
 * restart, a dead-lettered command's incident names its delivery count but not the error.
 */
@Component
public class DeliveryFailures {

    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, String> lastError = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    });

    static String key(String instanceId, String token, int attempt, int intent) {
        return instanceId + "|" + token + "|" + attempt + "|" + intent;
    }

    void record(Command c, String error) {
        lastError.put(key(c.instanceId(), c.token(), c.attempt(), c.intent().code()), error);
    }

    /** The last error recorded for a command, or null. */
    public String lastErrorOf(String instanceId, String token, int attempt, int intent) {
        return lastError.get(key(instanceId, token, attempt, intent));
    }
}
