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
 * Prints the table of results docs/bpmn.md shows.
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
            "remindReviewer", "test.remindReviewer"),
            Map.of("#{jobAnnouncementService.findRequester(jobAnnouncementId)}", "requester",
                    "#{jobAnnouncementService.findEditor(jobAnnouncementId)}", "editor"),
            List.of("reviewers"));

    private static final Pattern ELEMENT = Pattern.compile("bpmn (\\w+)( '[^']+')?.*");
    /** The files that must import without a problem (with the bindings above); the others report what they lack. */
    private static final Set<String> IMPORTED = Set.of("bpmn-miwg/A.1.0.bpmn",
            "bpmn-real/camunda7-job-announcement-publication.bpmn", "bpmn-real/camunda7-job-announcement.bpmn",
            "bpmn-real/flowable-fix-system-failure.bpmn20.xml", "bpmn-real/zeebe-pr-created.bpmn");
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
        assertThat(r.problems().isEmpty()).as(file + ": " + r.problems()).isEqualTo(IMPORTED.contains(file));
        if (r.definition() != null) {
            // what imports exports and reads back as itself
            Reading again = reader.read(new BpmnWriter().write(r.definition()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(again.problems()).isEmpty();
            assertThat(BpmnRoundTripTest.normalized(again.definition())).isEqualTo(BpmnRoundTripTest.normalized(r.definition()));
        }
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

    /** Short names of the other problems, by the message they carry. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry(BpmnMessages.UNBOUND_TASK, "unbound task"),
            Map.entry(BpmnMessages.FLOW_WITHOUT_CONDITION, "flow without condition"),
            Map.entry(BpmnMessages.NOT_TRANSLATED, "condition not translated"),
            Map.entry(BpmnMessages.EXPRESSION_NOT_TRANSLATED, "expression not translated"),
            Map.entry(BpmnMessages.NO_MESSAGE, "event without message"),
            Map.entry(BpmnMessages.NO_TIMER, "timer without time"),
            Map.entry(BpmnMessages.BAD_TIMER, "timer not readable"),
            Map.entry(BpmnMessages.NO_EVENT_DEFINITION, "event without definition"),
            Map.entry(BpmnMessages.SEVERAL_PROCESSES, "several processes, none executable"),
            Map.entry(BpmnMessages.SEVERAL_EXECUTABLE, "several executable processes"),
            Map.entry(BpmnMessages.FLOW_END_UNKNOWN, "flow to or from nothing"),
            Map.entry(BpmnMessages.NO_OUTGOING_FLOW, "gateway without outgoing flow"),
            Map.entry(BpmnMessages.START_LEADS_NOWHERE, "start event leading nowhere"),
            Map.entry(BpmnMessages.STARTS_DIFFER, "start events leading to different steps"),
            Map.entry(BpmnMessages.DEFAULT_WITH_CONDITION, "default flow with condition"),
            Map.entry(BpmnMessages.DEFAULT_NOT_OUTGOING, "default flow not outgoing"),
            Map.entry(BpmnMessages.BOUNDARY_HOST_UNKNOWN, "boundary event on nothing"),
            Map.entry(BpmnMessages.GROUPS_NOT_READ, "candidate groups from an expression"),
            Map.entry(BpmnMessages.DOCTYPE_REFUSED, "DOCTYPE refused"),
            Map.entry(BpmnMessages.NO_ERROR_REF, "error end event without error"),
            Map.entry(BpmnMessages.MULTI_WITHOUT_COLLECTION, "multi-instance without collection"),
            Map.entry(dev.baton.model.validation.ValidationMessages.SUBPROCESS_WITHOUT_STEPS, "empty sub-process"),
            Map.entry(dev.baton.model.validation.ValidationMessages.RACE_TOO_FEW, "event-based gateway with one way out"),
            Map.entry(dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_SHARED,
                    "event-based gateway's event reached otherwise"),
            Map.entry(dev.baton.model.validation.ValidationMessages.CROSSES_SUBPROCESS, "flow across a sub-process's boundary"),
            Map.entry(dev.baton.model.validation.ValidationMessages.HUMAN_TASK_WITHOUT_ROLES, "user task without groups"));

    /** {@code imported: 'id', 12 steps} or {@code 5 problems; not executed: sub-process ×2; other: unbound task}. */
    private static String row(Reading r) {
        if (r.definition() != null) {
            return "imported: '" + r.definition().id() + "', " + r.definition().allSteps().size() + " steps, "
                    + r.definition().triggers().size() + " triggers";
        }
        Map<String, Integer> unsupported = new TreeMap<>();
        Map<String, Integer> other = new TreeMap<>();
        Pattern notExecuted = pattern(BpmnMessages.NOT_EXECUTED);
        for (Problem p : r.problems()) {
            Matcher m = notExecuted.matcher(p.message());
            if (m.matches()) {
                // "an assignee ('x'; ...)" → "assignee"
                String what = m.group(1).replaceFirst("^an? ", "").replaceFirst(" \\(.*", "");
                unsupported.merge(what, 1, Integer::sum);
            } else {
                String label = LABELS.entrySet().stream().filter(e -> pattern(e.getKey()).matcher(p.message()).matches())
                        .map(Map.Entry::getValue).findFirst().orElse(p.message());
                other.merge(label, 1, Integer::sum);
            }
        }
        return r.problems().size() + (r.problems().size() == 1 ? " problem" : " problems") + "; not executed: " + counts(unsupported) + "; other: " + counts(other);
    }

    private static Pattern pattern(String template) {
        List<String> parts = new ArrayList<>();
        for (String part : template.split("%[sd]", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join("(.*)", parts), Pattern.DOTALL);
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
