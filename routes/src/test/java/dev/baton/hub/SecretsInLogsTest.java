package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.baton.connectors.salesforce.SalesforceProperties;
import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.SapProperties;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.governance.access.UserEntry;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * No secret in the log: the start-up banner names the sandboxes and where their credentials are
 * ({@code GET /api/sandboxes}, for the roles that may see them) but prints none of them, nor a user's
 * password; URLs are printed with their password parameters masked; and what holds a secret prints
 * {@code ****} for it, whoever prints it.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsTest extends HubTestBase {

    @Autowired
    SalesforceSandbox salesforce;

    @Autowired
    SapSandbox sap;

    @Test
    void theStartUpBannerPointsToTheSandboxesCredentialsAndPrintsNone(CapturedOutput output) {
        // given: the banner is out once the hub is ready
        String banner = output.getAll();
        assertThat(banner).contains("Baton is ready").contains(salesforce.loginUrl()).contains(sap.serviceUrl())
                .contains("GET /api/sandboxes");

        // when: who may see them asks where they are
        Api.Response sandboxes = api.get("/api/sandboxes", TestUsers.DEVELOPER);

        // then: the API has them, the log does not
        assertThat(sandboxes.body()).contains(salesforce.clientSecret()).contains(salesforce.password())
                .contains(sap.password());
        assertThat(secrets()).allSatisfy(secret -> assertThat(output.getAll()).doesNotContain(secret));
    }

    @Test
    void urlsInTheLogHaveTheirPasswordsMasked() {
        assertThat(Startup.withoutSecrets("jdbc:postgresql://db:5432/baton?user=baton&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/baton?user=baton&password=****&ssl=true");
        assertThat(Startup.withoutSecrets("jdbc:h2:file:./data/db/baton;PASSWORD=s3cr3t;LOCK_TIMEOUT=10000"))
                .doesNotContain("s3cr3t").contains("LOCK_TIMEOUT=10000");
        assertThat(Startup.withoutSecrets("(tcp://a:61616)?user=hub&password=s3cr3t&ha=true"))
                .doesNotContain("s3cr3t").contains("ha=true");
    }

    @Test
    void whatHoldsASecretPrintsItMasked() {
        SalesforceProperties sf = new SalesforceProperties("https://login.example.com", null, "client", "client-S3cret",
                "user", "user-S3cret", "keys.p12", "keystore-S3cret", null, 0, null, null, true);
        SapProperties gw = new SapProperties("https://gw.example.com", "RFC", "rfc-S3cret", Duration.ofSeconds(1), 0,
                null, null);
        UserEntry user = new UserEntry("ops", "ops-S3cret", List.of("operator"));

        assertThat(List.of(sf.toString(), gw.toString(), user.toString(), salesforce.toString(), sap.toString()))
                .allSatisfy(printed -> assertThat(printed).doesNotContain("S3cret").doesNotContain(sap.password())
                        .doesNotContain(salesforce.clientSecret()).doesNotContain(salesforce.password()));
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(salesforce.clientSecret(), salesforce.password(), sap.password()));
        for (String user : List.of(TestUsers.ADMIN, TestUsers.DEVELOPER, TestUsers.OPERATOR, TestUsers.AUDITOR,
                TestUsers.INTEGRATION, TestUsers.SHOP, TestUsers.MANAGER)) {
            secrets.add(TestUsers.password(user));
        }
        return secrets;
    }
}
