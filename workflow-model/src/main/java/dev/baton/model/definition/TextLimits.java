package dev.baton.model.definition;

/**
 * The longest texts the hub keeps for a definition's fields and for values the engine computes: the
 * widths of the columns they are stored in (the hub's {@code db/migration}). The validator refuses a
 * definition with a longer field, the engine a longer computed value, so neither fails a database write.
 */
public final class TextLimits {

    /** A definition's or a step's id; also a called definition's. */
    public static final int ID = 100;
    /** A definition's name and owner. */
    public static final int NAME = 200;
    /** A human task's title (or its step's name, when it has no title). */
    public static final int TITLE = 300;
    /** A human task's candidate roles, joined by commas. */
    public static final int CANDIDATE_ROLES = 1000;
    /** The user a human task is assigned to. */
    public static final int ASSIGNEE = 250;
    /** A message name, of a wait step or a message boundary. */
    public static final int MESSAGE = 250;
    /** A correlation key, as a wait step's or a message boundary's key expression gives it. */
    public static final int CORRELATION_KEY = 250;
    /** An error code an end step throws or a catch names. */
    public static final int ERROR_CODE = 100;
    /** An instance's business key. */
    public static final int BUSINESS_KEY = 200;

    private TextLimits() {
    }
}
