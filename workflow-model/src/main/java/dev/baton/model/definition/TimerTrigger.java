package dev.baton.model.definition;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts instances at a date, or repeatedly at a fixed interval: the ISO-8601 forms of a BPMN timer start
 * event ({@code timeDate}, {@code timeCycle} {@code R[n]/[start/]duration}, and {@code timeDuration}, which
 * is {@code R1/duration}), with Camunda's and Zeebe's meaning. Exactly one of {@code at} and {@code every} is
 * set. Fire times depend only on the definition and the instant its version was deployed, so every node
 * computes the same ones.
 *
 * @param at    the one instant to start an instance at (a date already past when the version is deployed
 *              never fires), or null
 * @param every the interval between starts, or null
 * @param times how many starts {@code every} makes, or null for no end
 * @param from  the first start of {@code every}, or null for one interval after the version is deployed
 */
public record TimerTrigger(Instant at, Duration every, Integer times, Instant from) implements Trigger {

    private static final Pattern CYCLE = Pattern.compile("R(\\d*)/(?:([^/]+)/)?([^/]+)");

    /** Once, at an instant. */
    public static TimerTrigger once(Instant at) {
        return new TimerTrigger(at, null, null, null);
    }

    /** Every {@code every}, {@code times} times (null: no end), from {@code from} (null: one interval after deployment). */
    public static TimerTrigger repeating(Duration every, Integer times, Instant from) {
        return new TimerTrigger(null, every, times, from);
    }

    /**
     * Reads an ISO-8601 repeating interval {@code R[n]/[start/]duration}: {@code R/PT1H}, {@code R3/PT10H},
     * {@code R/2026-12-01T08:00:00Z/P1D}.
     *
     * @throws IllegalArgumentException when it is not one, naming the part that is wrong
     */
    public static TimerTrigger parseCycle(String text) {
        Matcher m = CYCLE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not R[n]/[start/]duration");
        }
        Integer times = m.group(1).isEmpty() ? null : Integer.valueOf(m.group(1));
        Instant from = m.group(2) == null ? null : parseDate(m.group(2));
        return repeating(parseDuration(m.group(3)), times, from);
    }

    /**
     * Reads an ISO-8601 date-time: with an offset ({@code Z}, {@code +01:00}) or a zone
     * ({@code 2026-12-01T09:00:00+01:00[Europe/Berlin]}), or without either, which means UTC.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static Instant parseDate(String text) {
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(text.strip(), ZonedDateTime::from,
                    LocalDateTime::from);
            return t instanceof ZonedDateTime z ? z.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 date-time", e);
        }
    }

    /**
     * Reads an ISO-8601 duration of days, hours, minutes and seconds ({@code PT10M}, {@code P1DT2H}), or of
     * weeks or days alone ({@code P2W}). Months and years have no fixed length and are refused.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static Duration parseDuration(String text) {
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            try {
                Period p = Period.parse(text.strip());
                if (p.getYears() == 0 && p.getMonths() == 0) {
                    return Duration.ofDays(p.getDays());
                }
            } catch (DateTimeParseException again) {
                // neither form
            }
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration of weeks, days, hours,"
                    + " minutes and seconds", e);
        }
    }

    /** The ISO-8601 repeating interval of an {@code every} trigger, e.g. {@code R3/PT10H}; null for an {@code at}. */
    public String cycle() {
        if (every == null) {
            return null;
        }
        return "R" + (times == null ? "" : times) + "/" + (from == null ? "" : from + "/") + every;
    }

    /** How many times it fires in all: 1 for {@code at}, {@link Long#MAX_VALUE} without end. */
    public long fires() {
        return at != null ? 1 : times == null ? Long.MAX_VALUE : times;
    }

    /** The scheduled time of fire {@code index} (0-based) of the version deployed at {@code deployedAt}. */
    public Instant fireTime(Instant deployedAt, long index) {
        if (at != null) {
            return at;
        }
        Instant first = from != null ? from : deployedAt.plus(every);
        return first.plus(every.multipliedBy(index));
    }

    /**
     * The index of the fire whose scheduled time is the latest at or before {@code time}: the fire a scheduler
     * running late meant. Negative before the first fire; at or above {@link #fires()} after the last.
     */
    public long indexAt(Instant deployedAt, Instant time) {
        Instant first = fireTime(deployedAt, 0);
        if (time.isBefore(first)) {
            return -1;
        }
        if (at != null) {
            return 0;
        }
        return Duration.between(first, time).dividedBy(every);
    }

    /** The index of the first fire scheduled at or after {@code notBefore}, or -1 when none is left. */
    public long nextIndex(Instant deployedAt, Instant notBefore) {
        long index = indexAt(deployedAt, notBefore);
        if (index < 0) {
            return 0;
        }
        if (fireTime(deployedAt, index).isBefore(notBefore)) {
            index++;
        }
        return index < fires() ? index : -1;
    }
}
