package dev.baton.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

import dev.baton.governance.access.Roles;
import dev.baton.governance.access.UserEntry;
import dev.baton.governance.access.UsersFile;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ErrorBody;
import dev.baton.hub.audit.AccessAudit;
import dev.baton.hub.config.HubProperties;

/**
 * HTTP Basic with the users of {@code BATON_USERS} (or generated into {@code <data dir>/credentials}),
 * bearer JWTs beside it when an OIDC issuer or JWK set is configured, and the role permissions of
 * CONTRACT.md. Only {@code /actuator/health} is open. Every refusal, 401 or 403, goes to
 * {@link AccessAudit}.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** Where the users came from, for the start-up message. */
    public record UsersSource(Path file, boolean generated, List<String> names) {
    }

    @Bean
    UsersSource usersSource(HubProperties properties, AccessProperties access) throws IOException {
        if (properties.usersFile() != null && !properties.usersFile().isBlank()) {
            Path file = Path.of(properties.usersFile());
            List<UserEntry> users = UsersFile.read(file);
            return new UsersSource(file, false, users.stream().map(UserEntry::name).toList());
        }
        Path file = properties.dataDir().resolve("credentials");
        boolean existed = file.toFile().exists();
        List<UserEntry> users = UsersFile.readOrGenerate(file, access.events().sources());
        return new UsersSource(file, !existed, users.stream().map(UserEntry::name).toList());
    }

    @Bean
    InMemoryUserDetailsManager users(UsersSource source) throws IOException {
        List<UserEntry> entries = UsersFile.read(source.file());
        List<UserDetails> users = entries.stream().map(u -> User.withUsername(u.name()).password(u.password())
                .roles(u.roles().toArray(String[]::new)).build()).toList();
        return new InMemoryUserDetailsManager(users);
    }

    /**
     * The users file holds clear-text passwords (CONTRACT.md's format), so hashing them in memory
     * would protect nothing; compare in constant time instead.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return raw.toString();
            }

            @Override
            public boolean matches(CharSequence raw, String stored) {
                return MessageDigest.isEqual(raw.toString().getBytes(StandardCharsets.UTF_8),
                        stored.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json, AccessAudit audit, AccessProperties access,
                            ObjectProvider<JwtDecoder> jwtDecoder, LoginThrottle throttle) throws Exception {
        String admin = Roles.ADMIN;
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        AuthenticationEntryPoint unauthenticated = unauthenticated(json, audit, decoder != null, throttle);
        // before both the bearer and the Basic filter: a locked-out login is refused unchecked
        http.addFilterBefore(new LoginThrottleFilter(throttle, json), BearerTokenAuthenticationFilter.class);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.authenticationEntryPoint(unauthenticated))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden(json, audit)))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.POST, "/api/definitions").hasAnyRole(Roles.DEVELOPER, admin)
                        // Event sources (integration roles only) read nothing: GET /api/** below.
                        .requestMatchers(HttpMethod.GET, "/api/definitions", "/api/definitions/**")
                        .access(new NotOnlyIntegration())
                        .requestMatchers(HttpMethod.POST, "/api/definitions/*/instances").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.POST, "/api/instances/*/cancel").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.GET, "/api/instances", "/api/instances/**")
                        .hasAnyRole(Roles.OPERATOR, admin, Roles.AUDITOR)
                        // integration:<source> for its own source, integration (a relay) and admin for any
                        .requestMatchers(HttpMethod.POST, "/events/{source}").access(new EventSourceAccess())
                        .requestMatchers(HttpMethod.POST, "/events/**").hasAnyRole(Roles.INTEGRATION, admin)
                        // Tasks: approver groups, operators, admins; the candidate roles and the four-eyes rule
                        // decide, per task, in TaskService.
                        .requestMatchers("/api/tasks", "/api/tasks/**").access(new TaskAccess())
                        .requestMatchers("/api/incidents", "/api/incidents/**").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.GET, "/api/traces/**", "/api/kpis")
                        .hasAnyRole(Roles.OPERATOR, admin, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/api/audit/checkpoints").hasRole(admin)
                        .requestMatchers(HttpMethod.GET, "/api/audit", "/api/audit/**").hasAnyRole(Roles.AUDITOR, admin)
                        .requestMatchers("/api/personal-data/**").hasRole(admin)
                        .requestMatchers(HttpMethod.GET, "/api/sandboxes")
                        .hasAnyRole(admin, Roles.DEVELOPER, Roles.OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/api/**").access(new NotOnlyIntegration())
                        // Unknown paths: any authenticated caller gets the plain 404 or 405.
                        .anyRequest().authenticated());
        if (decoder != null) {
            http.oauth2ResourceServer(o -> o
                    .jwt(j -> j.decoder(guarded(decoder)).jwtAuthenticationConverter(new JwtUsers(access.security().jwt())))
                    .authenticationEntryPoint(unauthenticated)
                    .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                        @Override
                        public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                            // Spring rethrows failures to check a token (issuer unreachable) as a 500; answer
                            // them like any refused token, with the cause in the log.
                            filter.setAuthenticationFailureHandler((request, response, e) -> {
                                if (e instanceof AuthenticationServiceException) {
                                    LOG.warn("{} a bearer token could not be checked: {}", HubCodes.UNAUTHENTICATED,
                                            e.getMessage(), e.getCause());
                                }
                                unauthenticated.commence(request, response, e);
                            });
                            return filter;
                        }
                    }));
        }
        return http.build();
    }

    /** The issuer's metadata is read on the first token; while it cannot be, tokens are refused, not a 500. */
    private static JwtDecoder guarded(JwtDecoder decoder) {
        return token -> {
            try {
                return decoder.decode(token);
            } catch (JwtDecoderInitializationException e) {
                throw new JwtException("The token issuer's keys could not be loaded: " + e.getMessage(), e);
            }
        };
    }

    /**
     * 401: no, wrong or invalid credentials. A wrong Basic login or a refused bearer token counts as a
     * failed login ({@link LoginThrottle}); the one that begins a lockout is answered 429 and is the
     * lockout's one log line and audit entry.
     */
    private static AuthenticationEntryPoint unauthenticated(ObjectMapper json, AccessAudit audit, boolean bearer,
                                                            LoginThrottle throttle) {
        String how = bearer ? "HTTP Basic or a bearer token" : "HTTP Basic";
        return (request, response, e) -> {
            String claimed = basicUser(request);
            boolean badToken = e instanceof OAuth2AuthenticationException
                    || (e instanceof AuthenticationServiceException && isBearer(request));
            // an issuer that cannot be reached is not the caller's failure
            boolean failedLogin = e instanceof OAuth2AuthenticationException
                    || (e instanceof BadCredentialsException && isBasic(request));
            if (failedLogin) {
                Optional<LoginThrottle.Lockout> begun = throttle.failed(claimed, request.getRemoteAddr());
                if (begun.isPresent()) {
                    LoginThrottle.Lockout l = begun.get();
                    audit.lockedOut(request, claimed, (l.byUser() ? "user name '" + l.key() + "'" : "address " + l.key())
                            + " locked out for " + seconds(l.duration()) + " s after " + l.failures()
                            + " failed login(s)");
                    tooManyFailures(json, response, l);
                    return;
                }
            }
            String message;
            String reason;
            if (badToken) {
                String why = e instanceof OAuth2AuthenticationException o && o.getError().getDescription() != null
                        ? o.getError().getDescription() : e.getMessage();
                message = "The bearer token was refused: " + why;
                reason = "invalid bearer token: " + why;
            } else if (claimed != null) {
                message = "Wrong user name or password (HTTP Basic)";
                reason = "failed login";
            } else {
                message = "Authentication required (" + how + ")";
                reason = "no credentials";
            }
            audit.denied(request, claimed, HttpServletResponse.SC_UNAUTHORIZED, reason);
            if (badToken) {
                response.addHeader("WWW-Authenticate", "Bearer realm=\"baton\", error=\"invalid_token\"");
            } else {
                response.addHeader("WWW-Authenticate", "Basic realm=\"baton\"");
                if (bearer) {
                    response.addHeader("WWW-Authenticate", "Bearer realm=\"baton\"");
                }
            }
            write(json, response, HttpServletResponse.SC_UNAUTHORIZED, HubCodes.UNAUTHENTICATED, message);
        };
    }

    /** 403: authenticated, but the URL rules do not allow the caller's roles. */
    private static AccessDeniedHandler forbidden(ObjectMapper json, AccessAudit audit) {
        return (request, response, e) -> {
            Authentication caller = SecurityContextHolder.getContext().getAuthentication();
            List<String> roles = caller == null ? List.of() : caller.getAuthorities().stream()
                    .map(GrantedAuthority::getAuthority).map(a -> a.startsWith("ROLE_") ? a.substring(5) : a).sorted()
                    .toList();
            String what = request.getMethod() + " " + request.getRequestURI();
            audit.denied(request, caller == null ? null : caller.getName(), HttpServletResponse.SC_FORBIDDEN,
                    "roles " + roles + " do not allow " + what);
            write(json, response, HttpServletResponse.SC_FORBIDDEN, HubCodes.FORBIDDEN, "Your roles do not allow " + what);
        };
    }

    /**
     * The user name of an HTTP Basic header, never its password; null when there is none or it is
     * malformed. Control characters become {@code ?}: the name is the caller's text, bound for logs.
     */
    static String basicUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String name = colon < 0 ? null : decoded.substring(0, colon);
            return name == null || name.isBlank() || name.length() > 200 ? null
                    : name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** 429: a lockout in force, or the failure that began it. */
    static void tooManyFailures(ObjectMapper json, HttpServletResponse response, LoginThrottle.Lockout lockout)
            throws IOException {
        long seconds = seconds(lockout.duration());
        response.setHeader("Retry-After", Long.toString(seconds));
        write(json, response, 429, HubCodes.TOO_MANY_FAILED_LOGINS, "Too many failed logins for this user name or"
                + " from this address: every login is refused for " + seconds + " s, then one more failure locks"
                + " again for longer");
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static boolean isBasic(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    }

    private static boolean isBearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private static void write(ObjectMapper json, HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ErrorBody(message, code, List.of()));
    }
}
