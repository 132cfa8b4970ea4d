package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.opentelemetry.api.trace.Span;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.baton.governance.audit.AuditChain;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.persistence.TaskRow;
import dev.baton.hub.persistence.Transactions;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Token;

/** Human tasks: who may see and complete them; completing one resumes its instance. */
@Service
public class TaskService {

    private final Stores stores;
    private final CommandSender sender;
    private final JsonColumns columns;
    private final Transactions tx;
    private final Tracing tracing;
    private final Clock clock;

    public TaskService(Stores stores, CommandSender sender, JsonColumns columns, Transactions tx,
                       Tracing tracing, Clock clock) {
        this.stores = stores;
        this.sender = sender;
        this.columns = columns;
        this.tx = tx;
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * Open tasks. Supervisors (operators, admins) see all; others see the tasks one of their roles
     * may complete. {@code role} narrows to one candidate role.
     */
    public List<TaskRow> open(Collection<String> callerRoles, boolean supervisor, String role, int limit) {
        return stores.tasks().open(10_000).stream()
                .filter(t -> supervisor || t.candidateRoles().stream().anyMatch(callerRoles::contains))
                .filter(t -> role == null || t.candidateRoles().contains(role))
                .limit(limit)
                .toList();
    }

    /** The instances of these tasks, by id, read in one query (what their work lists show). */
    public Map<String, InstanceRow> instancesOf(Collection<TaskRow> tasks) {
        return stores.instances().read(tasks.stream().map(TaskRow::instanceId).collect(Collectors.toSet()));
    }

    public TaskRow get(String taskId) {
        return stores.tasks().find(taskId).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND,
                "No task " + taskId));
    }

    /**
     * Completes an open task for a holder of one of its candidate roles and resumes the instance with
     * the submitted variables.
     */
    public TaskRow complete(String taskId, Map<String, Object> variables, String user, Collection<String> userRoles) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            TaskRow task = get(taskId);
            if (task.candidateRoles().stream().noneMatch(userRoles::contains)) {
                throw new ApiException(HttpStatus.FORBIDDEN, HubCodes.FORBIDDEN, "Task " + taskId
                        + " may be completed by holders of " + task.candidateRoles() + "; " + user + " holds none");
            }
            String variablesJson = columns.write(variables == null ? Map.of() : variables);
            if (!TaskRow.OPEN.equals(task.status()) || !stores.tasks().complete(taskId, user, variablesJson, now)) {
                throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT,
                        "Task " + taskId + " is " + get(taskId).status() + ", not OPEN");
            }
            InstanceRow instance = stores.instances().find(task.instanceId()).orElseThrow(() -> new ApiException(
                    HttpStatus.CONFLICT, HubCodes.CONFLICT, "The instance of task " + taskId + " no longer exists"));
            Token token = instance.state().tokens().get(task.token());
            Span span = tracing.startAction("complete task " + task.step(), instance.traceId(), instance.rootSpanId(),
                    task.instanceId());
            try {
                Command command = new Command(task.instanceId(), task.definitionId(), task.version(), task.step(),
                        task.token(), token == null ? 1 : token.attempt(), Intent.COMPLETE_TASK, variablesJson, user,
                        tracing.traceparent(span));
                sender.sendAfterCommit(List.of(new Outgoing(command, 0)));
                stores.audit().append(new AuditChain.Draft(now, task.instanceId(), task.definitionId(), task.version(),
                        task.step(), Intent.COMPLETE_TASK.name(), Intent.COMPLETE_TASK.code(), user,
                        instance.traceId(), span.getSpanContext().getSpanId(), AuditLog.digestOfText(variablesJson),
                        "task '" + task.step() + "' completed by " + user));
            } finally {
                span.end();
            }
            return stores.tasks().find(taskId).orElseThrow();
        });
    }
}
