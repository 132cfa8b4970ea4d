package dev.baton.hub.runtime;

import dev.baton.model.engine.Intent;

/**
 * A command on a step queue: {@code {instance, step, token, attempt}} plus what the consumer needs to
 * find the definition and continue the trace. Commands are small; instance data stays in the database.
 *
 * @param instanceId   the instance
 * @param definitionId its definition
 * @param version      its definition version
 * @param step         the work step
 * @param token        the token at that step
 * @param attempt      the attempt (1 for the first run)
 * @param intent       what to do: execute, retry, fire a timer, escalate, correlate a message, complete a task
 * @param payload      JSON for message data or task variables, else null
 * @param actor        who asked (a user for task completions and incident retries), else null
 * @param traceparent  W3C trace context of the span that sent it
 * @param message      for a correlated message, its name: a wait step's own, or one of the step's message
 *                     boundaries; else null
 */
public record Command(String instanceId, String definitionId, int version, String step, String token, int attempt,
                      Intent intent, String payload, String actor, String traceparent, String message) {

    /** A command that carries no message name. */
    public Command(String instanceId, String definitionId, int version, String step, String token, int attempt,
                   Intent intent, String payload, String actor, String traceparent) {
        this(instanceId, definitionId, version, step, token, attempt, intent, payload, actor, traceparent, null);
    }

    /** The queue this command goes to. */
    public String queue() {
        return Queues.stepQueue(definitionId, step);
    }

    public Command withTraceparent(String newTraceparent) {
        return new Command(instanceId, definitionId, version, step, token, attempt, intent, payload, actor,
                newTraceparent, message);
    }
}
