package dev.baton.hub.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.baton.governance.audit.AuditChain;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.audit.AccessAudit;
import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.compile.DefinitionService;
import dev.baton.hub.metrics.HubMetrics;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.persistence.TaskRow;
import dev.baton.hub.persistence.Transactions;
import dev.baton.hub.security.AccessProperties;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.engine.Intent;
import dev.baton.model.engine.Token;

/**
 * Human tasks: who may see and complete them; completing one resumes its instance. A task is for the
 * holders of its candidate roles; under the four-eyes rule (the step's {@code fourEyes: true}, or
 * {@code baton.tasks.four-eyes} for every task) not for whoever started its instance. Every refusal
 * goes to {@link AccessAudit}.
 */
@Service
public class TaskService {

    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);

    private final Stores stores;
    private final CommandSender sender;
    private final JsonColumns columns;
    private final Transactions tx;
    private final Tracing tracing;
    private final Clock clock;
    private final DefinitionService definitions;
    private final AccessAudit audit;
    private final boolean fourEyesForAll;
    private final HubMetrics metrics;

    public TaskService(Stores stores, CommandSender sender, JsonColumns columns, Transactions tx,
                       Tracing tracing, Clock clock, DefinitionService definitions, AccessAudit audit,
                       AccessProperties access, HubMetrics metrics) {
        this.stores = stores;
        this.sender = sender;
        this.columns = columns;
        this.tx = tx;
        this.tracing = tracing;
        this.clock = clock;
        this.definitions = definitions;
        this.audit = audit;
        this.fourEyesForAll = access.tasks().fourEyes();
        this.metrics = metrics;
    }

    /**
     * Open tasks {@code user} may work. Supervisors (operators, admins) see all; others see the tasks
     * one of their roles may complete. Nobody is offered a task the four-eyes rule forbids them.
     * {@code role} narrows to one candidate role.
     */
    public List<TaskRow> open(String user, Collection<String> callerRoles, boolean supervisor, String role, int limit) {
        List<TaskRow> visible = stores.tasks().open(10_000).stream()
                .filter(t -> supervisor || t.offeredTo(user, callerRoles))
                .filter(t -> role == null || t.candidateRoles().contains(role))
                .toList();
        Set<String> guarded = visible.stream().filter(this::fourEyes).map(TaskRow::instanceId)
                .collect(Collectors.toSet());
        Map<String, String> startedBy = stores.instances().startedBy(guarded);
        return visible.stream()
                .filter(t -> !fourEyes(t) || !Objects.equals(user, startedBy.get(t.instanceId())))
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
     * Completes an open task for a holder of one of its candidate roles (not, under the four-eyes
     * rule, the one who started the instance) and resumes the instance with the submitted variables.
     *
     * @throws ApiException 403 when the user may not complete it (recorded by {@link AccessAudit}),
     *                      404 when there is no such task, 409 when it is no longer open
     */
    public TaskRow complete(String taskId, Map<String, Object> variables, String user, Collection<String> userRoles) {
        try {
            TaskRow done = tx.execute(status -> completeInTransaction(taskId, variables, user, userRoles));
            // committed: the wait is on the record
            metrics.taskWait(done.definitionId(), done.step(), Duration.between(done.createdAt(), done.endedAt()));
            return done;
        } catch (ApiException e) {
            if (e.status() == HttpStatus.FORBIDDEN) {
                // after the rollback, so the record never depends on the refused transaction
                denied(user, e.getMessage());
            }
            throw e;
        }
    }

    private TaskRow completeInTransaction(String taskId, Map<String, Object> variables, String user,
                                          Collection<String> userRoles) {
        Instant now = clock.instant();
        TaskRow task = get(taskId);
        if (!task.offeredTo(user, userRoles)) {
            throw new ApiException(HttpStatus.FORBIDDEN, HubCodes.FORBIDDEN, "Task " + taskId
                    + " may be completed by " + (task.assignee() == null ? "" : task.assignee() + " or ")
                    + "holders of " + task.candidateRoles() + "; " + user + " is not " + (task.assignee() == null
                    ? "one" : "the assignee and holds none"));
        }
        InstanceRow instance = stores.instances().find(task.instanceId()).orElseThrow(() -> new ApiException(
                HttpStatus.CONFLICT, HubCodes.CONFLICT, "The instance of task " + taskId + " no longer exists"));
        if (fourEyes(task) && Objects.equals(user, instance.startedBy())) {
            throw new ApiException(HttpStatus.FORBIDDEN, HubCodes.FOUR_EYES, "The four-eyes rule forbids " + user
                    + " to complete task " + taskId + " ('" + task.step() + "'): " + user + " started instance "
                    + task.instanceId() + "; another holder of " + task.candidateRoles() + " must complete it");
        }
        String variablesJson = columns.write(variables == null ? Map.of() : variables);
        if (!TaskRow.OPEN.equals(task.status()) || !stores.tasks().complete(taskId, user, variablesJson, now)) {
            throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT,
                    "Task " + taskId + " is " + get(taskId).status() + ", not OPEN");
        }
        Token token = instance.state().tokens().get(task.token());
        // The task's wait, from the hand-off that opened it to now; the completion is its child.
        String openedBy = stores.handoffs().lastSpanOfToken(task.instanceId(), task.token()).orElse(null);
        Span waited = tracing.recordWait("wait task " + task.step(),
                Tracing.remote(instance.traceId(), openedBy == null ? instance.rootSpanId() : openedBy),
                task.createdAt(), now, task.instanceId(), task.step(), Attributes.of(Tracing.TASK, taskId));
        Span span = tracing.startAction("complete task " + task.step(), Context.root().with(waited),
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
    }

    /**
     * Whether the four-eyes rule holds for the task: for every task by configuration, else as its step
     * says. A definition this node cannot read any more keeps the rule on: refusing is the safe side.
     */
    private boolean fourEyes(TaskRow task) {
        if (fourEyesForAll) {
            return true;
        }
        return definitions.model(task.definitionId(), task.version())
                .map(d -> d.step(task.step()).map(s -> s instanceof HumanTaskStep h && h.fourEyes()).orElse(true))
                .orElse(true);
    }

    private void denied(String user, String reason) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            HttpServletRequest request = servlet.getRequest();
            audit.denied(request, user, HttpStatus.FORBIDDEN.value(), reason);
        } else {
            LOG.warn("{} refused outside an HTTP request, for {}: {}", HubCodes.FORBIDDEN, user, reason);
        }
    }
}
