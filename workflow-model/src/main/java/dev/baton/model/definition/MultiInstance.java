package dev.baton.model.definition;

/**
 * A step that runs once per element of a collection (BPMN's multi-instance loop characteristics). Each
 * instance sees, local to it, its element in {@code element} and its 1-based number in {@code loopCounter}
 * (Zeebe's numbering), and the counters {@code nrOfInstances}, {@code nrOfActiveInstances} and
 * {@code nrOfCompletedInstances} (Camunda's names).
 *
 * @param collection  evaluated when the step is entered: the elements, a JSON array
 * @param element     the variable each instance sees its element in ({@link #DEFAULT_ELEMENT} unless named)
 * @param sequential  true: one instance after the other, in order; false: all at once
 * @param collect     the variable that receives the instances' results, in collection order, or null
 * @param result      evaluated when an instance completes: its entry in {@code collect}, or null
 * @param completion  evaluated after each instance completes: true ends the step early, or null
 */
public record MultiInstance(Expression collection, String element, boolean sequential, String collect,
                           Expression result, Expression completion) {

    /** The variable an instance sees its element in when the definition names none. */
    public static final String DEFAULT_ELEMENT = "element";
}
