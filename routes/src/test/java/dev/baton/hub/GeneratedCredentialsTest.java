package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.governance.access.UserEntry;
import dev.baton.governance.access.UsersFile;
import dev.baton.hub.security.SecurityConfiguration.UsersSource;
import dev.baton.hub.support.Api;

/**
 * The embedded default without {@code BATON_USERS}: the hub generates its users, one per role and one
 * per event source, into an owner-only file, says where it is and never prints a password; each
 * source's generated credential posts its own events, and the SAP sandbox posts with the sap one.
 */
@SpringBootTest(classes = BatonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class GeneratedCredentialsTest {

    private static final String SAP_ORDER_CREATED = "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1";

    @DynamicPropertySource
    static void generatedUsers(DynamicPropertyRegistry registry) throws IOException {
        HubTestBase.embeddedDefaultWithoutUsers(registry);
        registry.add("baton.demo.orders-every", () -> "500ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    UsersSource users;

    private Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    @Test
    void theGeneratedFileIsOwnerOnlyAndNoPasswordIsEverPrinted(CapturedOutput output) throws IOException {
        Path file = users.file();
        Map<String, UserEntry> byName = UsersFile.read(file).stream()
                .collect(Collectors.toMap(UserEntry::name, u -> u));

        assertThat(users.generated()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(byName).containsOnlyKeys("admin", "developer", "operator", "auditor", "source-shop", "source-wms",
                "source-sap", "approver");
        assertThat(byName.get("source-sap").roles()).containsExactly("integration:sap");
        assertThat(output.getAll()).contains(file.toAbsolutePath().normalize().toString()).contains("source-shop");
        assertThat(byName.values()).allSatisfy(u -> assertThat(output.getAll()).doesNotContain(u.password()));
    }

    @Test
    void eachSourcesGeneratedCredentialPostsItsOwnEventsAndTheSapSandboxUsesTheSapOne() throws IOException {
        Api generated = api.passwords(UsersFile.read(users.file()).stream()
                .collect(Collectors.toMap(UserEntry::name, UserEntry::password)));
        String id = "sap-orders";
        Api.Response deployed = generated.post("/api/definitions", "developer", "application/yaml", """
                id: %s
                triggers:
                  - event: %s
                    source: sap
                steps:
                  - id: noted
                    task: {}
                """.formatted(id, SAP_ORDER_CREATED));
        String event = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/%s\",\"type\":\"com.example.x\"}";

        Api.Response own = generated.post("/events/shop", "source-shop", "application/cloudevents+json",
                event.formatted("e-1", "shop"));
        Api.Response other = generated.post("/events/wms", "source-shop", "application/cloudevents+json",
                event.formatted("e-2", "wms"));

        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        assertThat(own.status()).as(own.body()).isEqualTo(202);
        assertError(other, 403, HubCodes.FORBIDDEN);
        // the demo switch creates orders in the SAP sandbox, which posts their events to /events/sap
        await().atMost(Duration.ofSeconds(60)).until(() -> generated.get("/api/instances?definition=" + id, "operator")
                .json().path("instances").size() > 0);
        assertThat(generated.get("/api/instances?definition=" + id, "operator").json().path("instances").get(0)
                .path("startedBy").asText()).isEqualTo("event:sap");
    }
}
