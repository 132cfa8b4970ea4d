package dev.baton.model.definition;

import java.util.List;

/**
 * An embedded sub-process: its steps run in a scope of their own, and the sub-process completes, and
 * continues at {@code next}, once every path inside has ended. Entering it is a durable hand-off on its
 * own queue; it then waits for its paths, so its {@code timeout} is a boundary timer (interrupting:
 * every path inside is cancelled) and its catches take errors thrown inside. Steps inside lead only
 * to steps of the same sub-process, and their ids are unique across the whole definition, so queues
 * ({@code baton.<definition>.<step>}) and step history stay flat. Variables are the instance's.
 *
 * @param start the first step inside
 * @param steps the steps inside, in source order (may nest further sub-processes)
 */
public record SubprocessStep(StepInfo info, String start, List<Step> steps) implements Step {

    public SubprocessStep {
        steps = List.copyOf(steps);
    }

    @Override
    public String kind() {
        return "subprocess";
    }

    @Override
    public boolean isWaiting() {
        return true;
    }
}
