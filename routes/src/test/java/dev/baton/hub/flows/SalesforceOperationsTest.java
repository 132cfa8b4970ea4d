package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.hub.HubTestBase;

/** The salesforce.* operations from a process, through camel-salesforce, against the sandbox. */
class SalesforceOperationsTest extends HubTestBase {

    @Autowired
    SalesforceSandbox salesforce;

    @Test
    void batchedUpsertPagedQueryReadByExternalIdUpdateAndReadBack() {
        String id = unique("sf-ops");
        assertThat(api.deploy("""
                id: %s
                steps:
                  - id: load
                    call: salesforce.upsertMany
                    with: {sObject: Account, externalId: SAP_BP_Id__c}
                    input: '[1..450].{"SAP_BP_Id__c": "T" & $pad($string($), -6, "0"), "Name": "Bulk " & $string($)}'
                    output: {loaded: "$count($[success = true])", created: "$count($[created = true])"}
                    next: count
                  - id: count
                    call: salesforce.query
                    with:
                      soql: "SELECT Id, Name FROM Account WHERE Name LIKE :pattern ORDER BY Name"
                      batchSize: 200
                    input: '{"pattern": "Bulk %%"}'
                    output: {found: totalSize, listed: "$count(records)"}
                    next: one
                  - id: one
                    call: salesforce.get
                    with: {sObject: Account, externalId: SAP_BP_Id__c, fields: [Id, Name]}
                    input: '{"SAP_BP_Id__c": "T000042"}'
                    output: {name: Name, accountId: Id}
                    next: rename
                  - id: rename
                    call: salesforce.update
                    with: {sObject: Account}
                    input: '{"Id": accountId, "Name": "Renamed 42"}'
                    next: reread
                  - id: reread
                    call: salesforce.get
                    with: {sObject: Account, fields: [Name]}
                    input: '{"Id": accountId}'
                    output: {renamed: Name}
                """.formatted(id)).status()).isEqualTo(201);
        long calls = salesforce.apiCalls();

        String instance = api.start(id, "ops", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(api.status(instance)));

        JsonNode v = api.instance(instance).path("variables");
        assertThat(api.status(instance)).as(api.instance(instance).toString()).isEqualTo("COMPLETED");
        assertThat(v.path("loaded").asInt()).isEqualTo(450);
        assertThat(v.path("created").asInt()).isEqualTo(450);
        assertThat(v.path("found").asInt()).isEqualTo(450);
        assertThat(v.path("listed").asInt()).isEqualTo(450);
        assertThat(v.path("name").asText()).isEqualTo("Bulk 42");
        assertThat(v.path("renamed").asText()).isEqualTo("Renamed 42");
        // 450 records in 3 collection calls, 3 query pages, then get, update, get: batching where the API allows
        assertThat(salesforce.apiCalls() - calls).isEqualTo(3 + 3 + 3);
    }

    @Test
    void upsertsTogetherAreAllOrNoneAndAFailedOneNamesItsRecordAndField() {
        String id = unique("sf-together");
        assertThat(api.deploy("""
                id: %s
                steps:
                  - id: both
                    call: salesforce.upsertTogether
                    input: |
                      [{"sObject": "Account", "externalId": "SAP_BP_Id__c",
                        "record": {"SAP_BP_Id__c": "T-NEW-1", "Name": "All or none"}},
                       {"sObject": "Opportunity", "externalId": "SAP_Order_Id__c",
                        "record": {"SAP_Order_Id__c": "T-ORDER-1", "Account": {"SAP_BP_Id__c": "T-NEW-1"},
                                   "Name": "no stage", "CloseDate": "2026-12-31"}}]
                    retry: {attempts: 1}
                """.formatted(id)).status()).isEqualTo(201);
        String instance = api.start(id, "together", Map.of());
        JsonNode incident = await().atMost(Duration.ofSeconds(30)).until(() -> api.incidents().stream()
                .filter(i -> i.path("instanceId").asText().equals(instance)).findFirst().orElse(null), i -> i != null);
        assertThat(incident.path("code").asText()).isEqualTo("BATON-SF-400");
        assertThat(incident.path("error").asText()).contains("REQUIRED_FIELD_MISSING").contains("StageName")
                .contains("Opportunity SAP_Order_Id__c=T-ORDER-1");
        assertThat(incident.path("details").toString()).contains("fields=StageName");
        assertThat(salesforce.findBy("Account", "SAP_BP_Id__c", "T-NEW-1")).as("rolled back with the Opportunity")
                .isEmpty();
    }
}
