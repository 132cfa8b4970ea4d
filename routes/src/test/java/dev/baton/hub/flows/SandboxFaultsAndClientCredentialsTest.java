package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.hub.HubTestBase;

/**
 * The hub logs in to Salesforce with the OAuth client-credentials flow, and the sandboxes' failure
 * injection is set by configuration alone: SAP answering 429 to a third of the requests and slowly.
 */
class SandboxFaultsAndClientCredentialsTest extends HubTestBase {

    @DynamicPropertySource
    static void configuration(DynamicPropertyRegistry registry) {
        registry.add("baton.connectors.salesforce.authentication", () -> "CLIENT_CREDENTIALS");
        registry.add("baton.sandboxes.sap.faults.throttle-rate", () -> "0.33");
        registry.add("baton.sandboxes.sap.faults.latency", () -> "20ms");
    }

    @Autowired
    SapSandbox sap;

    @Test
    void callsThroughARateLimitedSlowGatewayAndAClientCredentialsLoginAllComplete() {
        String id = unique("faulty");
        assertThat(api.deploy("""
                id: %s
                retry: {attempts: 10, backoff: PT0.2S, multiplier: 1.5, maxBackoff: PT2S}
                steps:
                  - id: partner
                    call: sap.read
                    with: {command: "BusinessPartnerSet('{id}')"}
                    input: '{"id": partner}'
                    output: {name: CompanyName}
                    next: account
                  - id: account
                    call: salesforce.query
                    with: {soql: "SELECT Id, Name FROM Account WHERE SAP_BP_Id__c = :partner"}
                    input: '{"partner": partner}'
                    output: {accounts: totalSize}
                """.formatted(id)).status()).isEqualTo(201);
        assertThat(sap.faults().throttleRate()).isEqualTo(0.33);
        assertThat(sap.faults().latency()).isEqualTo(Duration.ofMillis(20));
        List<String> instances = List.of("0100000000", "0100000001", "0100000002", "0100000003").stream()
                .map(p -> api.start(id, p, Map.of("partner", p))).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream()
                .allMatch(i -> "COMPLETED".equals(api.status(i))));
        for (String i : instances) {
            JsonNode v = api.instance(i).path("variables");
            assertThat(v.path("name").asText()).isNotBlank();
            assertThat(v.path("accounts").asInt()).isEqualTo(1);
        }
    }
}
