package dev.baton.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hub in the test's JVM on the embedded default: its own data dir (H2 file, Artemis journal),
 * the real HTTP API on a random port, test users, no TCP acceptor, short redelivery delays.
 */
@SpringBootTest(classes = BatonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class HubTestBase {

    @LocalServerPort
    protected int port;

    protected Api api;

    @DynamicPropertySource
    static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
        Path dir = embeddedDefaultWithoutUsers(registry);
        registry.add("baton.users-file", () -> TestUsers.write(dir).toString());
    }

    /**
     * Everything of {@link #embeddedDefault} but the users file, for a test of the users the hub
     * generates itself; returns the data dir.
     */
    public static Path embeddedDefaultWithoutUsers(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("baton-test-");
        registry.add("baton.data-dir", dir::toString);
        registry.add("baton.broker.acceptor", () -> "");
        int serverId = ThreadLocalRandom.current().nextInt(1000, 100_000);
        registry.add("baton.broker.server-id", () -> serverId);
        registry.add("baton.broker.redelivery-delay", () -> "100ms");
        registry.add("baton.broker.max-delivery-attempts", () -> "3");
        registry.add("baton.deploy.examples", () -> "");
        registry.add("baton.sandboxes.salesforce.port", () -> "0");
        registry.add("baton.sandboxes.sap.port", () -> "0");
        registry.add("baton.engine.receive-timeout", () -> "200ms");
        // Tests call local servers (EffectServer, ...) on loopback, which the hub refuses by default; a test of
        // that refusal narrows it with baton.test.allow-private (a subclass cannot replace this registration).
        registry.add("baton.connectors.http.allow-private", () -> "${baton.test.allow-private:127.0.0.1}");
        registry.add("camel.main.name", () -> "baton-" + serverId);
        return dir;
    }

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    /** Deploys a YAML definition, which must be new and valid; its id. */
    protected String deployed(String yaml) {
        Api.Response r = api.deploy(yaml);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    /** Waits (up to 30 s) until the instance has the status. */
    protected void awaitStatus(String instance, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.status(instance)).isEqualTo(status));
    }

    /** A definition id no other test in the same hub uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }
}
