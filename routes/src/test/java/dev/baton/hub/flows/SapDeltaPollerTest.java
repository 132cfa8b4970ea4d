package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * For gateways that don't push business events: the delta poller reads {@code ChangedAt} /
 * {@code CreatedAt} through camel-sap-netweaver and hands each change to the triggers once.
 */
class SapDeltaPollerTest extends HubTestBase {

    @DynamicPropertySource
    static void pollInsteadOfPush(DynamicPropertyRegistry registry) {
        registry.add("baton.sandboxes.sap.push-events", () -> "false");
        registry.add("baton.connectors.sap.poll.enabled", () -> "true");
        registry.add("baton.connectors.sap.poll.interval", () -> "300ms");
    }

    @Autowired
    SapSandbox sap;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void changedPartnersAndNewOrdersFoundByPollingStartTheirFlowsOnce() {
        String definition = unique("polled");
        assertThat(api.deploy("""
                id: %s
                triggers:
                  - event: sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1
                    source: sap
                    businessKey: '"bp-" & data.BusinessPartner'
                  - event: sap.s4.beh.salesorder.v1.SalesOrder.Created.v1
                    source: sap
                    businessKey: '"so-" & data.SalesOrder'
                steps:
                  - id: noted
                    task: {}
                """.formatted(definition)).status()).isEqualTo(201);
        // The poller starts from now, not from the gateway's history.
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM baton_cursor WHERE name LIKE 'sap:%'", Integer.class) == 2);

        sap.updateBusinessPartner("0100000004", Map.of("PhoneNumber", "+49 89 5555"));
        String order = sap.createSalesOrder("0100000004", List.of(new SapSandbox.Item("HT-1000", 1)), "polled");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keys(definition))
                .containsExactlyInAnyOrder("bp-0100000004", "so-" + order));
        // Later polls see the same changes again (ChangedAt >= watermark) and recognise them.
        long polledAfter = sap.requests();
        await().atMost(Duration.ofSeconds(20)).until(() -> sap.requests() >= polledAfter + 4);
        assertThat(keys(definition)).containsExactlyInAnyOrder("bp-0100000004", "so-" + order);

        sap.updateBusinessPartner("0100000004", Map.of("PhoneNumber", "+49 89 6666"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keys(definition))
                .containsExactlyInAnyOrder("bp-0100000004", "bp-0100000004", "so-" + order));
    }

    private List<String> keys(String definition) {
        JsonNode page = api.get("/api/instances?definition=" + definition + "&limit=1000", TestUsers.OPERATOR).json();
        return Api.toList(page.path("instances")).stream().map(i -> i.path("businessKey").asText()).toList();
    }
}
