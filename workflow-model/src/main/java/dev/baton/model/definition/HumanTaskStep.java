package dev.baton.model.definition;

import java.time.Duration;
import java.util.List;

/**
 * A task for a person holding one of the candidate roles; completing it resumes the instance with
 * the variables the person submits.
 *
 * @param title          what the task list shows
 * @param candidateRoles who may complete it
 * @param due            how long after creation it is due, or null
 * @param fourEyes       the four-eyes rule: whoever started the instance may not complete this task
 */
public record HumanTaskStep(StepInfo info, String title, List<String> candidateRoles, Duration due, boolean fourEyes)
        implements Step {

    /** A task without the four-eyes rule. */
    public HumanTaskStep(StepInfo info, String title, List<String> candidateRoles, Duration due) {
        this(info, title, candidateRoles, due, false);
    }

    @Override
    public String kind() {
        return "human";
    }

    @Override
    public boolean isWaiting() {
        return true;
    }
}
