package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.TestUsers;

/**
 * account-sync end to end: Salesforce change events (CometD, the real camel-salesforce consumer) and
 * SAP business-partner events keep Accounts and business partners equal, once, without echo loops,
 * by the stated conflict rule.
 */
class AccountSyncTest extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSON = "mia.jones@example.com";
    private static final String ADMIN_PERSON = "ava.brown@example.com";

    @Autowired
    SalesforceSandbox salesforce;

    @Autowired
    SapSandbox sap;

    @Autowired
    JdbcTemplate jdbc;

    private boolean deployed;

    @BeforeEach
    void alignAndDeploy() throws Exception {
        if (deployed) {
            return;
        }
        // Before the flow exists: make both sides agree on the partners these tests use, so the only
        // differences are the ones a test makes; wait until the hub has taken in those edits' events.
        for (String partner : List.of("0100000001", "0100000002", "0100000003")) {
            Map<String, Object> bp = sap.businessPartner(partner).orElseThrow();
            salesforce.update("Account", account(partner).get("Id").toString(), Map.of(
                    "Name", bp.get("CompanyName"), "Phone", bp.get("PhoneNumber"), "Website", bp.get("WebAddress")),
                    ADMIN_PERSON);
        }
        long published = lastAccountReplayId();
        await().atMost(Duration.ofSeconds(30)).until(() -> takenInUpTo() >= published);
        assertThat(api.deploy(Files.readString(Path.of("../examples/processes/account-sync.yaml"))).status())
                .isIn(200, 201);
        deployed = true;
    }

    @Test
    void anAccountRenamedInSalesforceRenamesItsBusinessPartnerOnceAndNothingComesBack() {
        String partner = "0100000001";
        String accountId = account(partner).get("Id").toString();
        int writesBefore = sap.writeCount("BusinessPartnerSet", partner);
        int eventsBefore = salesforce.changeEvents().size();
        int base = completed();

        salesforce.update("Account", accountId, Map.of("Name", "Becker Berlin GmbH"), PERSON);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "Becker Berlin GmbH".equals(sap.businessPartner(partner).orElseThrow().get("CompanyName")));
        awaitAllSyncsDone(base + 2); // Salesforce → SAP, then SAP's own event → nothing to do
        assertThat(sap.writeCount("BusinessPartnerSet", partner)).isEqualTo(writesBefore + 1);
        List<JsonNode> since = changeEventsSince(eventsBefore);
        assertThat(since).as("only the person's own edit; the hub wrote nothing to Salesforce")
                .extracting(e -> e.path("ChangeEventHeader").path("commitUser").asText())
                .containsExactly(salesforce.userId(PERSON));
        assertThat(account(partner).get("Name")).isEqualTo("Becker Berlin GmbH");
    }

    @Test
    void aPartnerChangedInSapUpdatesTheAccountAndTheHubsOwnWriteIsNotEchoed() {
        String partner = "0100000003";
        int writesBefore = sap.writeCount("BusinessPartnerSet", partner);
        int eventsBefore = salesforce.changeEvents().size();
        int base = completed();

        sap.updateBusinessPartner(partner, Map.of("CompanyName", "Talpa AG", "WebAddress", "https://talpa.example"));

        await().atMost(Duration.ofSeconds(30)).until(() -> "Talpa AG".equals(account(partner).get("Name"))
                && "https://talpa.example".equals(account(partner).get("Website")));
        awaitAllSyncsDone(base + 1);
        List<JsonNode> since = changeEventsSince(eventsBefore);
        assertThat(since).extracting(e -> e.path("ChangeEventHeader").path("commitUser").asText())
                .containsExactly(salesforce.integrationUserId()); // the hub's upsert, dropped on arrival
        assertThat(sap.writeCount("BusinessPartnerSet", partner)).isEqualTo(writesBefore + 1); // the person's
    }

    @Test
    void concurrentRenamesOnBothSidesEndWithTheLaterCommitOnBoth() {
        String partner = "0100000002";
        String accountId = account(partner).get("Id").toString();
        int base = completed();

        // Salesforce first, SAP a moment later: SAP's name is the later commit.
        salesforce.update("Account", accountId, Map.of("Name", "DelBont (Salesforce edit)"), PERSON);
        sap.updateBusinessPartner(partner, Map.of("CompanyName", "DelBont (SAP edit)"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "DelBont (SAP edit)".equals(account(partner).get("Name")));
        awaitAllSyncsDone(base + 2); // SAP's event → Account renamed; Salesforce's event → SAP is later: nothing
        assertThat(sap.businessPartner(partner).orElseThrow().get("CompanyName")).isEqualTo("DelBont (SAP edit)");
        assertThat(account(partner).get("Name")).isEqualTo("DelBont (SAP edit)");

        // SAP first, Salesforce a moment later: Salesforce's name is the later commit.
        sap.updateBusinessPartner(partner, Map.of("CompanyName", "DelBont Industries (SAP)"));
        // "Later" is by the systems' millisecond clocks: a tie goes to SAP, so make Salesforce's commit later.
        Instant sapCommit = (Instant) sap.businessPartner(partner).orElseThrow().get("ChangedAt");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().isAfter(sapCommit));
        salesforce.update("Account", accountId, Map.of("Name", "DelBont Industries (Salesforce)"), PERSON);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DelBont Industries (Salesforce)".equals(
                sap.businessPartner(partner).orElseThrow().get("CompanyName")));
        awaitAllSyncsDone(base + 5); // + SAP's event → nothing; Salesforce's → partner renamed; its SAP event → nothing
        assertThat(account(partner).get("Name")).isEqualTo("DelBont Industries (Salesforce)");
        assertThat(sap.businessPartner(partner).orElseThrow().get("CompanyName"))
                .isEqualTo("DelBont Industries (Salesforce)");
    }

    @Test
    void phoneBelongsToSalesforceAndWebsiteToSapWhateverTheTimes() {
        String partner = "0100000002";
        String accountId = account(partner).get("Id").toString();
        String sapWeb = String.valueOf(sap.businessPartner(partner).orElseThrow().get("WebAddress"));
        int base = completed();

        // A Salesforce user changes the website (SAP's field) and the phone (Salesforce's field).
        salesforce.update("Account", accountId, Map.of("Website", "https://elsewhere.example", "Phone", "+49 30 1234"),
                PERSON);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "+49 30 1234".equals(sap.businessPartner(partner).orElseThrow().get("PhoneNumber")));
        // SAP's event for the phone change → the Account's website set back to SAP's
        await().atMost(Duration.ofSeconds(30)).until(() -> sapWeb.equals(account(partner).get("Website")));
        awaitAllSyncsDone(base + 2);
        assertThat(sap.businessPartner(partner).orElseThrow().get("WebAddress")).isEqualTo(sapWeb);
    }

    @Test
    void anAccountCreatedInSalesforceGetsABusinessPartnerOnceAndIsLinkedToIt() {
        int partnersBefore = sap.businessPartners().size();
        int base = completed();
        String accountId = salesforce.create("Account", Map.of("Name", "Kiwi Logistics Ltd", "Phone", "+64 9 555 0100",
                "Website", "https://kiwi.example"), PERSON);

        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.records("Account").stream()
                .filter(a -> accountId.equals(a.get("Id"))).anyMatch(a -> a.get("SAP_BP_Id__c") != null));
        String partner = String.valueOf(salesforce.records("Account").stream()
                .filter(a -> accountId.equals(a.get("Id"))).findFirst().orElseThrow().get("SAP_BP_Id__c"));
        awaitAllSyncsDone(base + 1);
        Map<String, Object> bp = sap.businessPartner(partner).orElseThrow();
        assertThat(bp.get("CompanyName")).isEqualTo("Kiwi Logistics Ltd");
        assertThat(bp.get("PhoneNumber")).isEqualTo("+64 9 555 0100");
        assertThat(sap.businessPartners()).hasSize(partnersBefore + 1);

        // An Account whose company SAP already knows is linked to that partner, not given a second one.
        String known = String.valueOf(sap.businessPartner("0100000005").orElseThrow().get("CompanyName"));
        String twin = salesforce.create("Account", Map.of("Name", known), PERSON);
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.records("Account").stream()
                .filter(a -> twin.equals(a.get("Id"))).anyMatch(a -> "0100000005".equals(a.get("SAP_BP_Id__c"))));
        assertThat(sap.businessPartners()).hasSize(partnersBefore + 1);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /**
     * The replay id up to which the hub has taken in Account change events: its connector's durable cursor, written
     * after each event is taken in. (The events table holds only events that started or resumed something.)
     */
    private long takenInUpTo() {
        return jdbc.queryForList("SELECT position FROM baton_cursor WHERE name LIKE 'salesforce:%/data/AccountChangeEvent'",
                String.class).stream().mapToLong(Long::parseLong).max().orElse(-1);
    }

    /** The replay id of the newest Account change event the org has published. */
    private long lastAccountReplayId() {
        long last = -1;
        for (Map<String, Object> e : salesforce.changeEvents()) {
            JsonNode n = JSON.valueToTree(e);
            if ("Account".equals(n.path("payload").path("ChangeEventHeader").path("entityName").asText())) {
                last = Math.max(last, n.path("event").path("replayId").asLong());
            }
        }
        return last;
    }

    private Map<String, Object> account(String partner) {
        return salesforce.findBy("Account", "SAP_BP_Id__c", partner).orElseThrow();
    }

    private List<JsonNode> changeEventsSince(int index) {
        List<Map<String, Object>> all = salesforce.changeEvents();
        List<JsonNode> accounts = new ArrayList<>();
        for (Map<String, Object> e : all.subList(index, all.size())) {
            JsonNode n = JSON.valueToTree(e);
            JsonNode payload = n.has("payload") ? n.path("payload") : n;
            if ("Account".equals(payload.path("ChangeEventHeader").path("entityName").asText())) {
                accounts.add(payload);
            }
        }
        return accounts;
    }

    /** Waits until account-sync has no instance in flight and at least {@code atLeast} have completed. */
    private void awaitAllSyncsDone(int atLeast) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode running = api.get("/api/instances?definition=account-sync&status=RUNNING", TestUsers.OPERATOR)
                    .json();
            assertThat(running.path("instances")).isEmpty();
            assertThat(completed()).isGreaterThanOrEqualTo(atLeast);
        });
        JsonNode failed = api.get("/api/instances?definition=account-sync&status=FAILED", TestUsers.OPERATOR).json();
        assertThat(failed.path("instances")).as("failed account-sync instances: " + api.incidents()).isEmpty();
    }

    private int completed() {
        return api.get("/api/instances?definition=account-sync&status=COMPLETED&limit=1000", TestUsers.OPERATOR).json()
                .path("instances").size();
    }
}
