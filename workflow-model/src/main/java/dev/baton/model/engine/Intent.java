package dev.baton.model.engine;

/**
 * Commands (imperative) and the events (past tense) that record them, with stable codes. Queues,
 * step history and the audit trail hold these codes: a released code is deprecated, never reused.
 */
public enum Intent {
    START_INSTANCE(100, Kind.COMMAND), INSTANCE_STARTED(101, Kind.EVENT),
    EXECUTE_STEP(110, Kind.COMMAND), STEP_EXECUTED(111, Kind.EVENT),
    RETRY_STEP(120, Kind.COMMAND), STEP_RETRIED(121, Kind.EVENT),
    FIRE_TIMER(130, Kind.COMMAND), TIMER_FIRED(131, Kind.EVENT),
    ESCALATE_STEP(140, Kind.COMMAND), STEP_ESCALATED(141, Kind.EVENT),
    CORRELATE_MESSAGE(150, Kind.COMMAND), MESSAGE_CORRELATED(151, Kind.EVENT),
    COMPLETE_TASK(160, Kind.COMMAND), TASK_COMPLETED(161, Kind.EVENT),
    RAISE_INCIDENT(170, Kind.COMMAND), INCIDENT_RAISED(171, Kind.EVENT),
    RETRY_INCIDENT(180, Kind.COMMAND), INCIDENT_RETRIED(181, Kind.EVENT),
    CANCEL_INSTANCE(190, Kind.COMMAND), INSTANCE_CANCELLED(191, Kind.EVENT),
    COMPLETE_INSTANCE(200, Kind.COMMAND), INSTANCE_COMPLETED(201, Kind.EVENT),
    DEPLOY_DEFINITION(210, Kind.COMMAND), DEFINITION_DEPLOYED(211, Kind.EVENT),
    FAIL_STEP(220, Kind.COMMAND), STEP_FAILED(221, Kind.EVENT),
    ENTER_WAIT(230, Kind.COMMAND), STEP_WAITING(231, Kind.EVENT),
    // A step's failure taken by an error boundary (ErrorCatch): the path continues on the error path.
    CATCH_ERROR(300, Kind.COMMAND), ERROR_CAUGHT(301, Kind.EVENT),
    // A called (child) instance ended: its caller's call activity continues.
    COMPLETE_CHILD(310, Kind.COMMAND), CHILD_COMPLETED(311, Kind.EVENT),
    // What the hub records beside the engine's transitions: the audit trail holds these codes too.
    CALL_CONNECTOR(240, Kind.COMMAND), CONNECTOR_CALLED(241, Kind.EVENT),
    RECEIVE_EVENT(250, Kind.COMMAND), EVENT_RECEIVED(251, Kind.EVENT),
    AUTHORIZE_ACCESS(260, Kind.COMMAND), ACCESS_DENIED(261, Kind.EVENT),
    ERASE_PERSONAL_DATA(270, Kind.COMMAND), PERSONAL_DATA_ERASED(271, Kind.EVENT),
    PURGE_VARIABLES(280, Kind.COMMAND), VARIABLES_PURGED(281, Kind.EVENT),
    UNDEPLOY_DEFINITION(290, Kind.COMMAND), DEFINITION_UNDEPLOYED(291, Kind.EVENT);

    /** Whether an intent asks for something or records that it happened. */
    public enum Kind { COMMAND, EVENT }

    private final int code;
    private final Kind kind;

    Intent(int code, Kind kind) {
        this.code = code;
        this.kind = kind;
    }

    public int code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** The event that records this command, or the command this event records. */
    public Intent pair() {
        int pairCode = kind == Kind.COMMAND ? code + 1 : code - 1;
        return byCode(pairCode);
    }

    public static Intent byCode(int code) {
        for (Intent i : values()) {
            if (i.code == code) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unknown intent code " + code);
    }
}
