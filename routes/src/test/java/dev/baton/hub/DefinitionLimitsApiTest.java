package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;
import dev.baton.model.bpmn.BpmnWriter;
import dev.baton.model.parser.DefinitionReader;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.ValidationMessages;

/**
 * Deploying large definitions: one at the step limit deploys and exports; one step more, the 5,000-step
 * definition that once gave 500 (a StackOverflowError) and a BPMN file over the limit get 400
 * {@code BATON-DEF-003} naming {@code baton.definitions.max-steps}; a source over
 * {@code baton.definitions.max-source-size} likewise. Nothing refused is stored. The limits are lowered
 * here so that the test deploys a few hundred steps; the default limit is workflow-model's
 * {@code DefinitionLimitsTest}'s.
 */
class DefinitionLimitsApiTest extends HubTestBase {

    private static final int MAX_STEPS = 300;

    @DynamicPropertySource
    static void lowLimits(DynamicPropertyRegistry registry) {
        registry.add("baton.definitions.max-steps", () -> MAX_STEPS);
        registry.add("baton.definitions.max-source-size", () -> "512KB");
    }

    @Test
    void aDefinitionAtTheStepLimitDeploysAndExports() {
        String id = unique("at-limit");

        String deployed = deployed(chain(id, MAX_STEPS));
        Api.Response bpmn = api.get("/api/definitions/" + deployed + "?format=bpmn", TestUsers.DEVELOPER);

        assertThat(bpmn.status()).as(bpmn.body()).isEqualTo(200);
        assertThat(bpmn.body().split("<bpmn:task ", -1)).hasSize(MAX_STEPS + 1);
    }

    @Test
    void oneStepMoreAndTheFiveThousandStepAttackGet400NamingTheLimitAndNothingIsStored() {
        String oneMore = unique("one-more");
        String attack = unique("five-thousand");

        Api.Response over = api.deploy(chain(oneMore, MAX_STEPS + 1));
        Api.Response huge = api.deploy(chain(attack, 5000));

        JsonNode refused = assertError(over, 400, HubCodes.DEFINITION_TOO_LARGE);
        assertThat(refused.get("error").asText()).contains("baton.definitions.max-steps").contains("(300)");
        assertThat(refused.get("details").get(0).get("message").asText())
                .isEqualTo(String.format(ValidationMessages.TOO_MANY_STEPS, MAX_STEPS, MAX_STEPS + 1));
        assertThat(assertError(huge, 400, HubCodes.DEFINITION_TOO_LARGE).get("details").get(0).get("message").asText())
                .isEqualTo(String.format(ValidationMessages.TOO_MANY_STEPS, MAX_STEPS, 5000));
        assertError(api.get("/api/definitions/" + oneMore, TestUsers.DEVELOPER), 404, HubCodes.NOT_FOUND);
        assertError(api.get("/api/definitions/" + attack, TestUsers.DEVELOPER), 404, HubCodes.NOT_FOUND);
    }

    @Test
    void aBpmnFileOverTheStepLimitGets400NamingTheLimit() {
        String id = unique("bpmn-over");
        String xml = new BpmnWriter().write(new DefinitionReader(ConnectorCatalog.of(Set.of()), ExpressionChecker.NONE)
                .read(chain(id, MAX_STEPS + 1)).definition().withVersion(1));

        Api.Response r = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));

        assertThat(assertError(r, 400, HubCodes.DEFINITION_TOO_LARGE).get("error").asText())
                .contains("baton.definitions.max-steps");
    }

    @Test
    void aSourceOverTheSizeLimitGets400NamingTheLimit() {
        String id = unique("padded");
        String padded = chain(id, 3) + ("# " + "x".repeat(98) + "\n").repeat(6000);

        Api.Response r = api.deploy(padded);

        assertThat(assertError(r, 400, HubCodes.DEFINITION_TOO_LARGE).get("error").asText())
                .contains("baton.definitions.max-source-size").contains("524288 bytes").contains("but it has 6");
        assertError(api.get("/api/definitions/" + id, TestUsers.DEVELOPER), 404, HubCodes.NOT_FOUND);
    }

    private static String chain(String id, int steps) {
        StringBuilder b = new StringBuilder("id: " + id + "\nsteps:\n");
        for (int i = 0; i < steps; i++) {
            b.append("  - {id: s").append(i).append(", task: {}").append(i + 1 < steps ? ", next: s" + (i + 1) : "")
                    .append("}\n");
        }
        return b.toString();
    }
}
