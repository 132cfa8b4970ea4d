package dev.baton.hub.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Exact statistics of a set of durations in microseconds: count, sum, mean, max, and nearest-rank
 * percentiles (the value at rank ⌈p·n⌉ of the n ordered values, so always one of the values).
 */
record DurationStats(int count, long sumMicros, long maxMicros, long p50Micros, long p95Micros) {

    static final DurationStats NONE = new DurationStats(0, 0, 0, 0, 0);

    /** Sorts the first {@code n} values in place. */
    static DurationStats of(long[] micros, int n) {
        if (n == 0) {
            return NONE;
        }
        Arrays.sort(micros, 0, n);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += micros[i];
        }
        return new DurationStats(n, sum, micros[n - 1], micros[rank(50, n) - 1], micros[rank(95, n) - 1]);
    }

    /** ⌈percent·n/100⌉ in integers: no floating-point rounding decides a rank. */
    static int rank(int percent, int n) {
        return (int) (((long) percent * n + 99) / 100);
    }

    BigDecimal p50Seconds() {
        return count == 0 ? null : seconds(p50Micros);
    }

    BigDecimal p95Seconds() {
        return count == 0 ? null : seconds(p95Micros);
    }

    BigDecimal maxSeconds() {
        return count == 0 ? null : seconds(maxMicros);
    }

    BigDecimal meanSeconds() {
        return count == 0 ? null : BigDecimal.valueOf(sumMicros).divide(BigDecimal.valueOf(count * 1_000_000L), 3,
                RoundingMode.HALF_UP);
    }

    BigDecimal sumSeconds() {
        return seconds(sumMicros);
    }

    /** Microseconds as seconds to the millisecond. */
    static BigDecimal seconds(long micros) {
        return BigDecimal.valueOf(micros).movePointLeft(6).setScale(3, RoundingMode.HALF_UP);
    }
}
