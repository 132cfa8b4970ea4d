package dev.baton.hub.api;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.HubCodes;
import dev.baton.hub.privacy.PersonalDataService;

/** Erasure of a data subject's personal data by business key (GDPR Art. 17); admins only. */
@RestController
public class PersonalDataController {

    private final PersonalDataService service;
    private final ObjectMapper json;

    public PersonalDataController(PersonalDataService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    /** Body {@code {"businessKey": "..."}}; answers {@code {"businessKey", "instances": N}}, 404 when none has it. */
    @PostMapping("/api/personal-data/erasure")
    public Map<String, Object> erase(@RequestBody(required = false) byte[] body, Principal caller) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (Exception e) {
            root = null;
        }
        JsonNode key = root == null || !root.isObject() ? null : root.get("businessKey");
        if (key == null || !(key.isTextual() || key.isNumber()) || key.asText().isBlank()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                    "Expected a JSON object {\"businessKey\": \"...\"} naming the business key to erase");
        }
        PersonalDataService.Erasure erased = service.erase(key.asText(), caller.getName());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("businessKey", erased.businessKey());
        answer.put("instances", erased.instances());
        return answer;
    }
}
