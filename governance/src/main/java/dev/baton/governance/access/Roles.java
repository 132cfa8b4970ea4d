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
    /** Posts events to {@code /events/{source}}. */
    public static final String INTEGRATION = "integration";
    /**
     * Cleared to read the personal fields of instances (a definition's {@code personal:} list) unmasked;
     * everyone else sees {@code ***}. Held beside another role, e.g. by approvers who decide on the
     * customer's data.
     */
    public static final String PERSONAL_DATA = "personal-data";

    /** The roles that see personal fields unmasked: admins always, and holders of {@link #PERSONAL_DATA}. */
    public static final List<String> CLEARED_FOR_PERSONAL_DATA = List.of(ADMIN, PERSONAL_DATA);

    /** The roles the embedded default generates a user for. */
    public static final List<String> BUILT_IN = List.of(ADMIN, DEVELOPER, OPERATOR, AUDITOR, INTEGRATION);

    /**
     * The approver user generated beside them holds these example approver groups, and clearance for
     * personal data: approving an order means looking at the customer's.
     */
    public static final List<String> EXAMPLE_APPROVER_GROUPS = List.of("approver", "sales-manager", "sales-director",
            PERSONAL_DATA);

    private Roles() {
    }
}
