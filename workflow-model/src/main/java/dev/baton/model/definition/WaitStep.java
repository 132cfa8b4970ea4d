package dev.baton.model.definition;

/**
 * Waits for a message correlated by key; a {@link StepTimeout} gives it a deadline.
 *
 * @param message     the message name: the CloudEvent {@code type} that resumes the step
 * @param key         expression over the variables giving the correlation key, or null for the business key
 * @param eventKey    expression over the incoming event giving its key, or null for the event's {@code subject}
 * @param resultVariable variable that receives the message's data, or null to merge an object's fields
 */
public record WaitStep(StepInfo info, String message, Expression key, Expression eventKey, String resultVariable)
        implements Step {
    @Override
    public String kind() {
        return "wait";
    }

    @Override
    public boolean isWaiting() {
        return true;
    }
}
