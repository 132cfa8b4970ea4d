package dev.baton.model.definition;

/**
 * Join of the enclosing fork (parallel or inclusive): continues at {@code next} once every branch of the
 * fork that started has arrived. With {@code first} it is a structured discriminator instead: it continues
 * at the first arrival, swallows the later ones (their paths end there), and is reset once all arrived.
 *
 * @param first continue at the first arrival rather than the last
 */
public record JoinStep(StepInfo info, boolean first) implements Step {

    /** A join that waits for every branch. */
    public JoinStep(StepInfo info) {
        this(info, false);
    }

    @Override
    public String kind() {
        return "join";
    }

    @Override
    public boolean isWork() {
        return false;
    }
}
