package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;
import dev.baton.hub.support.TokenIssuer;

/**
 * Bearer JWTs from an OpenID provider (a real discovery document and JWKS over HTTP) beside HTTP
 * Basic, with the default claims: roles from {@code roles}, the user from {@code preferred_username}.
 */
class JwtBearerTest extends HubTestBase {

    private static TokenIssuer issuer;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        issuer = TokenIssuer.start();
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::url);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void anOperatorsTokenReadsInstancesButMayNotDeploy() {
        Api olga = api.bearer(issuer.token(Map.of("preferred_username", "olga", "sub", "u-1",
                "roles", List.of("operator"))));

        Api.Response instances = olga.get("/api/instances", null);
        Api.Response deploy = olga.post("/api/definitions", null, "application/yaml",
                "id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(unique("jwt-deploy")));

        assertThat(instances.status()).as(instances.body()).isEqualTo(200);
        assertThat(instances.json().get("instances").isArray()).isTrue();
        assertError(deploy, 403, HubCodes.FORBIDDEN);
    }

    @Test
    void rolesWrittenAsOneStringCountLikeAListAndTheUserIsTheTokensNameElseItsSubject() {
        String id = unique("jwt-start");
        Api dev = api.bearer(issuer.token(Map.of("preferred_username", "dana", "roles", "developer, operator")));
        Api service = api.bearer(issuer.token(Map.of("sub", "svc-billing", "roles", "operator")));

        Api.Response deployed = dev.post("/api/definitions", null, "application/yaml",
                "id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(id));
        Api.Response byDana = dev.postJson("/api/definitions/" + id + "/instances", null,
                Map.of("businessKey", "B-1", "variables", Map.of()));
        Api.Response byService = service.postJson("/api/definitions/" + id + "/instances", null,
                Map.of("businessKey", "B-2", "variables", Map.of()));

        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        assertThat(byDana.status()).as(byDana.body()).isEqualTo(201);
        assertThat(byService.status()).as(byService.body()).isEqualTo(201);
        assertThat(api.instance(byDana.text("instanceId")).get("startedBy").asText()).isEqualTo("dana");
        assertThat(api.instance(byService.text("instanceId")).get("startedBy").asText()).isEqualTo("svc-billing");
    }

    @Test
    void anExpiredTokenAForgedOneAndGarbageGet401WithTheHubsErrorBody() {
        Map<String, Object> claims = Map.of("preferred_username", "olga", "roles", List.of("operator"));

        Api.Response expired = api.bearer(issuer.expiredToken(claims)).get("/api/instances", null);
        Api.Response forged = api.bearer(issuer.forgedToken(claims)).get("/api/instances", null);
        Api.Response garbage = api.bearer("not-a-jwt").get("/api/instances", null);

        assertThat(assertError(expired, 401, HubCodes.UNAUTHENTICATED).get("error").asText()).containsIgnoringCase("expired");
        assertError(forged, 401, HubCodes.UNAUTHENTICATED);
        assertError(garbage, 401, HubCodes.UNAUTHENTICATED);
    }

    @Test
    void aTokenNamingAUserLongerThanTheHubRecordsGets401NotA500() {
        String id = unique("jwt-long-name");
        assertThat(api.deploy("id: %s\nsteps:\n  - {id: a, task: {}}\n".formatted(id)).status()).isEqualTo(201);
        Api longName = api.bearer(issuer.token(Map.of("preferred_username", "o".repeat(101),
                "roles", List.of("operator"))));

        Api.Response started = longName.postJson("/api/definitions/" + id + "/instances", null,
                Map.of("businessKey", "B-3", "variables", Map.of()));

        assertThat(assertError(started, 401, HubCodes.UNAUTHENTICATED).get("error").asText())
                .contains("101 characters");
    }

    @Test
    void httpBasicKeepsWorkingBesideBearerTokens() {
        Api.Response operator = api.get("/api/instances", TestUsers.OPERATOR);
        Api.Response none = api.get("/api/instances", null);

        assertThat(operator.status()).as(operator.body()).isEqualTo(200);
        assertThat(assertError(none, 401, HubCodes.UNAUTHENTICATED).get("error").asText())
                .contains("HTTP Basic or a bearer token");
    }
}
