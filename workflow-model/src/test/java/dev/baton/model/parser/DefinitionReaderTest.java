package dev.baton.model.parser;

import static dev.baton.model.validation.ValidationMessages.MALFORMED_YAML;
import static dev.baton.model.validation.ValidationMessages.NOT_A_DURATION;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_FIELD;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_OPERATION;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_TARGET;
import static dev.baton.model.validation.ValidationMessages.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;

class DefinitionReaderTest {

    private final DefinitionReader reader =
            new DefinitionReader(ConnectorCatalog.of(Set.of("http.post", "http.get")), ExpressionChecker.NONE);

    @Test
    void shouldReadAValidDefinition() {
        // when
        Reading reading = reader.read(YamlDefinitionParserTest.ORDER_APPROVAL);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.isValid()).isTrue();
        assertThat(reading.definition().id()).isEqualTo("order-approval");
        assertThat(reading.definition().steps()).hasSize(12);
    }

    @Test
    void shouldReportParseProblemsThenValidationProblemsAndNoDefinition() {
        // given
        String yaml = """
                id: mixed
                steps:
                  - id: read
                    call: http.put
                    timeout: {after: soon, next: read}
                    next: ghost
                    colour: blue
                  - id: orphan
                    end:
                """;

        // when
        Reading reading = reader.read(yaml);

        // then
        assertThat(reading.definition()).isNull();
        assertThat(reading.isValid()).isFalse();
        assertThat(reading.problems()).containsExactly(
                new Problem("step 'read'", String.format(NOT_A_DURATION, "step 'read'", "timeout.after", "soon"), 5),
                new Problem("step 'read'", String.format(UNKNOWN_FIELD, "step 'read'",
                        "id, name, next, retry, timeout, concurrency, with, input, output, catch, messages, call, multi", "colour"), 7),
                new Problem("step 'read'", String.format(UNKNOWN_OPERATION, "http.put", "read", "http.get, http.post"), 3),
                new Problem("step 'read'", String.format(UNKNOWN_TARGET, "read", "ghost"), 3),
                new Problem("step 'orphan'", String.format(UNREACHABLE, "orphan"), 8));
    }

    @Test
    void shouldDropTheDefinitionWhenOnlyParsingFoundSomething() {
        // given: an unknown key leaves a definition that would pass validation on its own
        String yaml = """
                id: typo
                nmae: Typo
                steps:
                  - id: only
                    task:
                """;

        // when
        Reading reading = reader.read(yaml);

        // then
        assertThat(reading.problems()).hasSize(1);
        assertThat(reading.definition()).isNull();
    }

    @Test
    void shouldStopAtMalformedYaml() {
        // when
        Reading reading = reader.read("id: [unclosed\n");

        // then
        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).singleElement().satisfies(p -> {
            assertThat(p.element()).isEqualTo("yaml");
            assertThat(p.message()).startsWith(String.format(MALFORMED_YAML, "line 2, column 1: "));
        });
    }
}
