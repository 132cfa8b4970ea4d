package dev.baton.connectors;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.RouteDefinition;

import dev.baton.model.engine.Failure;

/**
 * One connected system. The hub compiles each call step into a route that receives the request as
 * the message body and lets the connector append the processors that perform the operation; the
 * route's resulting body is the response.
 *
 * <p>Headers the route receives: {@link #IDEMPOTENCY_KEY} (stable across retries of the same step
 * execution, so external writes can be de-duplicated), {@link #INSTANCE_ID}, {@link #STEP_ID}.
 */
public interface Connector {

    String IDEMPOTENCY_KEY = "BatonIdempotencyKey";
    String INSTANCE_ID = "BatonInstanceId";
    String STEP_ID = "BatonStepId";
    /**
     * The route group of inbound routes. They must not start by themselves ({@code autoStartup(false)}):
     * the hub starts them once the definitions whose triggers they feed are compiled.
     */
    String INBOUND_GROUP = "baton.inbound";

    /** The connector's name, the part before the dot in {@code http.post}. */
    String name();

    /** The operations it offers, without the connector prefix. */
    Set<String> operations();

    /**
     * Appends the processors that perform {@code operation} with the step's static settings.
     *
     * @throws IllegalArgumentException when the settings are unusable (a missing URL, ...), with a message
     *                                  that names the setting
     */
    void configure(RouteDefinition route, String operation, Map<String, Object> settings);

    /**
     * Why the step's settings may not be deployed, each naming the setting ({@link SettingsMessages}), or
     * nothing. Asked at deployment only, and calls no remote system (it may look at local configuration, the
     * secrets file): what configuration allows today (an allow-list, a secret's name) is checked here, not in
     * {@link #configure}, so a stored definition still compiles after the configuration changed and fails its
     * call with a code instead. By default: no {@code {{} anywhere ({@link Placeholders}).
     */
    default List<String> refusals(String operation, Map<String, Object> settings) {
        return Placeholders.refusals(settings, path -> false);
    }

    /**
     * Turns what the route threw into a failure that says whether to retry. Only called with
     * exceptions raised by this connector's processors or endpoints.
     */
    Failure classify(Exception exception);

    /**
     * The system's own routes: inbound ones (subscriptions, polling) that hand events to the hub, and
     * one outbound route per operation carrying the system's error handling, throttling and circuit
     * breaker, which the routes {@link #configure} appends call. Added once the hub's definitions are
     * compiled, so no inbound event arrives before the triggers it may start.
     *
     * @return the routes, or null when the connector has none of its own
     */
    default RoutesBuilder routes(ConnectorContext context) {
        return null;
    }
}
