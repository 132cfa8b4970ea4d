package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.SalesforceRest;
import dev.baton.hub.support.TestUsers;

/**
 * order-to-cash end to end on the embedded default: the SAP sandbox emits SalesOrder.Created to the
 * hub's /events/sap, the real camel-sap-netweaver reads the order, the real camel-salesforce upserts
 * Account and Opportunity into the Salesforce sandbox, camel-http confirms the order in SAP.
 */
class OrderToCashTest extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void examples(DynamicPropertyRegistry registry) {
        registry.add("baton.routes-dir", () -> "../examples/routes");
    }

    @Autowired
    SalesforceSandbox salesforce;

    @Autowired
    SapSandbox sap;

    @Autowired
    JdbcTemplate jdbc;

    private SalesforceRest rest;

    @BeforeEach
    void deployExample() throws Exception {
        rest = new SalesforceRest(salesforce);
        salesforce.faults().clear();
        String yaml = Files.readString(Path.of("../examples/processes/order-to-cash.yaml"));
        Api.Response deployed = api.deploy(yaml);
        assertThat(deployed.status()).as(deployed.body()).isIn(200, 201);
    }

    @Test
    void hundredOrdersBecomeExactlyHundredOpportunitiesWithEveryFieldMappedAndReplayingTheirEventsChangesNothing()
            throws Exception {
        List<String> customers = partnerIds();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            orders.add(sap.createSalesOrder(customers.get(i % customers.size()),
                    List.of(new SapSandbox.Item("HT-1000", 1 + i % 3)), "test order " + i));
        }
        awaitCompleted(orders, Duration.ofMinutes(3));

        Map<String, JsonNode> byOrder = opportunities(orders);
        assertThat(byOrder).hasSize(100);
        for (String id : orders) {
            Map<String, Object> order = sap.salesOrder(id).orElseThrow();
            Map<String, Object> partner = sap.businessPartner(String.valueOf(order.get("CustomerID"))).orElseThrow();
            JsonNode opp = byOrder.get(id);
            assertThat(opp.path("Name").asText()).isEqualTo(partner.get("CompanyName") + " / SAP order " + id);
            assertThat(opp.path("Amount").decimalValue()).isEqualByComparingTo(String.valueOf(order.get("GrossAmount")));
            assertThat(opp.path("SAP_Currency__c").asText()).isEqualTo(order.get("CurrencyCode"));
            assertThat(opp.path("StageName").asText()).isEqualTo("Closed Won");
            long created = createdAt(order);
            assertThat(opp.path("CloseDate").asText()).isEqualTo(
                    Instant.ofEpochMilli(created).plus(Duration.ofDays(30)).atZone(ZoneOffset.UTC).toLocalDate().toString());
            JsonNode account = rest.query("SELECT Id, Name, SAP_BP_Id__c FROM Account WHERE Id = '"
                    + opp.path("AccountId").asText() + "'").get(0);
            assertThat(account.path("SAP_BP_Id__c").asText()).isEqualTo(order.get("CustomerID"));
        }
        assertThat(confirmed(orders)).isEqualTo(100);

        // The same 100 events once more: recognised by their ids, nothing started, nothing written.
        long calls = salesforce.apiCalls();
        List<Map<String, Object>> events = jdbc.queryForList("SELECT source, id FROM baton_event WHERE type = ?",
                "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1");
        assertThat(events).hasSizeGreaterThanOrEqualTo(100);
        for (Map<String, Object> e : events) {
            Map<String, Object> ce = new HashMap<>();
            ce.put("specversion", "1.0");
            ce.put("id", e.get("ID"));
            ce.put("source", e.get("SOURCE"));
            ce.put("type", "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1");
            Api.Response r = api.post("/events/sap", TestUsers.INTEGRATION, "application/cloudevents+json",
                    JSON.writeValueAsString(ce));
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(opportunities(orders)).hasSize(100);
        assertThat(salesforce.apiCalls() - calls).isEqualTo(1); // only the check's own query
    }

    @Test
    void aLargeOrderWaitsForTheSalesManagerAndEscalatesToTheDirectorWhenTheTimeoutPasses() throws Exception {
        String yaml = Files.readString(Path.of("../examples/processes/order-to-cash.yaml"))
                .replace("timeout: {after: PT4H, next: director-approval}", "timeout: {after: PT3S, next: director-approval}");
        Api.Response deployed = api.deploy(yaml);
        assertThat(deployed.status()).as(deployed.body()).isIn(200, 201);
        String customer = partnerIds().get(0);

        String approved = sap.createSalesOrder(customer, List.of(new SapSandbox.Item(expensiveProduct(), 5)), "large");
        JsonNode task = awaitTask(TestUsers.MANAGER, approved);
        assertThat(task.path("candidateRoles").toString()).contains("sales-manager");
        assertThat(api.tasks(TestUsers.CLERK)).noneMatch(t -> t.path("id").equals(task.path("id")));
        Api.Response done = api.postJson("/api/tasks/" + task.path("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", true)));
        assertThat(done.status()).isEqualTo(200);
        awaitCompleted(List.of(approved), Duration.ofSeconds(30));
        assertThat(confirmed(List.of(approved))).isEqualTo(1);
        assertAuditTrail(approved);

        String escalated = sap.createSalesOrder(customer, List.of(new SapSandbox.Item(expensiveProduct(), 6)), "large");
        awaitTask(TestUsers.MANAGER, escalated);
        JsonNode directors = awaitTask(TestUsers.DIRECTOR, escalated);
        assertThat(directors.path("candidateRoles").toString()).contains("sales-director");
        assertThat(api.tasks(TestUsers.MANAGER)).noneMatch(t -> instanceOf(escalated).equals(t.path("instanceId").asText()));
        assertThat(confirmed(List.of(escalated))).isZero();
    }

    @Test
    void anEventNamingAnOrderThatDoesNotExistBecomesAnIncidentNamingTheOrderAndTheCommand() {
        Map<String, Object> ce = Map.of("specversion", "1.0", "id", "missing-1", "source", "/test",
                "type", "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1", "data", Map.of("SalesOrder", "0599999999"));
        Api.Response r = api.postJson("/events/sap", TestUsers.INTEGRATION, ce);
        assertThat(r.status()).isEqualTo(202);
        JsonNode incident = await().atMost(Duration.ofSeconds(30)).until(() -> api.incidents().stream()
                .filter(i -> i.path("error").asText().contains("0599999999")).findFirst().orElse(null), i -> i != null);
        assertThat(incident.path("step").asText()).isEqualTo("read-order");
        assertThat(incident.path("error").asText()).contains("SalesOrderSet('0599999999')?$expand=ToLineItems")
                .contains("404");
        assertThat(incident.path("code").asText()).isEqualTo("BATON-SAP-404");
    }

    @Test
    void salesforceDownForThirtySecondsThenHealthyEveryFlowCompletesAndNoneTwice() throws Exception {
        List<String> customers = partnerIds();
        salesforce.faults().downFor(Duration.ofSeconds(30));
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            orders.add(sap.createSalesOrder(customers.get(i % customers.size()),
                    List.of(new SapSandbox.Item("HT-1000", 1)), "during outage " + i));
        }
        awaitCompleted(orders, Duration.ofMinutes(3));
        assertThat(opportunities(orders)).hasSize(10);
        Map<String, Long> creates = salesforce.changeEvents().stream()
                .map(e -> payload(e))
                .filter(p -> "Opportunity".equals(header(p).path("entityName").asText())
                        && "CREATE".equals(header(p).path("changeType").asText()))
                .collect(Collectors.groupingBy(p -> p.path("SAP_Order_Id__c").asText(), Collectors.counting()));
        for (String id : orders) {
            assertThat(creates.get(id)).as("Opportunity creations for order " + id).isEqualTo(1L);
        }
        assertThat(confirmed(orders)).isEqualTo(10);

        // The change-event subscription lived through the outage too.
        long taken = takenInUpTo();
        String account = String.valueOf(salesforce.records("Account").get(0).get("Id"));
        salesforce.update("Account", account, Map.of("Description", "edited after the outage"), "mia.jones@example.com");
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).until(() -> takenInUpTo() > taken);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /**
     * The replay id up to which the hub has taken in Account change events: its connector's durable cursor, written
     * after each event is taken in (account-sync is not deployed here, so the events table does not keep them).
     */
    private long takenInUpTo() {
        return jdbc.queryForList("SELECT position FROM baton_cursor WHERE name LIKE 'salesforce:%/data/AccountChangeEvent'",
                String.class).stream().mapToLong(Long::parseLong).max().orElse(-1);
    }

    private List<String> partnerIds() {
        return sap.businessPartners().stream().map(p -> String.valueOf(p.get("BusinessPartnerID")))
                .filter(id -> jdbc.queryForObject("SELECT COUNT(*) FROM legacy_credit_limit WHERE customer_id = ?",
                        Integer.class, id) > 0)
                .sorted().toList();
    }

    /**
     * What an auditor entering the sales-order number sees: every hand-off, connector call and approval of
     * the order, oldest first, each with who or what did it and the instance's trace id.
     */
    private void assertAuditTrail(String salesOrder) {
        String traceId = api.get("/api/instances?definition=order-to-cash&businessKey=" + salesOrder,
                TestUsers.OPERATOR).json().path("instances").path(0).path("traceId").asText();
        List<JsonNode> entries = Api.toList(api.get("/api/audit?businessKey=" + salesOrder + "&limit=1000",
                TestUsers.AUDITOR).json().path("entries"));
        assertThat(entries).extracting(e -> e.path("eventType").asText() + " " + e.path("step").asText("") + " "
                + e.path("actor").asText()).containsSubsequence(
                "INSTANCE_STARTED  event:sap",
                "CONNECTOR_CALLED read-order connector:sap", "STEP_EXECUTED read-order system",
                "CONNECTOR_CALLED read-customer connector:sap", "STEP_EXECUTED read-customer system",
                "CONNECTOR_CALLED check-credit connector:route", "STEP_EXECUTED check-credit system",
                "CONNECTOR_CALLED upsert-account-and-opportunity connector:salesforce",
                "STEP_EXECUTED upsert-account-and-opportunity system",
                "STEP_WAITING manager-approval system",
                "COMPLETE_TASK manager-approval " + TestUsers.MANAGER,
                "TASK_COMPLETED manager-approval " + TestUsers.MANAGER,
                "CONNECTOR_CALLED confirm connector:sap", "STEP_EXECUTED confirm system");
        assertThat(entries).anyMatch(e -> e.path("eventType").asText().equals("EVENT_RECEIVED")
                && e.path("summary").asText().contains("sap.s4.beh.salesorder.v1.SalesOrder.Created.v1"));
        assertThat(entries).allSatisfy(e -> assertThat(e.path("traceId").asText()).isEqualTo(traceId));
        assertThat(entries).filteredOn(e -> e.path("eventType").asText().equals("CONNECTOR_CALLED"))
                .allSatisfy(e -> assertThat(e.path("summary").asText()).doesNotContain("failed"));
        for (int i = 1; i < entries.size(); i++) {
            assertThat(Instant.parse(entries.get(i).path("time").asText()))
                    .isAfterOrEqualTo(Instant.parse(entries.get(i - 1).path("time").asText()));
        }
    }

    /** 25,000.00 EUR a piece in the sandbox's catalogue. */
    private String expensiveProduct() {
        return "HT-1502";
    }

    private String instanceOf(String salesOrder) {
        JsonNode page = api.get("/api/instances?definition=order-to-cash&businessKey=" + salesOrder,
                TestUsers.OPERATOR).json();
        return page.path("instances").path(0).path("id").asText();
    }

    private JsonNode awaitTask(String user, String salesOrder) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            String instance = instanceOf(salesOrder);
            return api.tasks(user).stream().filter(t -> t.path("instanceId").asText().equals(instance))
                    .findFirst().orElse(null);
        }, t -> t != null);
    }

    /**
     * camel-salesforce's streaming client throws "Invalid state UNCONNECTED" on a worker thread while
     * the org is down, and recovers by itself; that is not this test's failure.
     */
    private void awaitCompleted(List<String> orders, Duration atMost) {
        await().dontCatchUncaughtExceptions().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Set<String> done = new java.util.HashSet<>();
            String cursor = null;
            do {
                JsonNode page = api.get("/api/instances?definition=order-to-cash&status=COMPLETED&limit=1000"
                        + (cursor == null ? "" : "&cursor=" + cursor), TestUsers.OPERATOR).json();
                page.path("instances").forEach(i -> done.add(i.path("businessKey").asText()));
                cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
            } while (cursor != null);
            assertThat(done).containsAll(orders);
        });
    }

    private Map<String, JsonNode> opportunities(List<String> orders) throws Exception {
        String in = orders.stream().map(o -> "'" + o + "'").collect(Collectors.joining(", "));
        Map<String, JsonNode> byOrder = new HashMap<>();
        for (JsonNode o : rest.query("SELECT Id, Name, Amount, SAP_Currency__c, CloseDate, StageName, AccountId, "
                + "SAP_Order_Id__c FROM Opportunity WHERE SAP_Order_Id__c IN (" + in + ")")) {
            assertThat(byOrder.put(o.path("SAP_Order_Id__c").asText(), o)).as("duplicate Opportunity").isNull();
        }
        return byOrder;
    }

    private long confirmed(List<String> orders) {
        return orders.stream().map(id -> sap.salesOrder(id).orElseThrow())
                .filter(o -> "P".equals(o.get("LifecycleStatus"))) // SalesOrder_Confirm: N → P (in process)
                .count();
    }

    private static long createdAt(Map<String, Object> order) {
        Object v = order.get("CreatedAt");
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof Instant i) {
            return i.toEpochMilli();
        }
        String s = String.valueOf(v);
        return Long.parseLong(s.replaceAll("[^0-9]", ""));
    }

    private static JsonNode payload(Map<String, Object> event) {
        JsonNode n = JSON.valueToTree(event);
        return n.has("payload") ? n.path("payload") : n;
    }

    private static JsonNode header(JsonNode payload) {
        return payload.path("ChangeEventHeader");
    }
}
