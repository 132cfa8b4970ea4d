package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/** Cron triggers start instances on their schedule, and stop when a version without them is deployed. */
class CronTriggerTest extends HubTestBase {

    private static final String EVERY_SECOND = "0/1 * * * * ?";

    @Test
    void shouldStartAnInstanceEverySecondUntilAVersionWithoutTheCronIsDeployed() {
        // given: a definition whose trigger fires every second
        String id = unique("cron");
        atTheStartOfASecond();
        Api.Response v1 = api.deploy("""
                id: %s
                triggers:
                  - cron: "%s"
                steps:
                  - id: tick
                    task: {set: {ticked: "true"}}
                """.formatted(id, EVERY_SECOND));
        assertThat(v1.status()).as(v1.body()).isEqualTo(201);

        // when / then: instances start by themselves, each started by the cron and run to completion
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(instancesOf(id))
                .filteredOn(i -> "COMPLETED".equals(i.get("status").asText()))
                .hasSizeGreaterThanOrEqualTo(2));
        List<JsonNode> started = instancesOf(id);
        assertThat(started).allSatisfy(i -> {
            assertThat(i.get("startedBy").asText()).isEqualTo("cron");
            assertThat(i.get("version").asInt()).isEqualTo(1);
        });
        JsonNode first = api.instance(started.get(started.size() - 1).get("id").asText());
        assertThat(first.get("variables").get("ticked").asBoolean()).isTrue();
        assertThat(first.get("variables").get("event").get("type").asText()).isEqualTo("dev.baton.cron");
        assertThat(first.get("variables").get("event").get("source").asText()).isEqualTo("baton:cron/" + id);

        // when: a version without the trigger is deployed
        Api.Response v2 = api.deploy("""
                id: %s
                steps:
                  - id: tick
                    task: {set: {ticked: "true"}}
                """.formatted(id));
        assertThat(v2.status()).as(v2.body()).isEqualTo(201);
        int afterDeploy = instancesOf(id).size();

        // then: no further instance starts, over more than three scheduled fire times
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(instancesOf(id)).hasSize(afterDeploy));
        assertThat(instancesOf(id)).noneMatch(i -> i.get("version").asInt() == 2);
    }

    /**
     * Returns just after a wall-clock second begins, after warming the deploy path: the moment at
     * which a cron route's first fire used to be due at once and race camel-quartz's registration of
     * its endpoint, which deleted the Quartz job (fixed with a trigger start delay).
     */
    private void atTheStartOfASecond() {
        assertThat(api.deploy("id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(unique("warm-up"))).status())
                .isEqualTo(201);
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(2))
                .until(() -> System.currentTimeMillis() % 1000 < 100);
    }

    private List<JsonNode> instancesOf(String definition) {
        Api.Response r = api.get("/api/instances?limit=1000&definition=" + definition, TestUsers.AUDITOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Api.toList(r.json().get("instances"));
    }
}
