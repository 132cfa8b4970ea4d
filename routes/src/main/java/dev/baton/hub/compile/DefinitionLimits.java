package dev.baton.hub.compile;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.baton.model.validation.DefinitionValidator;

/**
 * How large a definition may be deployed, root {@code baton.definitions}. Larger ones are refused with
 * 400 {@code BATON-DEF-003} naming the setting; versions stored before a limit was lowered keep running.
 *
 * @param maxSteps      most steps a definition may have, those inside sub-processes included
 * @param maxSourceSize largest YAML or BPMN source, in bytes as sent
 */
@ConfigurationProperties("baton.definitions")
public record DefinitionLimits(@DefaultValue("" + DefinitionValidator.DEFAULT_MAX_STEPS) int maxSteps,
                               @DefaultValue(DEFAULT_MAX_SOURCE_SIZE) DataSize maxSourceSize) {

    public static final String DEFAULT_MAX_SOURCE_SIZE = "1MB";

    public DefinitionLimits {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("baton.definitions.max-steps must be at least 1, but it is " + maxSteps);
        }
    }
}
