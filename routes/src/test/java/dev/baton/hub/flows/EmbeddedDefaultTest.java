package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * What a newcomer gets from the run command: the examples deployed, the sandboxes listed, and with the
 * demo switch sales orders created in the SAP sandbox moving through order-to-cash.
 */
class EmbeddedDefaultTest extends HubTestBase {

    @DynamicPropertySource
    static void runCommandWithDemo(DynamicPropertyRegistry registry) {
        registry.add("baton.routes-dir", () -> "../examples/routes");
        registry.add("baton.demo.orders-every", () -> "700ms");
    }

    @Test
    void theDemoSwitchMovesOrdersThroughOrderToCash() {
        // HubTestBase deploys no examples: deploy them as the embedded default does
        for (String file : new String[] {"order-to-cash", "account-sync", "order-approval"}) {
            assertThat(api.deploy(read(file)).status()).isIn(200, 201);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> completedOrders() >= 3);
    }

    @Test
    void sandboxesAreListedForThoseWhoConfigureAndNotForAuditors() {
        Api.Response r = api.get("/api/sandboxes", TestUsers.OPERATOR);
        assertThat(r.status()).isEqualTo(200);
        JsonNode sf = r.json().path("salesforce");
        assertThat(sf.path("loginUrl").asText()).startsWith("http://127.0.0.1:");
        assertThat(sf.path("clientId").asText()).isNotBlank();
        assertThat(sf.path("password").asText()).isNotBlank();
        JsonNode sap = r.json().path("sap");
        assertThat(sap.path("serviceUrl").asText()).endsWith("/sap/opu/odata/IWBEP/GWSAMPLE_BASIC");
        assertThat(sap.path("username").asText()).isNotBlank();
        assertThat(api.get("/api/sandboxes", TestUsers.AUDITOR).status()).isEqualTo(403);
        assertThat(api.get("/api/sandboxes", TestUsers.MANAGER).status()).isEqualTo(403);
        assertThat(api.get("/api/sandboxes", null).status()).isEqualTo(401);
    }

    private int completedOrders() {
        return api.get("/api/instances?definition=order-to-cash&status=COMPLETED", TestUsers.OPERATOR).json()
                .path("instances").size();
    }

    private static String read(String name) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("../examples/processes/" + name + ".yaml"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
