package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;

/**
 * A definition of thousands of steps: deploying it takes bounded time and no thread per step (the step
 * queues share the consumer pools), and an instance runs through every step.
 */
class LargeDefinitionTest extends HubTestBase {

    private static final int STEPS = 2_000;

    /** Above the default limit of 1,000 steps: an operator who needs such definitions raises it. */
    @DynamicPropertySource
    static void largerLimit(DynamicPropertyRegistry registry) {
        registry.add("baton.definitions.max-steps", () -> STEPS);
    }

    @Test
    void shouldDeployTwoThousandStepsInBoundedTimeWithoutAThreadPerStepAndRunAnInstanceThroughThem() {
        // given: a hub that has run an instance already, so its consumer pools exist
        String small = deployed(sequence(unique("small"), 3));
        String warm = api.start(small, "warm", Map.of());
        awaitStatus(warm, "COMPLETED");
        int threadsBefore = liveThreads();

        // when: a definition of 2,000 sequential steps is deployed
        long t0 = System.nanoTime();
        Api.Response deployed = api.deploy(sequence(unique("large"), STEPS));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        // then: in bounded time, and with a bounded number of new threads (the pools', not one per step)
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        int threadsAfter = liveThreads();
        System.out.printf("deploying %d steps took %d ms; live threads %d before, %d after%n", STEPS, took.toMillis(),
                threadsBefore, threadsAfter);
        assertThat(took).as("time to deploy %d steps", STEPS).isLessThan(Duration.ofSeconds(60));
        assertThat(threadsAfter - threadsBefore).as("threads added by deploying %d steps", STEPS).isLessThan(40);

        // and: an instance runs through all of them
        String instance = api.start(deployed.text("id"), "through", Map.of());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(api.status(instance)).isEqualTo("COMPLETED"));
        assertThat(api.instance(instance).get("variables").get("last").asText()).isEqualTo("s" + STEPS);
        assertThat(liveThreads() - threadsBefore).as("threads after running through %d steps", STEPS).isLessThan(40);
    }

    /** {@code steps} task steps in a row, the last one setting {@code last}. */
    private static String sequence(String id, int steps) {
        StringBuilder yaml = new StringBuilder("id: " + id + "\nsteps:\n");
        for (int i = 1; i <= steps; i++) {
            yaml.append("  - {id: s").append(i).append(", task: ")
                    .append(i == steps ? "{set: {last: \"'s" + i + "'\"}}" : "{}")
                    .append(i < steps ? ", next: s" + (i + 1) : "").append("}\n");
        }
        return yaml.toString();
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
