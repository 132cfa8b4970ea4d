package dev.baton.model.definition;

/**
 * One step of a process. Work steps ({@link #isWork()}) are reached through a durable hand-off on
 * their own queue; routing steps (choice, parallel, inclusive, join, race, end) are decided in the transition of
 * the step that reaches them, the way BPMN engines treat gateways.
 */
public sealed interface Step
        permits TaskStep, CallStep, ChoiceStep, ParallelStep, JoinStep, WaitStep, TimerStep, HumanTaskStep, EndStep,
        SubprocessStep, RaceStep, CallActivityStep, InclusiveStep {

    /** What every step has, whatever its kind. */
    StepInfo info();

    /** The kind's name as written in the YAML DSL ({@code task}, {@code call}, ...). */
    String kind();

    default String id() {
        return info().id();
    }

    default String name() {
        return info().name();
    }

    /** The step that follows, or null where the kind routes itself (choice, parallel) or the path ends. */
    default String next() {
        return info().next();
    }

    /** True for steps that run behind a durable hand-off; false for routing steps. */
    default boolean isWork() {
        return true;
    }

    /**
     * True for work steps that stay open until something outside them happens (timer, message, person,
     * the end of a sub-process's paths).
     */
    default boolean isWaiting() {
        return false;
    }
}
