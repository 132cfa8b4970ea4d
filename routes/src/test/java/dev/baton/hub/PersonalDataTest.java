package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.baton.hub.privacy.PersonalDataService;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Personal fields as users meet them: masked for callers without clearance, shown to admins and
 * holders of {@code personal-data}; erased by business key; purged after the retention.
 */
class PersonalDataTest extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EMAIL = "ann.example@mail.test";
    private static final String NAME = "Ann Example";

    @Autowired
    private PersonalDataService privacy;

    /** Waits for a sales manager, then greets the contact by name: the later step reads a personal field. */
    private String deployedSignup(String personal) {
        Api.Response r = api.deploy("""
                id: %s
                personal: [%s]
                steps:
                  - id: approve
                    human: {title: "Approve the signup", roles: [sales-manager]}
                    next: greet
                  - id: greet
                    task: {set: {greeting: "'Dear ' & contactName"}}
                """.formatted(unique("signup"), personal));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static Map<String, Object> customerVariables() {
        return Map.of("orderId", "SO-77", "contactName", NAME,
                "customer", Map.of("email", EMAIL, "tier", "gold",
                        "addresses", List.of(Map.of("street", "Main St 1", "city", "Berlin"))));
    }

    private JsonNode instanceAs(String user, String id) {
        Api.Response r = api.get("/api/instances/" + id, user);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonNode taskOf(String instance, String user) {
        await().atMost(WAIT).until(() -> api.tasks(user).stream()
                .anyMatch(t -> t.get("instanceId").asText().equals(instance)));
        return api.tasks(user).stream().filter(t -> t.get("instanceId").asText().equals(instance)).findFirst()
                .orElseThrow();
    }

    @Test
    void shouldShowPersonalFieldsOnlyToAdminsAndHoldersOfPersonalData() {
        // given: a definition marking the e-mail, the street of every address, the name and the business key
        String definition = deployedSignup("customer.email, customer.addresses.street, contactName, businessKey");
        String id = api.start(definition, "CUST-4711", customerVariables());
        taskOf(id, TestUsers.ADMIN);

        // when: an operator, an auditor, an admin and an operator cleared for personal data read the instance
        JsonNode operator = instanceAs(TestUsers.OPERATOR, id);
        JsonNode auditor = instanceAs(TestUsers.AUDITOR, id);
        JsonNode admin = instanceAs(TestUsers.ADMIN, id);
        JsonNode cleared = instanceAs(TestUsers.CLEARED_OPERATOR, id);

        // then: without clearance the personal fields read *** and the rest is as it was
        for (JsonNode masked : List.of(operator, auditor)) {
            assertThat(masked.at("/variables/customer/email").asText()).isEqualTo("***");
            assertThat(masked.at("/variables/customer/addresses/0/street").asText()).isEqualTo("***");
            assertThat(masked.at("/variables/customer/addresses/0/city").asText()).isEqualTo("Berlin");
            assertThat(masked.at("/variables/contactName").asText()).isEqualTo("***");
            assertThat(masked.at("/variables/customer/tier").asText()).isEqualTo("gold");
            assertThat(masked.at("/variables/orderId").asText()).isEqualTo("SO-77");
            assertThat(masked.get("businessKey").asText()).isEqualTo("***");
            assertThat(masked.toString()).doesNotContain(EMAIL, NAME, "Main St 1", "CUST-4711");
        }
        for (JsonNode shown : List.of(admin, cleared)) {
            assertThat(shown.at("/variables/customer/email").asText()).isEqualTo(EMAIL);
            assertThat(shown.at("/variables/customer/addresses/0/street").asText()).isEqualTo("Main St 1");
            assertThat(shown.at("/variables/contactName").asText()).isEqualTo(NAME);
            assertThat(shown.get("businessKey").asText()).isEqualTo("CUST-4711");
        }
        // and the list shows the business key the same way
        JsonNode listed = api.get("/api/instances?definition=" + definition, TestUsers.OPERATOR).json();
        assertThat(listed.at("/instances/0/businessKey").asText()).isEqualTo("***");
        assertThat(api.get("/api/instances?definition=" + definition, TestUsers.ADMIN).json()
                .at("/instances/0/businessKey").asText()).isEqualTo("CUST-4711");
    }

    @Test
    void shouldMaskTaskVariablesForApproversWithoutClearance() {
        // given: a signup waiting for a sales manager
        String definition = deployedSignup("customer.email, contactName");
        String id = api.start(definition, "SO-77", customerVariables());

        // when: the sales manager (no clearance) and an admin look at the task
        JsonNode forManager = taskOf(id, TestUsers.MANAGER);
        JsonNode forAdmin = taskOf(id, TestUsers.ADMIN);

        // then: both see what the decision is about; only the admin sees the personal fields
        assertThat(forManager.at("/variables/customer/email").asText()).isEqualTo("***");
        assertThat(forManager.at("/variables/contactName").asText()).isEqualTo("***");
        assertThat(forManager.at("/variables/orderId").asText()).isEqualTo("SO-77");
        assertThat(forAdmin.at("/variables/customer/email").asText()).isEqualTo(EMAIL);
        // a user of another group sees the task, not its data
        Api.Response byClerk = api.get("/api/tasks/" + forAdmin.get("id").asText(), TestUsers.CLERK);
        assertThat(byClerk.json().has("variables")).isFalse();

        // when: the manager completes it, correcting the contact's name
        Api.Response done = api.postJson("/api/tasks/" + forManager.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", true, "contactName", "Ann Changed")));

        // then: what was submitted is masked for the manager too, and shown to the admin
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().at("/submitted/contactName").asText()).isEqualTo("***");
        assertThat(done.json().at("/submitted/approved").asBoolean()).isTrue();
        assertThat(api.get("/api/tasks/" + forManager.get("id").asText(), TestUsers.ADMIN).json()
                .at("/submitted/contactName").asText()).isEqualTo("Ann Changed");
        awaitStatus(id, "COMPLETED");
        assertThat(instanceAs(TestUsers.ADMIN, id).at("/variables/greeting").asText()).isEqualTo("Dear Ann Changed");
    }

    @Test
    void shouldScrubPersonalValuesFromIncidentsForCallersWithoutClearance() {
        // given: a step whose expression fails with a message quoting the customer's e-mail
        Api.Response deployed = api.deploy("""
                id: %s
                personal: [customer.email]
                steps:
                  - id: check
                    task: {set: {ok: "$error('no mailbox for ' & customer.email)"}}
                """.formatted(unique("mailbox")));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        String id = api.start(deployed.text("id"), "SO-78", customerVariables());

        // when: it becomes an incident
        awaitStatus(id, "FAILED");

        // then: the operator reads the error with the address scrubbed, the admin reads it whole
        JsonNode forOperator = incidentOf(id, TestUsers.OPERATOR);
        JsonNode forAdmin = incidentOf(id, TestUsers.ADMIN);
        assertThat(forAdmin.get("error").asText()).contains("no mailbox for " + EMAIL);
        assertThat(forOperator.get("error").asText()).contains("no mailbox for ***").doesNotContain(EMAIL);
        assertThat(forOperator.toString()).doesNotContain(EMAIL);
        // and so in the instance's history
        assertThat(instanceAs(TestUsers.OPERATOR, id).get("handoffs").toString()).contains("no mailbox for ***")
                .doesNotContain(EMAIL);
        assertThat(instanceAs(TestUsers.ADMIN, id).get("handoffs").toString()).contains(EMAIL);
    }

    /** The instance's audit entries as an auditor reads them, of one event type or all. */
    private List<JsonNode> auditOf(String instance, String eventType) {
        Api.Response r = api.get("/api/audit?limit=1000&instance=" + instance
                + (eventType == null ? "" : "&eventType=" + eventType), TestUsers.AUDITOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Api.toList(r.json().get("entries"));
    }

    private JsonNode incidentOf(String instance, String user) {
        Api.Response r = api.get("/api/incidents?status=all&instance=" + instance, user);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).hasSize(1);
        return r.json().get(0);
    }

    @Test
    void shouldEraseThePersonalFieldsOfEveryInstanceWithTheBusinessKey() {
        // given: two instances of one customer, one ended (its task completed with her name), one running,
        // and another customer's
        String definition = deployedSignup("customer.email, contactName");
        String ended = api.start(definition, "CUST-ERASE", customerVariables());
        String running = api.start(definition, "CUST-ERASE", customerVariables());
        String other = api.start(definition, "CUST-KEEP", customerVariables());
        JsonNode task = taskOf(ended, TestUsers.MANAGER);
        api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("contactName", NAME)));
        awaitStatus(ended, "COMPLETED");
        taskOf(running, TestUsers.MANAGER);

        // when: an operator asks for the erasure; then an admin
        Api.Response refused = api.postJson("/api/personal-data/erasure", TestUsers.OPERATOR,
                Map.of("businessKey", "CUST-ERASE"));
        Api.Response erased = api.postJson("/api/personal-data/erasure", TestUsers.ADMIN,
                Map.of("businessKey", "CUST-ERASE"));

        // then
        assertThat(refused.status()).isEqualTo(403);
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(erased.text("businessKey")).isEqualTo("CUST-ERASE");
        assertThat(erased.json().get("instances").asInt()).isEqualTo(2);
        for (String id : List.of(ended, running)) {
            JsonNode seenByAdmin = instanceAs(TestUsers.ADMIN, id);
            assertThat(seenByAdmin.toString()).doesNotContain(EMAIL, NAME);
            assertThat(seenByAdmin.at("/variables/customer/email").asText()).isEqualTo("***");
            assertThat(seenByAdmin.at("/variables/customer/tier").asText()).isEqualTo("gold");
            assertThat(seenByAdmin.get("businessKey").asText()).isEqualTo("CUST-ERASE");
        }
        assertThat(instanceAs(TestUsers.ADMIN, ended).at("/variables/greeting").asText()).isEqualTo("Dear ***");
        assertThat(api.get("/api/tasks/" + task.get("id").asText(), TestUsers.ADMIN).json()
                .at("/submitted/contactName").asText()).isEqualTo("***");
        assertThat(instanceAs(TestUsers.ADMIN, other).at("/variables/customer/email").asText()).isEqualTo(EMAIL);
        // and the audit trail records each erasure, by whom, naming the fields, never the values
        for (String id : List.of(ended, running)) {
            List<JsonNode> entries = auditOf(id, "PERSONAL_DATA_ERASED");
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).get("actor").asText()).isEqualTo(TestUsers.ADMIN);
            assertThat(entries.get(0).get("summary").asText()).contains("customer.email, contactName");
            assertThat(auditOf(id, null)).allSatisfy(e -> assertThat(e.get("summary").asText()).doesNotContain(EMAIL, NAME));
        }
        assertThat(auditOf(other, "PERSONAL_DATA_ERASED")).isEmpty();

        // when: the running instance goes on
        JsonNode open = taskOf(running, TestUsers.MANAGER);
        api.postJson("/api/tasks/" + open.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", true)));

        // then: its later step works on what is left
        awaitStatus(running, "COMPLETED");
        assertThat(instanceAs(TestUsers.ADMIN, running).at("/variables/greeting").asText()).isEqualTo("Dear ***");
    }

    @Test
    void shouldAnswerAnErasureOfAnUnknownKeyOrWithoutAKeyWithTheHubsErrorBody() {
        // when
        Api.Response unknown = api.postJson("/api/personal-data/erasure", TestUsers.ADMIN,
                Map.of("businessKey", "NOBODY-" + unique("x")));
        Api.Response noKey = api.post("/api/personal-data/erasure", TestUsers.ADMIN, "application/json", "{}");
        Api.Response notJson = api.post("/api/personal-data/erasure", TestUsers.ADMIN, "application/json", "erase!");

        // then
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("code")).isEqualTo(HubCodes.NOT_FOUND);
        assertThat(unknown.text("error")).isEqualTo("No instance has this business key");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.text("code")).isEqualTo(HubCodes.BAD_REQUEST);
        assertThat(notJson.status()).isEqualTo(400);
    }

    @Test
    void shouldPurgeInstancesEndedBeforeTheRetentionAndKeepTheOthers() {
        // given: a personal business key and a name submitted with the task; routing after it fails with the
        // name in its error, so an incident keeps the completion command with its payload; then it is cancelled
        Api.Response deployed = api.deploy("""
                id: %s
                personal: [contactName, businessKey]
                steps:
                  - id: approve
                    human: {roles: [sales-manager]}
                    next: route
                  - id: route
                    choice:
                      - when: "$error('cannot route ' & contactName)"
                        next: done
                      - otherwise: done
                  - id: done
                    end: {}
                """.formatted(unique("purge")));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        String definition = deployed.text("id");
        String purged = api.start(definition, "CUST-PURGE", Map.of("orderId", "SO-90"));
        String running = api.start(definition, "CUST-RUNNING", Map.of("orderId", "SO-91", "contactName", NAME));
        JsonNode task = taskOf(purged, TestUsers.MANAGER);
        api.postJson("/api/tasks/" + task.get("id").asText() + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("contactName", NAME)));
        awaitStatus(purged, "FAILED");
        assertThat(incidentOf(purged, TestUsers.ADMIN).get("command").asText()).contains(NAME);
        assertThat(api.post("/api/instances/" + purged + "/cancel", TestUsers.OPERATOR, null, null).status())
                .isEqualTo(200);
        taskOf(running, TestUsers.MANAGER);
        Instant endedAt = Instant.parse(instanceAs(TestUsers.ADMIN, purged).get("endedAt").asText());

        // when: the sweep runs with a cutoff just before it ended
        privacy.purgeEndedBefore(endedAt.minusSeconds(1));

        // then: nothing of it is purged yet
        assertThat(instanceAs(TestUsers.ADMIN, purged).at("/variables/orderId").asText()).isEqualTo("SO-90");
        assertThat(instanceAs(TestUsers.ADMIN, purged).has("variablesPurgedAt")).isFalse();
        assertThat(api.get("/api/tasks/" + task.get("id").asText(), TestUsers.ADMIN).json()
                .at("/submitted/contactName").asText()).isEqualTo(NAME);

        // when: the sweep runs once it ended longer ago than the retention
        privacy.purgeEndedBefore(endedAt.plusSeconds(1));

        // then: its variables, submitted task variables and stored payloads are gone, even for an admin
        JsonNode after = instanceAs(TestUsers.ADMIN, purged);
        assertThat(after.get("variables").isEmpty()).isTrue();
        assertThat(after.has("variablesPurgedAt")).isTrue();
        assertThat(after.get("businessKey").isNull()).isTrue();
        assertThat(after.toString()).doesNotContain(NAME, "CUST-PURGE");
        assertThat(after.get("handoffs").toString()).contains("cannot route ***");
        JsonNode incident = incidentOf(purged, TestUsers.ADMIN);
        assertThat(incident.toString()).doesNotContain(NAME);
        assertThat(incident.get("command").asText()).contains("\"p\":null");
        assertThat(api.get("/api/tasks/" + task.get("id").asText(), TestUsers.ADMIN).json().has("submitted")).isFalse();
        // and the audit trail records the purge once, however often the sweep runs
        privacy.purgeEndedBefore(endedAt.plusSeconds(1));
        List<JsonNode> purges = auditOf(purged, "VARIABLES_PURGED");
        assertThat(purges).hasSize(1);
        assertThat(purges.get(0).get("actor").asText()).isEqualTo("system:retention");
        // and the running instance keeps everything
        assertThat(instanceAs(TestUsers.ADMIN, running).at("/variables/contactName").asText()).isEqualTo(NAME);
        assertThat(instanceAs(TestUsers.ADMIN, running).get("businessKey").asText()).isEqualTo("CUST-RUNNING");
    }
}
