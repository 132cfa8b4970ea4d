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
import dev.baton.hub.support.TokenIssuer;

/** Keycloak puts realm roles under {@code realm_access.roles}: a dotted roles-claim path reads them. */
class JwtNestedRolesClaimTest extends HubTestBase {

    private static TokenIssuer issuer;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        issuer = TokenIssuer.start();
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::url);
        registry.add("baton.security.jwt.roles-claim", () -> "realm_access.roles");
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void rolesUnderTheConfiguredPathCountAndOthersDoNot() {
        Api keycloakOperator = api.bearer(issuer.token(Map.of("preferred_username", "olga",
                "realm_access", Map.of("roles", List.of("offline_access", "operator")))));
        Api topLevelOnly = api.bearer(issuer.token(Map.of("preferred_username", "tom", "roles", List.of("operator"))));

        Api.Response allowed = keycloakOperator.get("/api/instances", null);
        Api.Response refused = topLevelOnly.get("/api/instances", null);

        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertError(refused, 403, HubCodes.FORBIDDEN);
    }

    @Test
    void aSourcesTokenPostsItsOwnEventsOnly() {
        Api shop = api.bearer(issuer.token(Map.of("preferred_username", "shop-system",
                "realm_access", Map.of("roles", List.of("integration:shop")))));
        String event = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/shop\",\"type\":\"com.example.nothing\"}";

        Api.Response own = shop.post("/events/shop", null, "application/cloudevents+json",
                event.formatted(unique("jwt-ev")));
        Api.Response other = shop.post("/events/wms", null, "application/cloudevents+json",
                event.formatted(unique("jwt-ev")));

        assertThat(own.status()).as(own.body()).isEqualTo(202);
        assertError(other, 403, HubCodes.FORBIDDEN);
    }
}
