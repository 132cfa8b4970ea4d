package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Cron triggers start instances on their schedule, and stop when a version without them is deployed; timer
 * triggers start instances at a date, or every interval a number of times.
 */
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

    @Test
    void shouldStartExactlyTheRepeatingTimersCountOneIntervalApartFromTheDeployment() {
        // given: a definition started every second, twice, from its deployment
        String id = unique("every");
        Api.Response deployed = api.deploy("""
                id: %s
                triggers:
                  - every: PT1S
                    times: 2
                steps:
                  - id: tick
                    task: {set: {ticked: "true"}}
                """.formatted(id));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        Instant deployedAt = Instant.parse(api.get("/api/definitions/" + id, TestUsers.AUDITOR).json()
                .get("deployedAt").asText()).truncatedTo(ChronoUnit.MILLIS);

        // when / then: two instances start by themselves and complete
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(instancesOf(id))
                .filteredOn(i -> "COMPLETED".equals(i.get("status").asText()))
                .hasSize(2));
        // and no third, over more than two further intervals
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(instancesOf(id)).hasSize(2));
        // and each is named by its scheduled fire time, as every node computes it from the deployment
        assertThat(instancesOf(id)).allSatisfy(i -> assertThat(i.get("startedBy").asText()).isEqualTo("timer"))
                .extracting(i -> api.instance(i.get("id").asText()).get("variables").get("event").get("id").asText())
                .containsExactlyInAnyOrder("timer:" + id + ":1:" + deployedAt.plusSeconds(1),
                        "timer:" + id + ":1:" + deployedAt.plusSeconds(2));
    }

    @Test
    void shouldStartOneInstanceAtTheTimersDateAndNoneForADateAlreadyPast() {
        // given: a definition started two seconds from now, and once at a date already past
        String id = unique("at");
        Instant at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        Api.Response deployed = api.deploy("""
                id: %s
                triggers:
                  - at: %s
                  - at: 2020-01-01T00:00:00Z
                steps:
                  - id: tick
                    task: {set: {ticked: "true"}}
                """.formatted(id, at));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        // and: a relay that posts, before the date, the very event the timer will fire (its id and source are
        // predictable) to the channel the hub's timers once used, starting a decoy so that the event is kept,
        // hoping to make the real fire a duplicate
        String decoy = deployed("id: %s\ntriggers:\n  - event: com.example.decoy\nsteps:\n  - {id: a, task: {}}\n"
                .formatted(unique("decoy")));
        Api.Response spoof = api.post("/events/timer", TestUsers.INTEGRATION, "application/cloudevents+json", """
                {"specversion":"1.0","id":"timer:%s:1:%s","source":"baton:timer/%s","type":"com.example.decoy"}
                """.formatted(id, at, id));
        assertThat(spoof.status()).as(spoof.body()).isEqualTo(202);
        assertThat(instancesOf(decoy)).hasSize(1);

        // when / then: one instance starts, at the date, by the first trigger
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instancesOf(id))
                .filteredOn(i -> "COMPLETED".equals(i.get("status").asText()))
                .hasSize(1));
        JsonNode started = api.instance(instancesOf(id).get(0).get("id").asText());
        assertThat(started.get("variables").get("event").get("id").asText()).isEqualTo("timer:" + id + ":1:" + at);
        assertThat(started.get("variables").get("event").get("type").asText()).isEqualTo("dev.baton.timer");
        // and no other
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(instancesOf(id)).hasSize(1));
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
