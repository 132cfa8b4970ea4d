package dev.baton.model.definition;

/**
 * Ends the path that reaches it. With {@code terminate} it ends every path of the innermost enclosing
 * sub-process, which then completes, or of the instance at the top level. With {@code error} it throws
 * that error code to the innermost enclosing step that catches it ({@link ErrorCatch}); an error no
 * step catches puts the path into an incident. At most one of the two is set.
 *
 * @param terminate end every path of the enclosing sub-process or instance
 * @param error     the error code thrown, or null
 */
public record EndStep(StepInfo info, boolean terminate, String error) implements Step {

    /** An end that throws no error. */
    public EndStep(StepInfo info, boolean terminate) {
        this(info, terminate, null);
    }

    @Override
    public String kind() {
        return "end";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
