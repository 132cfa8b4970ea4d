package dev.baton.hub.api;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.HubCodes;
import dev.baton.hub.compile.DefinitionService;
import dev.baton.hub.persistence.DefinitionRow;

/** Deploying and reading definitions. */
@RestController
@RequestMapping("/api/definitions")
public class DefinitionController {

    private static final List<String> YAML_TYPES = List.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/x-yaml", "text/plain");

    private final DefinitionService definitions;

    public DefinitionController(DefinitionService definitions) {
        this.definitions = definitions;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> deploy(@RequestHeader(value = "Content-Type", required = false) String type,
                                                      @RequestBody(required = false) byte[] body, Principal caller) {
        String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase();
        if (mediaType.equals("application/xml") || mediaType.equals("text/xml")) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HubCodes.UNSUPPORTED_MEDIA_TYPE,
                    "BPMN 2.0 import is not available in this version; deploy the YAML DSL as application/yaml");
        }
        if (!YAML_TYPES.contains(mediaType)) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HubCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Expected Content-Type application/yaml, but it is '" + type + "'");
        }
        if (body == null || body.length == 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_DEFINITION,
                    "Expected a definition in the body, but the body is empty");
        }
        DefinitionService.Deployed d = definitions.deploy(new String(body, StandardCharsets.UTF_8), caller.getName());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", d.id());
        answer.put("version", d.version());
        answer.put("created", d.created());
        return ResponseEntity.status(d.created() ? HttpStatus.CREATED : HttpStatus.OK).body(answer);
    }

    /** Deployed definitions, newest version first. */
    @GetMapping
    public List<Map<String, Object>> list() {
        return definitions.all().stream().map(r -> describe(r, false)).toList();
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable String id, @RequestParam(required = false) Integer version) {
        return describe(definitions.get(id, version), true);
    }

    private static Map<String, Object> describe(DefinitionRow r, boolean withSource) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id());
        d.put("version", r.version());
        d.put("name", r.name());
        d.put("owner", r.owner());
        d.put("sla", r.slaMillis() == null ? null : java.time.Duration.ofMillis(r.slaMillis()).toString());
        d.put("format", r.sourceFormat());
        d.put("deployedAt", r.deployedAt());
        d.put("deployedBy", r.deployedBy());
        if (withSource) {
            d.put("source", r.source());
        }
        return d;
    }
}
