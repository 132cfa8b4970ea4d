package dev.baton.model.engine;

import java.util.Map;

/** What happened to an instance, as the runtime reports it to the decision function. */
public sealed interface Event {

    /** The token the event concerns, or null for instance-wide events. */
    String token();

    /** A work step's command ran: a task or call produced outputs; a waiting step was entered. */
    record StepExecuted(String step, String token, int attempt, Map<String, Object> outputs) implements Event {
    }

    /** A work step's command failed. */
    record StepFailed(String step, String token, int attempt, Failure failure) implements Event {
    }

    /** A timer step's time came. */
    record TimerFired(String step, String token) implements Event {
    }

    /** A step's deadline passed. */
    record TimeoutFired(String step, String token) implements Event {
    }

    /**
     * A message matched a waiting step, or one of a step's message boundaries.
     *
     * @param message the message's name, which tells a wait step's own message from its boundaries'; null for
     *                the wait step's own (commands sent before the hub named it)
     */
    record MessageCorrelated(String step, String token, Object data, String message) implements Event {
        /** The wait step's own message. */
        public MessageCorrelated(String step, String token, Object data) {
            this(step, token, data, null);
        }
    }

    /** A person completed a human task. */
    record TaskCompleted(String step, String token, Map<String, Object> variables, String by) implements Event {
    }

    /** An operator retried the incident of a token. */
    record IncidentRetried(String step, String token, String by) implements Event {
    }

    /** An operator cancelled the instance. */
    record Cancelled(String by) implements Event {
        @Override
        public String token() {
            return null;
        }
    }

    /**
     * The child instance a call activity's token started ended.
     *
     * @param attempt   the attempt of the token that started it: a child of an earlier attempt is stale
     * @param completed true when it completed, false when it was cancelled or threw an error
     * @param variables its final variables
     * @param error     the code of the error it threw to its caller (no step of its own caught it), or null
     */
    record ChildEnded(String step, String token, int attempt, String child, boolean completed,
                      Map<String, Object> variables, String error) implements Event {

        /** A child that completed or was cancelled. */
        public ChildEnded(String step, String token, int attempt, String child, boolean completed,
                          Map<String, Object> variables) {
            this(step, token, attempt, child, completed, variables, null);
        }
    }
}
