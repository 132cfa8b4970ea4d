package dev.baton.governance.access;

import java.util.List;

/**
 * The hub's built-in roles. Approver groups (a human task's candidate roles, such as
 * {@code sales-manager}) are roles too; they are named by the processes, not here.
 */
public final class Roles {

    /** Everything. */
    public static final String ADMIN = "admin";
    /** Deploys definitions. */
    public static final String DEVELOPER = "developer";
    /** Starts, retries and cancels instances; sees tasks and incidents. */
    public static final String OPERATOR = "operator";
    /** Reads the audit trail, traces and exports; nothing else. */
    public static final String AUDITOR = "auditor";
    /**
     * Posts events to {@code /events/{source}} for <em>any</em> source: a trusted relay that forwards
     * several systems' events. A system posting only its own events holds {@link #integrationFor} instead.
     */
    public static final String INTEGRATION = "integration";
    /** Prefix of the per-source integration roles, {@code integration:<source>}. */
    public static final String INTEGRATION_PREFIX = INTEGRATION + ":";
    /** Prefix of the users generated for the event sources, {@code source-<name>}. */
    public static final String SOURCE_USER_PREFIX = "source-";
    /**
     * Cleared to read the personal fields of instances (a definition's {@code personal:} list) unmasked;
     * everyone else sees {@code ***}. Held beside another role, e.g. by approvers who decide on the
     * customer's data.
     */
    public static final String PERSONAL_DATA = "personal-data";

    /** The roles that see personal fields unmasked: admins always, and holders of {@link #PERSONAL_DATA}. */
    public static final List<String> CLEARED_FOR_PERSONAL_DATA = List.of(ADMIN, PERSONAL_DATA);

    /** The roles the embedded default generates a user for, besides one user per event source. */
    public static final List<String> BUILT_IN = List.of(ADMIN, DEVELOPER, OPERATOR, AUDITOR);

    /**
     * The approver user generated beside them holds these example approver groups, and clearance for
     * personal data: approving an order means looking at the customer's.
     */
    public static final List<String> EXAMPLE_APPROVER_GROUPS = List.of("approver", "sales-manager", "sales-director",
            PERSONAL_DATA);

    private Roles() {
    }

    /**
     * The role that allows posting to {@code /events/<source>} and nowhere else.
     *
     * @throws IllegalArgumentException when {@code source} is not a valid source name
     */
    public static String integrationFor(String source) {
        return INTEGRATION_PREFIX + checkSource(source);
    }

    /** Whether {@code name} is a source name {@code /events/{source}} accepts. */
    public static boolean isSourceName(String name) {
        return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    }

    /** @throws IllegalArgumentException when {@code source} is not a valid source name */
    public static String checkSource(String source) {
        if (!isSourceName(source)) {
            throw new IllegalArgumentException("Expected an event source name of letters, digits, '.', '_' or '-'"
                    + " (at most 100), but it is '" + source + "'");
        }
        return source;
    }
}
