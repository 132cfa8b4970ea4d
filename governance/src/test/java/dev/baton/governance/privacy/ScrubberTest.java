package dev.baton.governance.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ScrubberTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReplaceEveryOccurrenceInAnyCaseAndTheLongestValueWhole() {
        // given
        Scrubber scrubber = Scrubber.of(List.of("Ann", "Ann Example", "ann@example.com"));

        // when
        String text = scrubber.scrub("Ann Example <ann@example.com> wrote to ANN; annotated by Anna");

        // then: "Ann Example" is not left as "*** Example"; substrings are masked too (Anna)
        assertThat(text).isEqualTo("*** <***> wrote to ***; ***otated by ***a");
    }

    @Test
    void shouldFindValuesAsTheyAppearInsideJsonAndUrls() {
        // given
        Scrubber scrubber = Scrubber.of(List.of("Zoë \"Zed\" Doe", "a b&c"));

        // when
        String json = scrubber.scrub("{\"name\":\"Zoë \\\"Zed\\\" Doe\"}");
        String url = scrubber.scrub("GET /find?q=a+b%26c and /find?q=a%20b%26c");

        // then
        assertThat(json).isEqualTo("{\"name\":\"***\"}");
        assertThat(url).isEqualTo("GET /find?q=*** and /find?q=***");
    }

    @Test
    void shouldLeaveValuesTooShortToScrubAndTextWithoutValuesAlone() {
        // given
        Scrubber scrubber = Scrubber.of(List.of("7", " ", "x"));

        // then
        assertThat(scrubber.isEmpty()).isTrue();
        assertThat(scrubber.scrub("attempt 7 of x")).isEqualTo("attempt 7 of x");
        assertThat(Scrubber.of(List.of("secret")).scrub((String) null)).isNull();
        assertThat(Scrubber.of(List.of("secret")).scrub("nothing here")).isEqualTo("nothing here");
    }

    @Test
    void shouldScrubAJsonTreeAndKeepItWellFormed() throws Exception {
        // given: a stored command whose payload is JSON text, and a personal number
        Scrubber scrubber = Scrubber.of(List.of("ann@example.com", "4930123456"));
        JsonNode command = JSON.readTree("""
                [{"i": "inst-1", "c": 160,
                  "p": "{\\"email\\":\\"ann@example.com\\",\\"phone\\":4930123456,\\"ok\\":true}",
                  "phone": 4930123456, "amount": 4930, "ann@example.com": 1}]
                """);

        // when
        JsonNode scrubbed = scrubber.scrubTree(command);

        // then
        assertThat(scrubbed).isEqualTo(JSON.readTree("""
                [{"i": "inst-1", "c": 160,
                  "p": "{\\"email\\":\\"***\\",\\"phone\\":***,\\"ok\\":true}",
                  "phone": "***", "amount": 4930, "***": 1}]
                """));
        assertThat(command.toString()).contains("ann@example.com");
    }

    @Test
    void shouldCombineTwoScrubbersAndNeverPrintItsValues() {
        // given
        Scrubber both = Scrubber.of(List.of("Ann Example")).and(Scrubber.of(List.of("ann@example.com")));

        // then
        assertThat(both.scrub("Ann Example, ann@example.com")).isEqualTo("***, ***");
        assertThat(Scrubber.NONE.and(both).scrub("Ann Example")).isEqualTo("***");
        assertThat(both.toString()).doesNotContain("Ann").isEqualTo("Scrubber[2 value(s)]");
    }
}
