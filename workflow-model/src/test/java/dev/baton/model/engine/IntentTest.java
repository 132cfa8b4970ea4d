package dev.baton.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Commands and events are paired, and their codes are unique: queues and history hold the codes. */
class IntentTest {

    @Test
    void shouldPairEveryCommandWithAnEventAndBack() {
        for (Intent i : Intent.values()) {
            Intent pair = i.pair();
            assertThat(pair.kind()).as(i + " pairs with " + pair).isNotEqualTo(i.kind());
            assertThat(pair.pair()).isEqualTo(i);
        }
    }

    @Test
    void shouldNameCommandsImperativelyAndEventsInThePastTense() {
        for (Intent i : Intent.values()) {
            String last = i.name().substring(i.name().lastIndexOf('_') + 1);
            if (i.kind() == Intent.Kind.EVENT) {
                // Past participles: regular ones, and the irregular ones in use.
                assertThat(last).as(i.name()).matches(".*(ED|ING)$|CAUGHT");
            } else {
                assertThat(i.name()).as(i.name()).doesNotEndWith("ED");
            }
        }
    }

    @Test
    void shouldNeverReuseACode() {
        Set<Integer> codes = Arrays.stream(Intent.values()).map(Intent::code).collect(Collectors.toSet());
        assertThat(codes).hasSize(Intent.values().length);
        assertThat(Intent.byCode(110)).isEqualTo(Intent.EXECUTE_STEP);
        assertThat(Intent.byCode(111)).isEqualTo(Intent.STEP_EXECUTED);
    }
}
