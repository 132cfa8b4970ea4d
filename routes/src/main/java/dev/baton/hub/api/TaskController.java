package dev.baton.hub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.governance.access.Roles;
import dev.baton.hub.HubCodes;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.persistence.TaskRow;
import dev.baton.hub.privacy.PersonalData;
import dev.baton.hub.privacy.Redaction;
import dev.baton.hub.runtime.TaskService;

/**
 * Human tasks: the caller's work list, and completing a task. A task shows its instance's variables
 * (what the decision is about) to the people who may work it and to supervisors; personal fields are
 * masked unless the caller is cleared for personal data.
 */
@RestController
public class TaskController {

    private final TaskService tasks;
    private final ObjectMapper json;
    private final JsonColumns columns;
    private final PersonalData personal;

    public TaskController(TaskService tasks, ObjectMapper json, JsonColumns columns, PersonalData personal) {
        this.tasks = tasks;
        this.json = json;
        this.columns = columns;
        this.personal = personal;
    }

    @GetMapping("/api/tasks")
    public List<Map<String, Object>> open(@RequestParam(required = false) String role,
                                          @RequestParam(defaultValue = "100") int limit, Authentication caller) {
        Set<String> roles = roles(caller);
        boolean supervisor = supervisor(roles);
        List<TaskRow> open = tasks.open(caller.getName(), roles, supervisor, role, Math.max(1, Math.min(limit, 1000)));
        Map<String, InstanceRow> instances = tasks.instancesOf(open);
        return open.stream().map(t -> describe(t, instances.get(t.instanceId()), caller)).toList();
    }

    @GetMapping("/api/tasks/{id}")
    public Map<String, Object> get(@PathVariable String id, Authentication caller) {
        TaskRow task = tasks.get(id);
        return describe(task, tasks.instancesOf(List.of(task)).get(task.instanceId()), caller);
    }

    @PostMapping("/api/tasks/{id}/complete")
    @SuppressWarnings("unchecked")
    public Map<String, Object> complete(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                        Authentication caller) {
        Map<String, Object> variables = Map.of();
        if (body != null && body.length > 0) {
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (Exception e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                        "Expected a JSON object {\"variables\": {...}}, but the body is not JSON");
            }
            JsonNode vars = root == null ? null : root.get("variables");
            if (root == null || !root.isObject() || (vars != null && !vars.isNull() && !vars.isObject())) {
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                        "Expected a JSON object {\"variables\": {...}}");
            }
            if (vars != null && !vars.isNull()) {
                variables = json.convertValue(vars, LinkedHashMap.class);
            }
        }
        TaskRow task = tasks.complete(id, variables, caller.getName(), roles(caller));
        return describe(task, tasks.instancesOf(List.of(task)).get(task.instanceId()), caller);
    }

    private static boolean supervisor(Set<String> roles) {
        return roles.contains(Roles.ADMIN) || roles.contains(Roles.OPERATOR);
    }

    private static Set<String> roles(Authentication caller) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(a -> a.startsWith("ROLE_") ? a.substring(5) : a).collect(Collectors.toSet());
    }

    /**
     * A task; with {@code variables} (the instance's, now) for whom may work or supervise it, and
     * {@code submitted} (what its completion sent) once completed.
     */
    private Map<String, Object> describe(TaskRow t, InstanceRow instance, Authentication caller) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", t.id());
        d.put("instanceId", t.instanceId());
        d.put("definitionId", t.definitionId());
        d.put("version", t.version());
        d.put("step", t.step());
        d.put("title", t.title());
        d.put("candidateRoles", t.candidateRoles());
        if (t.assignee() != null) {
            d.put("assignee", t.assignee());
        }
        d.put("status", t.status());
        d.put("createdAt", t.createdAt());
        d.put("dueAt", t.dueAt());
        d.put("endedAt", t.endedAt());
        d.put("completedBy", t.completedBy());
        if (t.closeReason() != null) {
            d.put("closeReason", t.closeReason());
        }
        Set<String> roles = roles(caller);
        if (supervisor(roles) || t.offeredTo(caller == null ? null : caller.getName(), roles)) {
            Redaction redaction = personal.redactionFor(caller, instance == null ? null : instance.state());
            // The task's own view: an instance of a multi-instance step shows its element and loopCounter.
            d.put("variables", instance == null ? Map.of()
                    : redaction.variables(instance.state().variablesFor(t.token())));
            if (t.variables() != null) {
                d.put("submitted", redaction.variables(columns.readMap(t.variables())));
            }
        }
        return d;
    }
}
