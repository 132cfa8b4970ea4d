package dev.baton.hub;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.engine.ExpressionEvaluator;

/**
 * Every stable code the hub puts in API errors, incidents and log lines operators search for.
 * A released code is never reused for another meaning.
 */
public final class HubCodes {

    // API errors (the HTTP status is in the code where one status fits)
    /** The request is malformed: a body that is not JSON, a parameter of the wrong type. */
    public static final String BAD_REQUEST = "BATON-API-400";
    /** No or wrong credentials. */
    public static final String UNAUTHENTICATED = "BATON-API-401";
    /** The caller's roles do not allow this. */
    public static final String FORBIDDEN = "BATON-API-403";
    /** No such definition, instance, task or incident. */
    public static final String NOT_FOUND = "BATON-API-404";
    /** The thing is not in a state that allows this (a task already completed, an incident already retried). */
    public static final String CONFLICT = "BATON-API-409";
    /** The path exists, the HTTP method does not. */
    public static final String METHOD_NOT_ALLOWED = "BATON-API-405";
    /** The body is larger than {@code baton.api.max-body-size}. */
    public static final String TOO_LARGE = "BATON-API-413";
    /**
     * Too many failed logins for the user name or from the address: a lockout ({@code Retry-After} says how
     * long); also the log line when one begins.
     */
    public static final String TOO_MANY_FAILED_LOGINS = "BATON-API-429";
    /** The body's content type is not one this endpoint reads. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "BATON-API-415";
    /** Something failed inside the hub; the log line with the same correlation id has the cause. */
    public static final String INTERNAL = "BATON-API-500";
    /**
     * The node does not take requests yet (starting) or any more (shutting down); nothing was done, retry
     * after {@code Retry-After} seconds.
     */
    public static final String NOT_READY = "BATON-API-503";
    /** An {@code Idempotency-Key} already started an instance of the definition with another request body. */
    public static final String IDEMPOTENCY_KEY_REUSED = "BATON-API-422";

    // Definitions
    /** The definition has problems; {@code details} lists every one. */
    public static final String INVALID_DEFINITION = "BATON-DEF-001";
    /** The definition passed validation but could not be compiled into routes. */
    public static final String COMPILE_FAILED = "BATON-DEF-002";
    /**
     * The definition is larger than {@code baton.definitions.max-source-size} or has more steps than
     * {@code baton.definitions.max-steps}; the message names the setting.
     */
    public static final String DEFINITION_TOO_LARGE = "BATON-DEF-003";

    // Events
    /** The CloudEvent is malformed: missing or invalid required attributes. */
    public static final String INVALID_EVENT = "BATON-EVT-001";
    /** A trigger's condition, business key or variables expression failed on an event. */
    public static final String TRIGGER_FAILED = "BATON-EVT-002";
    /**
     * The event's {@code source} attribute is not one its channel may send ({@code baton.events.allowed-sources}):
     * the credential says one sender, the event claims another.
     */
    public static final String EVENT_SOURCE_REFUSED = "BATON-EVT-003";

    // Tasks
    /**
     * The four-eyes rule forbids the caller to complete the task: they started its instance (the step
     * says {@code fourEyes: true}, or {@code baton.tasks.four-eyes} is on).
     */
    public static final String FOUR_EYES = "BATON-TASK-001";

    // Runtime
    /** A batch of commands failed and was rolled back; the broker delivers it again. */
    public static final String BATCH_ROLLED_BACK = "BATON-RT-001";
    /** A command names an instance the database does not have. */
    public static final String UNKNOWN_INSTANCE = "BATON-RT-002";
    /** A message on a step queue is not a Baton command; it was dead-lettered. */
    public static final String NOT_A_COMMAND = "BATON-RT-003";
    /** A command exhausted its delivery attempts and was dead-lettered; it became an incident. */
    public static final String DEAD_LETTERED = "BATON-RT-004";
    /** An expression failed while routing or mapping. */
    public static final String EXPRESSION_FAILED = "BATON-EXPR-001";
    /**
     * An expression reached one of the bounds of {@code baton.expressions} (time, depth, size, memory; the
     * message names which): an incident that is not retried by itself, a 422 on the event intake.
     */
    public static final String EXPRESSION_LIMIT = ExpressionEvaluator.LIMIT_EXCEEDED;
    /** Routing passed too many routing steps without reaching a work step. */
    public static final String ROUTING_LOOP = "BATON-RT-005";
    /** A step's action threw something its connector did not classify. */
    public static final String STEP_FAILED = "BATON-RT-006";
    /** A definition version named by a command is not deployed on this node. */
    public static final String UNKNOWN_DEFINITION = "BATON-RT-007";
    /**
     * The hub stopped (the JVM died, or it was killed) while processing this command, as many times as
     * {@code baton.engine.max-interrupted-deliveries}: the command is parked in an incident instead of being run
     * again, so a command that kills the hub cannot take it down after every restart. Retryable.
     */
    public static final String INTERRUPTED_DELIVERIES = "BATON-RT-008";

    // Call activities
    /** A call activity names a definition (or version) that is not deployed: an incident, retried once it is. */
    public static final String CALLED_NOT_DEPLOYED = "BATON-CALL-001";
    /** The instance a call activity started was cancelled: the caller's step fails with this code. */
    public static final String CALLED_INSTANCE_CANCELLED = CallActivityStep.CANCELLED;

    // Routing
    /**
     * No condition of a choice or inclusive split holds and it has no default path (a BPMN gateway without
     * default flow): the path stops in an incident naming the gateway; at start, the start is refused (422).
     */
    public static final String NO_PATH = "BATON-ROUTE-002";

    // Data dir
    /** The data dir is not the hub's alone (a root, home or temp folder, world-writable): only the hub's entries were restricted. */
    public static final String DATA_DIR_SHARED = "BATON-DATA-001";
    /** A file or folder of the data dir could not be made owner-only (not the hub's user's, say). */
    public static final String DATA_DIR_PERMISSIONS = "BATON-DATA-002";

    // Personal data
    /** The retention sweep could not purge an instance; the next sweep tries again. */
    public static final String PURGE_FAILED = "BATON-PRIV-001";

    // Tracing
    /** A batch of ended spans could not be written to the local span store; those spans are not kept there. */
    public static final String SPAN_STORE_FAILED = "BATON-TRACE-001";
    /** The span store's retention sweep failed; the next sweep tries again. */
    public static final String SPAN_SWEEP_FAILED = "BATON-TRACE-002";

    /** The code of an expression that could not be evaluated: {@link #EXPRESSION_LIMIT} when it reached a bound. */
    public static String expressionFailed(RuntimeException e) {
        return e instanceof ExpressionEvaluator.LimitExceeded ? EXPRESSION_LIMIT : EXPRESSION_FAILED;
    }

    private HubCodes() {
    }
}
