package dev.baton.model.bpmn;

/**
 * The XML namespaces BPMN files use, matched by URI, never by prefix: the MIWG reference files write
 * BPMN as {@code semantic:}, Camunda Modeler as {@code bpmn:}, Flowable as the default namespace.
 */
public final class BpmnNamespaces {

    /** BPMN 2.0 semantic model. */
    public static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    /** BPMN 2.0 diagram interchange. */
    public static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
    /** OMG diagram definition: common types ({@code dc:Bounds}). */
    public static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
    /** OMG diagram definition: diagram interchange ({@code di:waypoint}). */
    public static final String DI = "http://www.omg.org/spec/DD/20100524/DI";
    public static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    /** Baton's extensions: what a definition holds and BPMN has no place for (see {@link BpmnReader}). */
    public static final String BATON = "https://baton.dev/bpmn";
    /** Camunda 7 extensions. */
    public static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";
    /** Camunda 8 (Zeebe) extensions. */
    public static final String ZEEBE = "http://camunda.org/schema/zeebe/1.0";
    /** Flowable extensions. */
    public static final String FLOWABLE = "http://flowable.org/bpmn";
    /** Activiti extensions, which Flowable still reads. */
    public static final String ACTIVITI = "http://activiti.org/bpmn";

    private BpmnNamespaces() {
    }
}
