package dev.baton.hub.privacy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

import dev.baton.governance.access.Roles;
import dev.baton.governance.privacy.PersonalFields;
import dev.baton.governance.privacy.Scrubber;
import dev.baton.hub.compile.CompiledDefinition;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.persistence.JsonColumns;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.InstanceState;
import dev.baton.model.engine.Intent;

/**
 * The personal fields of each deployed definition version, and what the hub derives from them: the
 * scrubber for an instance's error texts, log lines and spans, and whether a caller is cleared to
 * see them unmasked ({@link Roles#CLEARED_FOR_PERSONAL_DATA}).
 */
@Component
public class PersonalData {

    private final DefinitionRegistry definitions;
    private final JsonColumns columns;
    private final Map<String, PersonalFields> byVersion = new ConcurrentHashMap<>();

    public PersonalData(DefinitionRegistry definitions, JsonColumns columns) {
        this.definitions = definitions;
        this.columns = columns;
    }

    /** Whether the caller sees personal fields unmasked: admins and holders of {@code personal-data}. */
    public static boolean cleared(Authentication caller) {
        if (caller == null) {
            return false;
        }
        for (GrantedAuthority a : caller.getAuthorities()) {
            String role = a.getAuthority().startsWith("ROLE_") ? a.getAuthority().substring(5) : a.getAuthority();
            if (Roles.CLEARED_FOR_PERSONAL_DATA.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a caller sees of an instance: everything when cleared, else its personal fields masked and
     * their values scrubbed. An instance of a definition this node does not know is shown as stored.
     */
    public Redaction redactionFor(Authentication caller, InstanceState state) {
        if (cleared(caller) || state == null) {
            return Redaction.NONE;
        }
        PersonalFields fields = fieldsOf(state.definitionId(), state.version());
        return fields.isEmpty() ? Redaction.NONE : new Redaction(fields, scrubberOf(state));
    }

    /** The personal fields of a definition version; none when it is not deployed on this node. */
    public PersonalFields fieldsOf(String definitionId, int version) {
        return definitions.get(definitionId, version).map(this::fieldsOf).orElse(PersonalFields.NONE);
    }

    public PersonalFields fieldsOf(CompiledDefinition def) {
        return byVersion.computeIfAbsent(def.id() + "@" + def.version(),
                k -> PersonalFields.of(def.definition().personal()));
    }

    /** Scrubs the personal values of an instance (its variables and, when personal, its business key). */
    public Scrubber scrubberOf(InstanceState state) {
        if (state == null) {
            return Scrubber.NONE;
        }
        PersonalFields fields = fieldsOf(state.definitionId(), state.version());
        return fields.scrubber(state.variables(), state.businessKey());
    }

    /**
     * Scrubs the personal values of an instance and of a command's payload, which is not in its
     * variables yet: the variables a task completion submits, the data a correlated message brings.
     */
    public Scrubber scrubberOf(InstanceState state, Intent intent, String step, String payload) {
        Scrubber scrubber = scrubberOf(state);
        return state == null ? scrubber
                : scrubber.and(payloadScrubber(state.definitionId(), state.version(), intent, step, payload));
    }

    /** Scrubs the personal values of a command's payload, read as the variables it will become. */
    public Scrubber payloadScrubber(String definitionId, int version, Intent intent, String step, String payload) {
        Set<String> values = payloadValues(definitionId, version, intent, step, payload);
        return values.isEmpty() ? Scrubber.NONE : Scrubber.of(values);
    }

    /**
     * The personal values in a command's payload: the variables a task completion submits, the data a
     * correlated message brings, looked up where the engine will put them.
     */
    public Set<String> payloadValues(String definitionId, int version, Intent intent, String step, String payload) {
        if (payload == null || payload.isEmpty()
                || (intent != Intent.COMPLETE_TASK && intent != Intent.CORRELATE_MESSAGE)) {
            return Set.of();
        }
        CompiledDefinition def = definitions.get(definitionId, version).orElse(null);
        PersonalFields fields = def == null ? PersonalFields.NONE : fieldsOf(def);
        if (fields.isEmpty()) {
            return Set.of();
        }
        try {
            Map<String, Object> variables = intent == Intent.COMPLETE_TASK ? columns.readMap(payload)
                    : messageVariables(def.definition().step(step).orElse(null), columns.readAny(payload));
            return fields.valuesIn(variables);
        } catch (IllegalStateException unreadable) {
            return Set.of();
        }
    }

    /** Where a correlated message's data lands among the variables, as the engine puts it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> messageVariables(Step step, Object data) {
        Map<String, Object> one = new HashMap<>();
        if (step instanceof WaitStep wait && wait.resultVariable() != null) {
            one.put(wait.resultVariable(), data);
        } else if (data instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        } else if (step != null) {
            one.put(step.id(), data);
        }
        return one;
    }
}
