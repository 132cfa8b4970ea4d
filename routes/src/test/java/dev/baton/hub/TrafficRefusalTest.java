package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

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
}
