package dev.baton.model.bpmn;

import java.util.List;
import java.util.Map;

/**
 * What a deployment supplies for models drawn for another engine, where the model leaves it to that
 * engine's code or defaults.
 *
 * <p>{@code operations}: how service, send and business-rule tasks reach Baton's connectors, a map from
 * the task's foreign type to a connector operation ({@code deploySnapshot → http.post}). A task's foreign
 * type is the first of these it has, as written: {@code zeebe:taskDefinition type},
 * {@code zeebe:calledDecision decisionId}, {@code camunda:topic} (external tasks), {@code camunda:type}
 * (other than {@code external}), the {@code camunda:connector}'s {@code connectorId},
 * {@code camunda:decisionRef}, {@code camunda:class}, {@code camunda:delegateExpression},
 * {@code camunda:expression}, then the same attributes of {@code flowable:} and then {@code activiti:}
 * ({@code type}, {@code topic}, {@code class}, {@code delegateExpression}, {@code expression}). A task with
 * a {@code baton:call} extension needs no binding.
 *
 * <p>{@code expressions}: expressions the model writes that call its engine's beans
 * ({@code #{jobAnnouncementService.findRequester(jobAnnouncementId)}}), which no translation can read,
 * each with the JSONata expression over the variables that means the same here ({@code requester}).
 * Used where the importer reads expressions outside conditions: assignees so far.
 *
 * <p>{@code defaultRoles}: the candidate roles of a user task that names neither candidate groups nor an
 * assignee (Zeebe's Tasklist offers such a task to everyone; Baton offers tasks to named roles only, so
 * without this such a task is reported).
 *
 * @param operations   foreign type → {@code <connector>.<operation>}
 * @param expressions  foreign expression, as written → JSONata
 * @param defaultRoles roles for user tasks that name nobody; empty for none
 */
public record BpmnBindings(Map<String, String> operations, Map<String, String> expressions, List<String> defaultRoles) {

    /** No bindings: only tasks with a {@code baton:call} extension are bound. */
    public static final BpmnBindings NONE = new BpmnBindings(Map.of());

    public BpmnBindings {
        operations = Map.copyOf(operations);
        expressions = expressions == null ? Map.of() : Map.copyOf(expressions);
        defaultRoles = defaultRoles == null ? List.of() : List.copyOf(defaultRoles);
    }

    /** Task types bound to operations, nothing else. */
    public BpmnBindings(Map<String, String> operations) {
        this(operations, Map.of(), List.of());
    }

    /** @return the operation bound to a foreign task type, or null */
    public String operationFor(String taskType) {
        return taskType == null ? null : operations.get(taskType);
    }

    /** @return the JSONata configured for a foreign expression (compared without surrounding blanks), or null */
    public String expressionFor(String foreign) {
        return foreign == null ? null : expressions.get(foreign.strip());
    }
}
