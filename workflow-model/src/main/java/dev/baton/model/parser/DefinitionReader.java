package dev.baton.model.parser;

import java.util.ArrayList;
import java.util.List;

import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.DefinitionValidator;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;

/**
 * Turns YAML into a deployable definition: parses it, then validates whatever could be read, so the
 * author sees every problem of the document at once. Never throws; thread-safe.
 */
public final class DefinitionReader {

    /**
     * What reading produced.
     *
     * @param definition the definition, or null whenever {@code problems} is not empty
     * @param problems   parse problems (in source order) followed by validation problems
     */
    public record Reading(ProcessDefinition definition, List<Problem> problems) {
        public Reading {
            problems = List.copyOf(problems);
            if (!problems.isEmpty()) {
                definition = null;
            }
        }

        public boolean isValid() {
            return definition != null;
        }
    }

    private final YamlDefinitionParser parser = new YamlDefinitionParser();
    private final DefinitionValidator validator;

    public DefinitionReader(ConnectorCatalog catalog, ExpressionChecker checker) {
        this(catalog, checker, DefinitionValidator.DEFAULT_MAX_STEPS);
    }

    /** @param maxSteps the most steps a definition may have (see {@link DefinitionValidator#DEFAULT_MAX_STEPS}) */
    public DefinitionReader(ConnectorCatalog catalog, ExpressionChecker checker, int maxSteps) {
        this.validator = new DefinitionValidator(catalog, checker, maxSteps);
    }

    public Reading read(String yaml) {
        YamlDefinitionParser.ParseResult parsed = parser.parse(yaml);
        if (parsed.definition() == null) {
            return new Reading(null, parsed.problems());
        }
        List<Problem> problems = new ArrayList<>(parsed.problems());
        problems.addAll(validator.validate(parsed.definition()));
        return new Reading(parsed.definition(), problems);
    }
}
