package dev.baton.model.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Reading the ISO-8601 timer forms, and the fire times every node computes from the deployment instant. */
class TimerTriggerTest {

    private static final Instant DEPLOYED = Instant.parse("2026-11-26T10:00:00.123Z");
    private static final Instant EIGHT = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void shouldReadRepeatingIntervalsWithAndWithoutCountAndStart() {
        assertThat(TimerTrigger.parseCycle("R/PT1H")).isEqualTo(TimerTrigger.repeating(Duration.ofHours(1), null, null));
        assertThat(TimerTrigger.parseCycle("R3/PT10H")).isEqualTo(TimerTrigger.repeating(Duration.ofHours(10), 3, null));
        assertThat(TimerTrigger.parseCycle("R/2026-12-01T09:00:00+01:00/P1D"))
                .isEqualTo(TimerTrigger.repeating(Duration.ofDays(1), null, EIGHT));
        assertThat(TimerTrigger.parseCycle("R2/2026-12-01T08:00:00/P1W"))
                .isEqualTo(TimerTrigger.repeating(Duration.ofDays(7), 2, EIGHT));
        assertThatThrownBy(() -> TimerTrigger.parseCycle("R/P1M")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimerTrigger.parseCycle("0 0 6 * * ?")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimerTrigger.parseCycle("R/PT1H/2026-12-01T08:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWriteTheRepeatingIntervalItReads() {
        for (String cycle : new String[] {"R/PT1H", "R3/PT10H", "R/2026-12-01T08:00:00Z/PT24H"}) {
            assertThat(TimerTrigger.parseCycle(cycle).cycle()).isEqualTo(cycle);
        }
        assertThat(TimerTrigger.once(EIGHT).cycle()).isNull();
    }

    @Test
    void shouldFireOneIntervalAfterDeploymentWithoutStartAndAtTheStartWithOne() {
        TimerTrigger hourly = TimerTrigger.repeating(Duration.ofHours(1), 3, null);
        assertThat(hourly.fireTime(DEPLOYED, 0)).isEqualTo(DEPLOYED.plusSeconds(3600));
        assertThat(hourly.fireTime(DEPLOYED, 2)).isEqualTo(DEPLOYED.plusSeconds(3 * 3600));
        assertThat(hourly.fires()).isEqualTo(3);

        TimerTrigger daily = TimerTrigger.repeating(Duration.ofDays(1), null, EIGHT);
        assertThat(daily.fireTime(DEPLOYED, 0)).isEqualTo(EIGHT);
        assertThat(daily.fires()).isEqualTo(Long.MAX_VALUE);
        assertThat(TimerTrigger.once(EIGHT).fireTime(DEPLOYED, 0)).isEqualTo(EIGHT);
    }

    @Test
    void shouldFindTheNextFireFromAnyInstantAndNoneAfterTheLast() {
        TimerTrigger hourly = TimerTrigger.repeating(Duration.ofHours(1), 3, null);
        assertThat(hourly.nextIndex(DEPLOYED, DEPLOYED)).isZero();
        assertThat(hourly.nextIndex(DEPLOYED, DEPLOYED.plusSeconds(3600))).isZero();
        assertThat(hourly.nextIndex(DEPLOYED, DEPLOYED.plusSeconds(3601))).isEqualTo(1);
        assertThat(hourly.nextIndex(DEPLOYED, DEPLOYED.plusSeconds(3 * 3600))).isEqualTo(2);
        assertThat(hourly.nextIndex(DEPLOYED, DEPLOYED.plusSeconds(3 * 3600 + 1))).isEqualTo(-1);
        assertThat(hourly.indexAt(DEPLOYED, DEPLOYED.plusSeconds(2 * 3600 + 59))).isEqualTo(1);
        assertThat(hourly.indexAt(DEPLOYED, DEPLOYED)).isEqualTo(-1);

        TimerTrigger once = TimerTrigger.once(EIGHT);
        assertThat(once.nextIndex(DEPLOYED, DEPLOYED)).isZero();
        assertThat(once.nextIndex(DEPLOYED, EIGHT.plusMillis(1))).isEqualTo(-1);
    }
}
