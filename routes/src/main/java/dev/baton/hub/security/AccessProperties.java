package dev.baton.hub.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may do what, root {@code baton} (beside {@link dev.baton.hub.config.HubProperties}). Bearer JWTs
 * are accepted when Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or
 * {@code ...jwt.jwk-set-uri} is set; these settings say how to read them.
 *
 * @param security how bearer tokens map to users and roles
 * @param events   the event sources of {@code /events/{source}}
 * @param tasks    rules for completing human tasks
 */
@ConfigurationProperties("baton")
public record AccessProperties(@DefaultValue Security security, @DefaultValue Events events, @DefaultValue Tasks tasks) {

    /** @param jwt how a bearer JWT names its user and roles */
    public record Security(@DefaultValue Jwt jwt) {
    }

    /**
     * @param rolesClaim    the claim holding the roles, a dotted path into nested claims (Keycloak:
     *                      {@code realm_access.roles}); a list, or one string of roles separated by spaces
     *                      or commas. Each role becomes the same authority a Basic user with that role has
     * @param usernameClaim the claim naming the user; {@code sub} when the token lacks it
     */
    public record Jwt(@DefaultValue("roles") String rolesClaim,
                      @DefaultValue("preferred_username") String usernameClaim) {
    }

    /**
     * @param sources the systems that post events; the generated users file holds one user
     *                {@code source-<name>} with role {@code integration:<name>} for each
     */
    public record Events(@DefaultValue({"shop", "wms", "sap"}) List<String> sources) {
    }

    /**
     * @param fourEyes the four-eyes rule for every human task, as if each said {@code fourEyes: true}:
     *                 whoever started an instance may not complete its tasks
     */
    public record Tasks(@DefaultValue("false") boolean fourEyes) {
    }
}
