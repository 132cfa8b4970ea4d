package dev.baton.model.definition;

import java.time.Duration;
import java.util.List;

/**
 * A task for a person holding one of the candidate roles, or for its assignee; completing it resumes
 * the instance with the variables the person submits.
 *
 * @param title          what the task list shows
 * @param candidateRoles who may complete it
 * @param due            how long after creation it is due, or null
 * @param fourEyes       the four-eyes rule: whoever started the instance may not complete this task
 * @param assignee       expression over the variables naming the one user the task is assigned to when it
 *                       opens, or null; the assignee may complete it beside the holders of the candidate roles
 */
public record HumanTaskStep(StepInfo info, String title, List<String> candidateRoles, Duration due, boolean fourEyes,
                            Expression assignee)
        implements Step {

    /** A task without an assignee. */
    public HumanTaskStep(StepInfo info, String title, List<String> candidateRoles, Duration due, boolean fourEyes) {
        this(info, title, candidateRoles, due, fourEyes, null);
    }

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
