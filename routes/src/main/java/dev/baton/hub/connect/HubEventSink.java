package dev.baton.hub.connect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.governance.access.UserEntry;

/**
 * Where the SAP sandbox delivers its business events: the hub's own {@code POST /events/sap}, with
 * the sap source's credential ({@code integration:sap}; a relay's {@code integration} user when there
 * is none), as SAP's event mesh would call a webhook.
 */
final class HubEventSink implements SapSandbox.EventSink {

    private final Environment env;
    private final String authorization;
    private volatile RestClient client;

    HubEventSink(Environment env, UserEntry user) {
        this.env = env;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user.name() + ":" + user.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void publish(String cloudEventJson) {
        client().post().uri("/events/sap").header("Authorization", authorization)
                .contentType(MediaType.parseMediaType("application/cloudevents+json")).body(cloudEventJson)
                .retrieve().toBodilessEntity();
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
