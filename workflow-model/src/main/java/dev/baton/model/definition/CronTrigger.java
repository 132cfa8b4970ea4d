package dev.baton.model.definition;

/**
 * Starts an instance on a schedule.
 *
 * @param cron a Quartz cron expression (seconds first), e.g. {@code 0 0/5 * * * ?}
 */
public record CronTrigger(String cron) implements Trigger {
}
