package dev.baton.model.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;


/** What the runtime must do after a transition, in the same transaction that stores the new state. */
public sealed interface Effect {

    /**
     * Put an execute command for a work step on its queue.
     *
     * @param notBefore null for now, else the earliest delivery (a retry's back-off)
     */
    record ExecuteStep(String step, String token, int attempt, Instant notBefore) implements Effect {
        public Intent intent() {
            return attempt == 1 ? Intent.EXECUTE_STEP : Intent.RETRY_STEP;
        }
    }

    /** Deliver a timer or deadline command to the step's queue at {@code at}. */
    record ScheduleTimer(String step, String token, Instant at, Intent intent) implements Effect {
    }

    /**
     * Open a human task.
     *
     * @param assignee the user it is assigned to, or null
     */
    record CreateTask(String step, String token, String title, List<String> candidateRoles, Instant dueAt,
                      String assignee) implements Effect {

        /** A task without an assignee. */
        public CreateTask(String step, String token, String title, List<String> candidateRoles, Instant dueAt) {
            this(step, token, title, candidateRoles, dueAt, null);
        }
    }

    /** Close the human task of a token that no longer waits for it. */
    record CloseTask(String step, String token, String reason) implements Effect {
    }

    /**
     * Register a waiting step, or a step's message boundary, for messages named {@code message} with
     * correlation key {@code key}: one subscription per token and message.
     */
    record Subscribe(String step, String token, String message, String key) implements Effect {
    }

    /** Drop every subscription of a token that no longer waits: its wait's and its message boundaries'. */
    record Unsubscribe(String step, String token) implements Effect {
    }

    /** Close the open incident of a token that the instance no longer needs (cancelled, terminated, escalated). */
    record CloseIncident(String step, String token, String reason) implements Effect {
    }

    /** Park the failed command as an incident an operator can retry. */
    record RaiseIncident(String step, String token, int attempt, Failure failure) implements Effect {
    }

    /**
     * Start an instance of another definition for a call activity's token, as its child.
     *
     * @param version   the version to start, or null for the newest
     * @param variables the child's variables
     */
    record StartChild(String step, String token, int attempt, String definition, Integer version,
                      Map<String, Object> variables) implements Effect {
    }

    /** Cancel the running child instance of a call activity's token that no longer waits for it. */
    record CancelChild(String step, String token, String reason) implements Effect {
    }

    /**
     * A called instance ended on an error none of its steps catches: the error goes to the call activity that
     * called it (the instance itself has ended, cancelled).
     *
     * @param step the error end that threw it
     * @param code the error code
     */
    record ThrowToCaller(String step, String code) implements Effect {
    }
}
