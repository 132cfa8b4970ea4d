package dev.baton.connectors;

/** Stable codes of connector failures, as operators search for them in incidents and logs. */
public final class ConnectorCodes {

    /** The remote answered with an HTTP error status; suffixed with the status, e.g. {@code BATON-HTTP-503}. */
    public static final String HTTP_STATUS_PREFIX = "BATON-HTTP-";
    /** The remote could not be reached or did not answer in time. */
    public static final String HTTP_IO = "BATON-HTTP-IO";
    /** The step's settings are unusable (a missing or malformed URL, ...). */
    public static final String BAD_SETTINGS = "BATON-CONN-001";
    /** The connector failed in a way it could not classify. */
    public static final String UNEXPECTED = "BATON-CONN-002";

    private ConnectorCodes() {
    }
}
