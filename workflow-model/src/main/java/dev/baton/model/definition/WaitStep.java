package dev.baton.model.definition;

import java.util.List;

/**
 * Waits for a message correlated by key; a {@link StepTimeout} gives it a deadline.
 *
 * @param message     the message name: the CloudEvent {@code type} that resumes the step
 * @param key         expression over the variables giving the correlation key, or null for the business key
 * @param eventKey    expression over the incoming event giving its key, or null for the event's {@code subject}
 * @param resultVariable variable that receives the message's data, or null to merge an object's fields
 * @param sources     the channels ({@code /events/{channel}}) a message may arrive on to resume the step;
 *                    empty for any channel
 */
public record WaitStep(StepInfo info, String message, Expression key, Expression eventKey, String resultVariable,
                       List<String> sources) implements Step {

    public WaitStep {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** A wait that takes its message from any channel. */
    public WaitStep(StepInfo info, String message, Expression key, Expression eventKey, String resultVariable) {
        this(info, message, key, eventKey, resultVariable, List.of());
    }

    @Override
    public String kind() {
        return "wait";
    }

    @Override
    public boolean isWaiting() {
        return true;
    }

    /** Whether a message arriving on this channel may resume the step. */
    public boolean accepts(String channel) {
        return sources.isEmpty() || sources.contains(channel);
    }
}
