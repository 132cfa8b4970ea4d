package dev.baton.hub.api;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
    private static final List<String> XML_TYPES = List.of("application/xml", "text/xml", "application/bpmn+xml");

    private final DefinitionService definitions;

    public DefinitionController(DefinitionService definitions) {
        this.definitions = definitions;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> deploy(@RequestHeader(value = "Content-Type", required = false) String type,
                                                      @RequestBody(required = false) byte[] body, Principal caller) {
        String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase();
        boolean bpmn = XML_TYPES.contains(mediaType);
        if (!bpmn && !YAML_TYPES.contains(mediaType)) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HubCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Expected Content-Type application/yaml (the YAML DSL) or application/xml (BPMN 2.0), but it is '"
                            + type + "'");
        }
        if (body == null || body.length == 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_DEFINITION,
                    "Expected a definition in the body, but the body is empty");
        }
        // BPMN bytes go to the XML parser as they are: their declaration names their encoding.
        DefinitionService.Deployed d = bpmn ? definitions.deployBpmn(body, caller.getName())
                : definitions.deploy(new String(body, StandardCharsets.UTF_8), caller.getName());
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

    /**
     * A definition's record with its source; with {@code format=bpmn}, the definition itself as BPMN 2.0 XML
     * with diagram information (YAML ones included), for modelers and the console to draw.
     */
    @GetMapping("/{id}")
    public ResponseEntity<?> get(@PathVariable String id, @RequestParam(required = false) Integer version,
                                 @RequestParam(required = false) String format) {
        if (format == null || format.isBlank()) {
            return ResponseEntity.ok(describe(definitions.get(id, version), true));
        }
        if (!"bpmn".equalsIgnoreCase(format.strip())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                    "Expected format 'bpmn' (or none, for the record and its source), but it is '" + format + "'");
        }
        return ResponseEntity.ok().contentType(new MediaType("application", "xml", StandardCharsets.UTF_8))
                .body(definitions.exportBpmn(id, version));
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
