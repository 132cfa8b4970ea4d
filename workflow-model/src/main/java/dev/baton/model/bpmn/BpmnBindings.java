package dev.baton.model.bpmn;

import java.util.Map;

/**
 * How service, send and business-rule tasks drawn for another engine reach Baton's connectors: a map
 * from the task's foreign type to a connector operation ({@code deploySnapshot → http.post}).
 *
 * <p>A task's foreign type is the first of these it has, as written: {@code zeebe:taskDefinition type},
 * {@code zeebe:calledDecision decisionId}, {@code camunda:topic} (external tasks), {@code camunda:type}
 * (other than {@code external}), the {@code camunda:connector}'s {@code connectorId},
 * {@code camunda:decisionRef}, {@code camunda:class}, {@code camunda:delegateExpression},
 * {@code camunda:expression}, then the same attributes of {@code flowable:} and then {@code activiti:}
 * ({@code type}, {@code topic}, {@code class}, {@code delegateExpression}, {@code expression}). A task with
 * a {@code baton:call} extension needs no binding.
 *
 * @param operations foreign type → {@code <connector>.<operation>}
 */
public record BpmnBindings(Map<String, String> operations) {

    /** No bindings: only tasks with a {@code baton:call} extension are bound. */
    public static final BpmnBindings NONE = new BpmnBindings(Map.of());

    public BpmnBindings {
        operations = Map.copyOf(operations);
    }

    /** @return the operation bound to a foreign task type, or null */
    public String operationFor(String taskType) {
        return taskType == null ? null : operations.get(taskType);
    }
}
