package dev.baton.hub.connect;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.governance.access.UserEntry;

/**
 * Where the SAP sandbox delivers its business events: the hub's own {@code POST /events/sap}, with
 * the sap source's credential ({@code integration:sap}; a relay's {@code integration} user when there
 * is none), as SAP's event mesh would call a webhook.
 */
final class HubEventSink implements SapSandbox.EventSink {

    /** How long an event waits for a hub that is not ready before the sandbox's own retries take over. */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Environment env;
    private final String authorization;
    private volatile RestClient client;

    HubEventSink(Environment env, UserEntry user) {
        this.env = env;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user.name() + ":" + user.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Delivers one event; while the hub answers 503 (starting, or shutting down) it waits {@code Retry-After} and
     * sends again, for up to {@link #PATIENCE}, as an event mesh keeps a webhook's events for a while.
     */
    @Override
    public void publish(String cloudEventJson) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                client().post().uri("/events/sap").header("Authorization", authorization)
                        .contentType(MediaType.parseMediaType("application/cloudevents+json")).body(cloudEventJson)
                        .retrieve().toBodilessEntity();
                return;
            } catch (HttpServerErrorException.ServiceUnavailable notReady) {
                String retryAfter = notReady.getResponseHeaders() == null ? null
                        : notReady.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                long wait = Duration.ofSeconds(retryAfter == null || !retryAfter.matches("\\d{1,4}") ? 1
                        : Long.parseLong(retryAfter)).toNanos();
                if (System.nanoTime() + wait > deadline) {
                    throw notReady;
                }
                try {
                    Thread.sleep(wait / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw notReady;
                }
            }
        }
    }

    private RestClient client() {
        RestClient c = client;
        if (c == null) {
            String port = env.getProperty("local.server.port");
            if (port == null) {
                throw new IllegalStateException("The hub is not listening yet");
            }
            c = RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
            client = c;
        }
        return c;
    }
}
