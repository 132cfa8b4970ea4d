package dev.baton.connectors;

/** Stable codes of connector failures, as operators search for them in incidents and logs. */
public final class ConnectorCodes {

    /** The remote answered with an HTTP error status; suffixed with the status, e.g. {@code BATON-HTTP-503}. */
    public static final String HTTP_STATUS_PREFIX = "BATON-HTTP-";
    /** The remote could not be reached or did not answer in time. */
    public static final String HTTP_IO = "BATON-HTTP-IO";
    /**
     * An outbound call was refused before anything was sent: its URL is in no entry of the allow-list, or the
     * address it would connect to is not public and not allowed. Not retried.
     */
    public static final String HTTP_REFUSED = "BATON-HTTP-REFUSED";
    /** A secret a call refers to ({@code {{secret:name}}}) is in neither the secrets file nor the environment. */
    public static final String SECRET_UNKNOWN = "BATON-SECRET-001";
    /** The secrets file cannot be read, or others than its owner may read it. */
    public static final String SECRET_FILE = "BATON-SECRET-002";
    /** The step's settings are unusable (a missing or malformed URL, ...). */
    public static final String BAD_SETTINGS = "BATON-CONN-001";
    /** The connector failed in a way it could not classify. */
    public static final String UNEXPECTED = "BATON-CONN-002";

    /** The system's circuit breaker is open after repeated failures: the call was not made. */
    public static final String CIRCUIT_OPEN = "BATON-CONN-003";
    /** Salesforce answered with an error; suffixed with its status, e.g. {@code BATON-SF-400}. */
    public static final String SALESFORCE_PREFIX = "BATON-SF-";
    /** SAP's Gateway answered with an error; suffixed with its status, e.g. {@code BATON-SAP-404}. */
    public static final String SAP_PREFIX = "BATON-SAP-";
    /** SAP's Gateway could not be reached or did not answer in time. */
    public static final String SAP_IO = "BATON-SAP-IO";

    private ConnectorCodes() {
    }
}
