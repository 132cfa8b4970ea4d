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
import dev.baton.hub.persistence.TaskRow;
import dev.baton.hub.runtime.TaskService;

/** Human tasks: the caller's work list, and completing a task. */
@RestController
public class TaskController {

    private final TaskService tasks;
    private final ObjectMapper json;

    public TaskController(TaskService tasks, ObjectMapper json) {
        this.tasks = tasks;
        this.json = json;
    }

    @GetMapping("/api/tasks")
    public List<Map<String, Object>> open(@RequestParam(required = false) String role,
                                          @RequestParam(defaultValue = "100") int limit, Authentication caller) {
        Set<String> roles = roles(caller);
        boolean supervisor = roles.contains(Roles.ADMIN) || roles.contains(Roles.OPERATOR);
        return tasks.open(caller.getName(), roles, supervisor, role, Math.max(1, Math.min(limit, 1000))).stream()
                .map(TaskController::describe).toList();
    }

    @GetMapping("/api/tasks/{id}")
    public Map<String, Object> get(@PathVariable String id) {
        return describe(tasks.get(id));
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
        return describe(tasks.complete(id, variables, caller.getName(), roles(caller)));
    }

    private static Set<String> roles(Authentication caller) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(a -> a.startsWith("ROLE_") ? a.substring(5) : a).collect(Collectors.toSet());
    }

    private static Map<String, Object> describe(TaskRow t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", t.id());
        d.put("instanceId", t.instanceId());
        d.put("definitionId", t.definitionId());
        d.put("version", t.version());
        d.put("step", t.step());
        d.put("title", t.title());
        d.put("candidateRoles", t.candidateRoles());
        d.put("status", t.status());
        d.put("createdAt", t.createdAt());
        d.put("dueAt", t.dueAt());
        d.put("endedAt", t.endedAt());
        d.put("completedBy", t.completedBy());
        if (t.closeReason() != null) {
            d.put("closeReason", t.closeReason());
        }
        return d;
    }
}
