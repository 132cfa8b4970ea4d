package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

import dev.baton.connectors.sap.sandbox.SapSandbox;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * A running node whose readiness turns to {@code REFUSING_TRAFFIC}, as Spring Boot turns it when a graceful
 * shutdown begins: API calls and events get 503 with {@code Retry-After}, however the path is spelled and
 * whoever asks, nothing they ask for is done, and health says the same; once it accepts traffic again, the
 * refused event is taken in as new.
 */
class TrafficRefusalTest extends HubTestBase {

    @Autowired
    ApplicationContext context;

    @Autowired
    SapSandbox sap;

    @AfterEach
    void acceptAgain() {
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }

    @Test
    void shouldRefuseApiCallsAndEventsWith503WhileRefusingTrafficAndTakeTheEventAfterwards() {
        // given
        String type = "test.refusal." + unique("t");
        String id = deployed("""
                id: %s
                triggers:
                  - event: %s
                steps:
                  - id: a
                    task: {set: {done: "true"}}
                """.formatted(unique("refusal"), type));

        // when
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        Api.Response event = api.event("erp", "refused-1", type, "R-1", Map.of());
        Api.Response start = api.postJson("/api/definitions/" + id + "/instances", TestUsers.OPERATOR,
                Map.of("businessKey", "R-2"));
        Api.Response read = api.get("/api/instances", TestUsers.AUDITOR);
        Api.Response anonymous = api.get("/api/instances", null);
        Api.Response wrongPassword = new Api(port).passwords(Map.of(TestUsers.OPERATOR, "wrong"))
                .get("/api/instances", TestUsers.OPERATOR);
        Api.Response dotted = api.get("/actuator/../api/instances", TestUsers.OPERATOR);
        Api.Response parameter = api.get("/api;x=1/instances", TestUsers.OPERATOR);
        Api.Response health = api.get("/actuator/health", null);
        Api.Response readiness = api.get("/actuator/health/readiness", null);
        Api.Response liveness = api.get("/actuator/health/liveness", null);

        // then
        for (Api.Response refused : List.of(event, start, read, anonymous, wrongPassword, dotted, parameter)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("2");
            assertThat(refused.text("code")).isEqualTo(HubCodes.NOT_READY);
            assertThat(refused.text("error")).contains("not accepting traffic");
            assertThat(refused.json().get("details").get(0).get("readiness").asText()).isEqualTo("REFUSING_TRAFFIC");
        }
        assertThat(health.status()).isEqualTo(503);
        assertThat(readiness.text("status")).isEqualTo("OUT_OF_SERVICE");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.text("status")).isEqualTo("UP");

        // and when it accepts traffic again, nothing had been done and the event is new
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(api.get("/api/instances?definition=" + id, TestUsers.OPERATOR).json().get("instances")).isEmpty();
        Api.Response again = api.event("erp", "refused-1", type, "R-1", Map.of());
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        assertThat(again.json().get("instances")).hasSize(1);
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void shouldDeliverAnSapSandboxEventRefusedWith503OnceTheHubAcceptsTrafficAgain() {
        // given: a definition the SAP sandbox's order events start, and a hub refusing traffic
        String id = deployed("""
                id: %s
                triggers:
                  - event: sap.s4.beh.salesorder.v1.SalesOrder.Created.v1
                    businessKey: "data.SalesOrder"
                steps:
                  - id: a
                    task: {set: {done: "true"}}
                """.formatted(unique("sap-refusal")));
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);

        // when: an order is created in SAP meanwhile, and the hub accepts traffic again only after 5 s, longer
        // than the sandbox's own five quick attempts (3 s), so that only honouring Retry-After gets it through
        String customer = String.valueOf(sap.businessPartners().get(0).get("BusinessPartnerID"));
        String order = sap.createSalesOrder(customer, List.of(new SapSandbox.Item("HT-1000", 1)), "while refusing");
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
                .until(() -> api.get("/api/instances", TestUsers.OPERATOR).status() == 503);
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

        // then: the event arrives, late, and starts its instance
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Api.toList(api.get(
                "/api/instances?definition=" + id, TestUsers.OPERATOR).json().get("instances")))
                .extracting(i -> i.get("businessKey").asText()).containsExactly(order));
    }
}
