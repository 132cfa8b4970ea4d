package dev.baton.model.bpmn;

/**
 * Every text a {@link dev.baton.model.validation.Problem} found while importing BPMN can carry, as
 * {@link String#format} templates phrased "Expected …, but …" like
 * {@link dev.baton.model.validation.ValidationMessages}. Tests assert on these constants, so a wording
 * change is a change of contract: keep the arguments' order and meaning when editing one.
 *
 * <p>Elements are named {@code bpmn <tag> '<id>' (<name>)} in the problem's element; the messages
 * say what is wrong with it.
 */
public final class BpmnMessages {

    // ---- The document ----

    /** %s: the parser's problem with its position, e.g. {@code line 3, column 5: ...}. */
    public static final String MALFORMED_XML = "Expected well-formed XML, but %s";
    public static final String DOCTYPE_REFUSED = "Expected a document without DOCTYPE, but it declares one: DTDs and"
            + " entities are refused, so nothing the document names (a file, a URL) is ever read";
    /** %d: the limit in bytes; %d: the document's size. */
    public static final String TOO_LARGE = "Expected a document of at most %d bytes, but it has %d";
    /** %d: the limit; %d: the line of the first element nested deeper. */
    public static final String TOO_DEEP = "Expected elements nested at most %d deep, but the element on line %d is deeper";
    public static final String EMPTY = "Expected a BPMN 2.0 document, but it is empty";
    /** %s: the BPMN namespace; %s: the root as found, e.g. {@code {urn:x}model}. */
    public static final String NOT_BPMN =
            "Expected the root element to be BPMN 2.0 definitions (namespace %s), but it is %s";
    public static final String NO_PROCESS = "Expected the definitions to hold a process with flow elements, but they hold none";
    /** %d: how many; %s: their ids. */
    public static final String SEVERAL_EXECUTABLE = "Expected one process marked isExecutable=\"true\" (Baton deploys one"
            + " process per document), but %d are: %s";
    /** %d: how many; %s: their ids. */
    public static final String SEVERAL_PROCESSES = "Expected one process, or one marked isExecutable=\"true\" among"
            + " several (Baton deploys one process per document), but there are %d and none is marked: %s";

    /** %s: what failed; never expected, here so that reading never throws. */
    public static final String INTERNAL = "Expected to read the document, but reading failed: %s";

    // ---- What Baton does not execute ----

    /** %s: what it is, e.g. {@code an embedded sub-process}, {@code multi-instance (parallel)}. */
    public static final String NOT_EXECUTED = "Expected an element Baton executes, but %s is not executed by Baton yet";

    // ---- The process's structure ----

    public static final String NO_ID = "Expected the element to have an id (sequence flows name elements by id), but it has none";
    /** %s: the id. */
    public static final String DUPLICATE_ID = "Expected id '%s' to be unique, but another element of the process has it";
    public static final String NO_START_EVENT = "Expected the process to have a start event, but it has none";
    /** %s: the start events and where each leads, e.g. {@code 'a' → 'x', 'b' → 'y'}. */
    public static final String STARTS_DIFFER = "Expected every start event to lead to the same first step (Baton starts"
            + " each instance at one step), but they lead to different ones: %s";
    /** %s: {@code source} or {@code target}; %s: the reference as written, or {@code nothing}. */
    public static final String FLOW_END_UNKNOWN =
            "Expected the %s of the sequence flow to be a flow element of the process, but it is %s";
    public static final String NO_OUTGOING_FLOW = "Expected the element to have an outgoing sequence flow, but it has none";
    /** %s: the gateway's id. */
    public static final String FLOW_WITHOUT_CONDITION = "Expected the sequence flow leaving exclusive gateway '%s' to"
            + " have a condition or be the gateway's default flow, but it has neither";
    /** %s: the flow's id. */
    public static final String DEFAULT_WITH_CONDITION =
            "Expected the default flow '%s' to have no condition (it is taken when no other holds), but it has one";
    /** %s: the flow named by {@code default}. */
    public static final String DEFAULT_NOT_OUTGOING =
            "Expected the default flow '%s' to be one of the element's outgoing sequence flows, but it is not";
    /** %s: the start event's id. */
    public static final String START_LEADS_NOWHERE = "Expected start event '%s' to have an outgoing sequence flow, but it has none";

    // ---- Conditions and expressions ----

    /** %s: the expression as written; %s: why, e.g. {@code method calls}. */
    public static final String NOT_TRANSLATED = "Expected a condition in JSONata, or in the JUEL or FEEL subset Baton"
            + " translates (comparisons, and/or/not, literals, variable paths), but '%s' is not translated: %s";
    /** %s: what holds the expression, e.g. {@code correlation key}; %s: the expression; %s: why. */
    public static final String EXPRESSION_NOT_TRANSLATED =
            "Expected the %s to be JSONata or a FEEL variable path or comparison, but '%s' is not translated: %s";
    /** %s: the language as written; %s: the languages Baton knows. */
    public static final String UNKNOWN_LANGUAGE = "Expected an expression language Baton evaluates (%s), but it is '%s'";

    // ---- Bindings ----

    /** %s: why not, e.g. {@code its type 'mail' is not bound}. */
    public static final String UNBOUND_TASK = "Expected the task to be bound to a connector operation (a baton:call"
            + " extension, or a binding of its task type), but %s";
    /** %s: the field's name. */
    public static final String FIELD_EXPRESSION =
            "Expected field '%s' to be a fixed string (it becomes a setting of the operation), but it is an expression";

    // ---- Events ----

    /** %s: why, e.g. {@code it names none}, {@code message 'm' does not exist}. */
    public static final String NO_MESSAGE = "Expected the event to name a message, but %s";
    /** %s: the event's kind, e.g. {@code intermediate catch event}. */
    public static final String NO_EVENT_DEFINITION = "Expected the %s to have an event definition, but it has none";
    public static final String NO_TIMER = "Expected the timer to have a timeDuration, timeDate or timeCycle, but it has none";
    /** %s: what is expected; %s: the text as written. */
    public static final String BAD_TIMER = "Expected the timer to be %s, but it is '%s'";
    public static final String NO_ERROR_REF =
            "Expected the error end event to name the error it throws (errorRef), but it names none";
    /** %s: the reference as written. */
    public static final String BOUNDARY_HOST_UNKNOWN =
            "Expected the boundary event to be attached to an activity of the process, but it names '%s'";

    // ---- Multi-instance ----

    public static final String MULTI_WITHOUT_COLLECTION = "Expected the multi-instance activity to name its collection"
            + " (camunda:, flowable: or activiti:collection, zeebe:loopCharacteristics inputCollection, baton:multi)"
            + " or a loopCardinality, but it names neither";

    // ---- User tasks ----

    /** %s: what was found, e.g. {@code '${expr}'}. */
    public static final String GROUPS_NOT_READ = "Expected candidate groups to be listed by name, but they are %s";

    // ---- Baton's extensions ----

    /** %s: the attribute or element, e.g. {@code baton:due}; %s: what it must be; %s: the value as written. */
    public static final String BAD_EXTENSION = "Expected %s to be %s, but it is '%s'";
    /** %s: the element, e.g. {@code baton:output}; %s: the attribute it lacks. */
    public static final String MISSING_EXTENSION_ATTRIBUTE = "Expected %s to have attribute '%s', but it has none";
    /** %s: the name; %s: the owner. */
    public static final String DUPLICATE_EXTENSION_NAME = "Expected name '%s' to be used once in %s, but it is repeated";

    private BpmnMessages() {
    }
}
