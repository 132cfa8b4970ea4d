package dev.baton.model.definition;

/** What starts an instance besides an API call. */
public sealed interface Trigger permits EventTrigger, CronTrigger, TimerTrigger {
}
