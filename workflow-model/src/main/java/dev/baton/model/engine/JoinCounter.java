package dev.baton.model.engine;

/** Arrivals at the join of one parallel scope. */
public record JoinCounter(int expected, int arrived) {

    public JoinCounter arrive() {
        return new JoinCounter(expected, arrived + 1);
    }

    public boolean complete() {
        return arrived >= expected;
    }
}
