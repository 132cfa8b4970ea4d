package dev.baton.hub.security;

import java.time.Duration;
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

    /**
     * @param jwt           how a bearer JWT names its user and roles
     * @param loginThrottle lockouts after repeated failed logins
     */
    public record Security(@DefaultValue Jwt jwt, @DefaultValue LoginThrottle loginThrottle) {
    }

    /**
     * Failed logins (a wrong HTTP Basic password, a refused bearer token) counted per claimed user name and
     * per client address (the socket's, or the forwarded one when {@code server.forward-headers-strategy} is
     * set); see {@link dev.baton.hub.security.LoginThrottle}.
     *
     * @param enabled               whether failed logins lead to lockouts
     * @param maxFailures           failed logins of one user name within {@code window} that lock it out
     * @param maxFailuresPerAddress failed logins from one address (IPv6: one /64) within {@code window} that lock it out
     * @param window                the time failures are counted in
     * @param lockout               the first lockout; each further one in a row doubles it
     * @param maxLockout            the longest lockout
     * @param maxTracked            most user names, and most addresses, remembered at once
     */
    public record LoginThrottle(@DefaultValue("true") boolean enabled,
                                @DefaultValue("" + DEFAULT_MAX_FAILURES) int maxFailures,
                                @DefaultValue("" + DEFAULT_MAX_FAILURES_PER_ADDRESS) int maxFailuresPerAddress,
                                @DefaultValue(DEFAULT_WINDOW) Duration window,
                                @DefaultValue(DEFAULT_LOCKOUT) Duration lockout,
                                @DefaultValue(DEFAULT_MAX_LOCKOUT) Duration maxLockout,
                                @DefaultValue("" + DEFAULT_MAX_TRACKED) int maxTracked) {

        public static final int DEFAULT_MAX_FAILURES = 5;
        public static final int DEFAULT_MAX_FAILURES_PER_ADDRESS = 20;
        public static final String DEFAULT_WINDOW = "5m";
        public static final String DEFAULT_LOCKOUT = "30s";
        public static final String DEFAULT_MAX_LOCKOUT = "15m";
        public static final int DEFAULT_MAX_TRACKED = 10_000;

        public LoginThrottle {
            if (maxFailures < 1 || maxFailuresPerAddress < 1 || maxTracked < 1) {
                throw new IllegalArgumentException("baton.security.login-throttle: max-failures,"
                        + " max-failures-per-address and max-tracked must be at least 1");
            }
            if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()
                    || maxLockout.compareTo(lockout) < 0) {
                throw new IllegalArgumentException("baton.security.login-throttle: window and lockout must be"
                        + " positive, max-lockout at least lockout");
            }
        }
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
