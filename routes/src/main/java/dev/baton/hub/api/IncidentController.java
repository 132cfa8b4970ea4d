package dev.baton.hub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.persistence.IncidentRow;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.privacy.Redaction;
import dev.baton.hub.runtime.IncidentService;

/**
 * Incidents: failed steps after their retries, and retrying them. Callers without clearance for
 * personal data get the error texts and the failed command scrubbed of the instance's personal values.
 */
@RestController
public class IncidentController {

    private final IncidentService incidents;

    public IncidentController(IncidentService incidents) {
        this.incidents = incidents;
    }

    /** Open incidents unless {@code status} says otherwise ({@code all} for every one). */
    @GetMapping("/api/incidents")
    public List<Map<String, Object>> list(@RequestParam(defaultValue = "OPEN") String status,
                                          @RequestParam(required = false) String instance,
                                          @RequestParam(defaultValue = "100") int limit,
                                          Authentication caller) {
        String filter = "all".equalsIgnoreCase(status) ? null : status.toUpperCase();
        List<IncidentRow> rows = incidents.list(filter, instance, Math.max(1, Math.min(limit, 1000)));
        Map<String, InstanceRow> instances = incidents.instancesOf(rows);
        return rows.stream().map(r -> describe(r, r.instanceId() == null ? null : instances.get(r.instanceId()), caller))
                .toList();
    }

    @GetMapping("/api/incidents/{id}")
    public Map<String, Object> get(@PathVariable String id, Authentication caller) {
        return describe(incidents.get(id), caller);
    }

    @PostMapping("/api/incidents/{id}/retry")
    public Map<String, Object> retry(@PathVariable String id, Authentication caller) {
        return describe(incidents.retry(id, caller.getName()), caller);
    }

    private Map<String, Object> describe(IncidentRow r, Authentication caller) {
        return describe(r, r.instanceId() == null ? null : incidents.instancesOf(List.of(r)).get(r.instanceId()), caller);
    }

    private Map<String, Object> describe(IncidentRow r, InstanceRow instance, Authentication caller) {
        Redaction redaction = incidents.redactionFor(caller, r, instance);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id());
        d.put("instanceId", r.instanceId());
        d.put("definitionId", r.definitionId());
        d.put("version", r.version());
        d.put("step", r.step());
        d.put("attempt", r.attempt());
        d.put("status", r.status());
        d.put("error", redaction.text(r.message()));
        d.put("code", r.failureType());
        d.put("details", r.details() == null || r.details().isEmpty() ? List.of()
                : List.of(redaction.text(r.details()).split("\n")));
        d.put("queue", r.queue());
        d.put("command", redaction.json(r.command()));
        d.put("createdAt", r.createdAt());
        d.put("resolvedAt", r.resolvedAt());
        d.put("resolvedBy", r.resolvedBy());
        return d;
    }
}
