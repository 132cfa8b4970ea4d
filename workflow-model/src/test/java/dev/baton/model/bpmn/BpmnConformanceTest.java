package dev.baton.model.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;

/**
 * Every public BPMN file of the conformance material (test resources {@code conformance/bpmn-*}, copied
 * from ../shared/conformance) imports to a definition or to precise problems, and no exception escapes.
 * Prints the table of results the README shows.
 */
class BpmnConformanceTest {

    /** Connector operations are the hub's business: here every operation exists. */
    static final ConnectorCatalog ANY_OPERATION = new ConnectorCatalog() {
        @Override
        public Set<String> operations() {
            return Set.of();
        }

        @Override
        public boolean has(String operation) {
            return operation != null;
        }
    };

    /** What a deployment would configure for the real files' task types. */
    static final BpmnBindings BINDINGS = new BpmnBindings(Map.of(
            "#{jobAnnouncementService.postToWebsite(jobAnnouncementId)}", "test.postToWebsite",
            "#{jobAnnouncementService.postToTwitter(jobAnnouncementId)}", "test.postToTwitter",
            "#{jobAnnouncementService.postToFacebook(jobAnnouncementId)}", "test.postToFacebook",
            "#{jobAnnouncementService.notifyAboutPostings(jobAnnouncementId)}", "test.notifyAboutPostings",
            "deploySnapshot", "test.deploySnapshot",
            "remindReviewer", "test.remindReviewer"));

    private static final Pattern ELEMENT = Pattern.compile("bpmn (\\w+)( '[^']+')?.*");
    private static final Map<String, String> TABLE = new ConcurrentSkipListMap<>();

    private final BpmnReader reader = new BpmnReader(ANY_OPERATION, ExpressionChecker.NONE, BINDINGS);

    static Stream<String> files() throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(BpmnConformanceTest.class.getResource("/conformance")).toURI());
        List<String> out = new ArrayList<>();
        for (String folder : List.of("bpmn-miwg", "bpmn-real", "bpmn-negative")) {
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                files.map(p -> folder + "/" + p.getFileName()).filter(n -> n.contains(".bpmn")).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    static byte[] resource(String name) throws IOException {
        try (var in = Objects.requireNonNull(BpmnConformanceTest.class.getResourceAsStream("/conformance/" + name), name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void shouldImportToADefinitionOrToProblemsNamingElementsAndLines(String file) throws IOException {
        // given
        byte[] document = resource(file);

        // when
        Reading[] reading = new Reading[1];
        assertThatCode(() -> reading[0] = reader.read(document)).doesNotThrowAnyException();

        // then
        Reading r = reading[0];
        assertThat(r.definition() != null).isNotEqualTo(!r.problems().isEmpty());
        if (file.contains("xxe")) {
            assertThat(r.problems()).singleElement().satisfies(p -> {
                assertThat(p.message()).isEqualTo(BpmnMessages.DOCTYPE_REFUSED);
                assertThat(p.line()).isEqualTo(2);
            });
        } else {
            assertThat(r.problems()).allSatisfy(p -> {
                assertThat(p.element()).matches(ELEMENT);
                assertThat(p.element()).as("names an element by id").contains("'");
                assertThat(p.line()).isPositive();
            });
        }
        TABLE.put(file, row(r));
    }

    /** {@code imported: 'id', 12 steps} or {@code 5 problems; not executed: subProcess ×2, callActivity; other: ...}. */
    private static String row(Reading r) {
        if (r.definition() != null) {
            return "imported: '" + r.definition().id() + "', " + r.definition().steps().size() + " steps, "
                    + r.definition().triggers().size() + " triggers";
        }
        Map<String, Integer> unsupported = new TreeMap<>();
        Map<String, Integer> other = new TreeMap<>();
        for (Problem p : r.problems()) {
            Matcher m = ELEMENT.matcher(p.element());
            String kind = m.matches() ? m.group(1) : p.element();
            String prefix = BpmnMessages.NOT_EXECUTED.substring(0, BpmnMessages.NOT_EXECUTED.indexOf("%s"));
            (p.message().startsWith(prefix) ? unsupported : other).merge(kind, 1, Integer::sum);
        }
        return r.problems().size() + " problems; not executed: " + counts(unsupported) + "; other: " + counts(other);
    }

    private static String counts(Map<String, Integer> kinds) {
        return kinds.isEmpty() ? "none" : kinds.entrySet().stream()
                .map(e -> e.getKey() + (e.getValue() > 1 ? " ×" + e.getValue() : "")).collect(Collectors.joining(", "));
    }

    @AfterAll
    static void printTable() {
        StringBuilder table = new StringBuilder("\n| file | result |\n| --- | --- |\n");
        TABLE.forEach((file, row) -> table.append("| ").append(file).append(" | ").append(row).append(" |\n"));
        System.out.println(table);
    }
}
