package dev.baton.hub.tracing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.baton.hub.BatonApplication;
import dev.baton.hub.HubCodes;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.ErrorBodies;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spans still waiting for their batch when the hub stops are written before the database closes. */
class SpanStoreShutdownTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void shouldStoreTheSpansStillQueuedWhenTheHubStops() throws SQLException {
        // given: a store that would write its batch only after an hour
        String traceId;
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(BatonApplication.class).run(
                "--baton.data-dir=" + data.resolve("hub"), "--baton.users-file=" + TestUsers.write(data.resolve("users")),
                "--server.port=0", "--baton.broker.acceptor=", "--baton.deploy.examples=",
                "--baton.broker.server-id=4343", "--camel.main.name=baton-span-shutdown",
                "--baton.sandboxes.enabled=false", "--baton.tracing.store.flush-every=1h")) {
            Api api = new Api(Integer.parseInt(hub.getEnvironment().getProperty("local.server.port")));
            assertThat(api.deploy("""
                    id: short
                    steps:
                      - id: only
                        task: {set: {done: "true"}}
                    """).status()).isEqualTo(201);
            Api.Response started = api.postJson("/api/definitions/short/instances", TestUsers.OPERATOR,
                    Map.of("businessKey", "S-1", "variables", Map.of()));
            traceId = started.text("traceId");
            await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.status(started.text("instanceId"))));
            ErrorBodies.assertError(api.get("/api/traces/" + traceId, TestUsers.OPERATOR), 404, HubCodes.NOT_FOUND);
        } // when: it stops

        // then
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("hub/db/baton"), "sa", "");
             PreparedStatement q = db.prepareStatement("SELECT COUNT(*) FROM baton_span WHERE trace_id = ?")) {
            q.setString(1, traceId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("spans of trace %s", traceId).isGreaterThanOrEqualTo(2);
            }
        }
    }
}
