package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.HubTestBase;

/**
 * The OAuth JWT bearer flow: camel-salesforce signs an assertion with the connected app's key from a
 * keystore (made here with the JDK's keytool) and exchanges it at the token endpoint. The sandbox checks
 * issuer, subject and expiry, not the signature (it has no certificate to check it against).
 */
class SalesforceJwtLoginTest extends HubTestBase {

    @DynamicPropertySource
    static void jwt(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("baton-jwt-");
        Path keystore = dir.resolve("connected-app.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "baton", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=baton-test", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + new String(keytool.getInputStream().readAllBytes()));
        }
        registry.add("baton.connectors.salesforce.authentication", () -> "JWT");
        registry.add("baton.connectors.salesforce.keystore", () -> "file:" + keystore);
        registry.add("baton.connectors.salesforce.keystore-password", () -> "changeit");
    }

    @Test
    void theHubLogsInWithASignedAssertionAndCallsTheApi() {
        String id = unique("jwt");
        assertThat(api.deploy("""
                id: %s
                steps:
                  - id: accounts
                    call: salesforce.query
                    with: {soql: "SELECT Id FROM Account WHERE SAP_BP_Id__c IN :ids"}
                    input: '{"ids": ["0100000000", "0100000001"]}'
                    output: {accounts: totalSize}
                """.formatted(id)).status()).isEqualTo(201);
        String instance = api.start(id, "jwt", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> !"RUNNING".equals(api.status(instance)));
        assertThat(api.status(instance)).as(api.instance(instance).toString()).isEqualTo("COMPLETED");
        assertThat(api.instance(instance).path("variables").path("accounts").asInt()).isEqualTo(2);
    }
}
