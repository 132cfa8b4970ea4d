package dev.baton.hub.api;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.HubCodes;
import dev.baton.hub.persistence.HandoffRow;
import dev.baton.hub.persistence.InstanceRepository;
import dev.baton.hub.persistence.InstanceRow;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.hub.persistence.PersonalDataRepository;
import dev.baton.hub.privacy.PersonalData;
import dev.baton.hub.privacy.Redaction;
import dev.baton.hub.runtime.IdempotentStarts;
import dev.baton.hub.runtime.InstanceService;
import dev.baton.hub.runtime.Stores;
import dev.baton.model.engine.Intent;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.engine.InstanceStatus;

/**
 * Starting, listing, reading and cancelling instances. Callers without clearance for personal data
 * see the definition's personal fields masked and their values scrubbed from errors.
 */
@RestController
public class InstanceController {

    private static final int MAX_LIMIT = 1000;
    /** The header that names a start, so that its retry starts nothing twice (IETF's Idempotency-Key draft). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 200;

    private final InstanceService instances;
    private final IdempotentStarts keyedStarts;
    private final Stores stores;
    private final ObjectMapper json;
    private final PersonalData personal;
    private final PersonalDataRepository privacy;
    private final JsonColumns columns;

    public InstanceController(InstanceService instances, IdempotentStarts keyedStarts, Stores stores,
                              ObjectMapper json, PersonalData personal, PersonalDataRepository privacy,
                              JsonColumns columns) {
        this.instances = instances;
        this.keyedStarts = keyedStarts;
        this.stores = stores;
        this.json = json;
        this.personal = personal;
        this.privacy = privacy;
        this.columns = columns;
    }

    @PostMapping("/api/definitions/{id}/instances")
    public ResponseEntity<Map<String, Object>> start(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                                     Principal caller) {
        if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected the " + IDEMPOTENCY_KEY
                    + " header to be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters, not blank, but it has "
                    + key.length() + " character(s)" + (key.isBlank() ? ", all blank" : ""));
        }
        String businessKey = null;
        Map<String, Object> variables = Map.of();
        if (body != null && body.length > 0) {
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (Exception e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                        "Expected a JSON object {\"businessKey\": ..., \"variables\": {...}}, but the body is not JSON");
            }
            if (root == null || !root.isObject()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                        "Expected a JSON object {\"businessKey\": ..., \"variables\": {...}}");
            }
            JsonNode bk = root.get("businessKey");
            if (bk != null && !bk.isNull()) {
                if (!bk.isTextual() && !bk.isNumber()) {
                    throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                            "Expected businessKey to be a string, but it is " + bk.getNodeType());
                }
                businessKey = bk.asText();
                if (businessKey.length() > TextLimits.BUSINESS_KEY) {
                    throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected businessKey to have"
                            + " at most " + TextLimits.BUSINESS_KEY + " characters, but it has " + businessKey.length());
                }
            }
            JsonNode vars = root.get("variables");
            if (vars != null && !vars.isNull()) {
                if (!vars.isObject()) {
                    throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                            "Expected variables to be a JSON object, but it is " + vars.getNodeType());
                }
                variables = json.convertValue(vars, LinkedHashMap.class);
            }
        }
        InstanceService.Started s;
        boolean repeated = false;
        if (key == null) {
            s = instances.start(id, businessKey, variables, caller.getName());
        } else {
            IdempotentStarts.Outcome outcome = keyedStarts.start(id, key, businessKey, variables, caller.getName());
            s = outcome.started();
            repeated = outcome.repeated();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("instanceId", s.instanceId());
        answer.put("traceId", s.traceId());
        answer.put("definitionId", s.definitionId());
        answer.put("version", s.version());
        answer.put("status", s.status());
        return ResponseEntity.status(repeated ? HttpStatus.OK : HttpStatus.CREATED).body(answer);
    }

    @GetMapping("/api/instances")
    public Map<String, Object> list(@RequestParam(required = false) String definition,
                                    @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String businessKey,
                                    @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to,
                                    @RequestParam(defaultValue = "100") int limit,
                                    @RequestParam(required = false) String cursor,
                                    Authentication caller) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                    "Expected limit between 1 and " + MAX_LIMIT + ", but it is " + limit);
        }
        InstanceStatus st = null;
        if (status != null) {
            try {
                st = InstanceStatus.valueOf(status.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "Expected status one of "
                        + List.of(InstanceStatus.values()) + ", but it is '" + status + "'");
            }
        }
        Instant afterTs = null;
        String afterId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
                afterTs = java.util.Objects.requireNonNull(RequestInstants.inRange(parts[0]));
                afterId = parts[1];
            } catch (RuntimeException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "The cursor is not one this API gave");
            }
        }
        List<InstanceRow> rows = stores.instances().list(new InstanceRepository.Query(definition, st, businessKey,
                RequestInstants.parse(from, "from"), RequestInstants.parse(to, "to"), limit, afterTs, afterId));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("instances", rows.stream().map(r -> summary(r, personal.redactionFor(caller, r.state()))).toList());
        if (rows.size() == limit) {
            InstanceRow last = rows.get(rows.size() - 1);
            page.put("nextCursor", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.startedAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8)));
        }
        return page;
    }

    @GetMapping("/api/instances/{id}")
    public Map<String, Object> get(@PathVariable String id, Authentication caller) {
        InstanceRow row = stores.instances().find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                HubCodes.NOT_FOUND, "No instance " + id));
        Redaction redaction = redactionOf(row, caller);
        Map<String, Object> d = summary(row, redaction);
        d.put("variables", redaction.variables(row.state().variables()));
        privacy.purgedAt(id).ifPresent(at -> d.put("variablesPurgedAt", at));
        d.put("openSteps", row.state().tokens().values().stream().map(t -> Map.of("step", t.step(), "token", t.id(),
                "status", t.status().name(), "attempt", t.attempt())).toList());
        d.put("handoffs", stores.handoffs().forInstance(id).stream().map(h -> handoff(h, redaction)).toList());
        List<InstanceRow> children = stores.instances().children(id);
        if (!children.isEmpty()) {
            d.put("calledInstances", children.stream().map(c -> {
                Map<String, Object> child = new LinkedHashMap<>();
                child.put("id", c.id());
                child.put("definitionId", c.state().definitionId());
                child.put("version", c.state().version());
                child.put("status", c.state().status());
                child.put("step", c.parent().step());
                child.put("token", c.parent().token());
                return child;
            }).toList());
        }
        return d;
    }

    private Redaction redactionOf(InstanceRow row, Authentication caller) {
        Redaction redaction = personal.redactionFor(caller, row.state());
        if (redaction != Redaction.NONE) {
            // What tasks submitted may not be in the variables (an incident stopped the merge), yet errors quote it.
            for (PersonalDataRepository.TaskVariables t : privacy.taskVariables(row.id())) {
                redaction = redaction.and(redaction.fields().scrubber(columns.readMap(t.variables()), null));
            }
        }
        return redaction;
    }

    @PostMapping("/api/instances/{id}/cancel")
    public Map<String, Object> cancel(@PathVariable String id, Principal caller) {
        InstanceStatus status = instances.cancel(id, caller.getName());
        return Map.of("id", id, "status", status);
    }

    private static Map<String, Object> summary(InstanceRow r, Redaction redaction) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id());
        d.put("definitionId", r.state().definitionId());
        d.put("version", r.state().version());
        d.put("status", r.state().status());
        d.put("businessKey", redaction.businessKey(r.state().businessKey()));
        d.put("traceId", r.traceId());
        d.put("startedBy", r.startedBy());
        d.put("startedAt", r.startedAt());
        d.put("endedAt", r.endedAt());
        if (r.parent() != null) {
            d.put("calledBy", Map.of("instanceId", r.parent().instanceId(), "definitionId", r.parent().definitionId(),
                    "step", r.parent().step(), "token", r.parent().token()));
        }
        return d;
    }

    private static Map<String, Object> handoff(HandoffRow h, Redaction redaction) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", h.step());
        d.put("status", h.status());
        d.put("event", Intent.byCode(h.event()).name());
        d.put("queue", h.queue());
        d.put("token", h.token());
        d.put("attempt", h.attempt());
        d.put("startedAt", h.startedAt());
        d.put("endedAt", h.endedAt());
        d.put("spanId", h.spanId());
        if (h.actor() != null) {
            d.put("actor", h.actor());
        }
        if (h.error() != null) {
            d.put("error", redaction.text(h.error()));
        }
        return d;
    }
}
