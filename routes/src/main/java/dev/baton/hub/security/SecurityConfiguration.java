package dev.baton.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import dev.baton.governance.access.Roles;
import dev.baton.governance.access.UserEntry;
import dev.baton.governance.access.UsersFile;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ErrorBody;
import dev.baton.hub.config.HubProperties;

/**
 * HTTP Basic with the users of {@code BATON_USERS} (or generated into {@code <data dir>/credentials}),
 * and the role permissions of CONTRACT.md. Only {@code /actuator/health} is open.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** Where the users came from, for the start-up message. */
    public record UsersSource(Path file, boolean generated, List<String> names) {
    }

    @Bean
    UsersSource usersSource(HubProperties properties) throws IOException {
        if (properties.usersFile() != null && !properties.usersFile().isBlank()) {
            Path file = Path.of(properties.usersFile());
            List<UserEntry> users = UsersFile.read(file);
            return new UsersSource(file, false, users.stream().map(UserEntry::name).toList());
        }
        Path file = properties.dataDir().resolve("credentials");
        boolean existed = file.toFile().exists();
        List<UserEntry> users = UsersFile.readOrGenerate(file);
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
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json) throws Exception {
        String admin = Roles.ADMIN;
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.authenticationEntryPoint((request, response, e) -> write(json, response,
                        HttpServletResponse.SC_UNAUTHORIZED, HubCodes.UNAUTHENTICATED,
                        "Authentication required (HTTP Basic)", true)))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> write(json, response,
                                HttpServletResponse.SC_UNAUTHORIZED, HubCodes.UNAUTHENTICATED,
                                "Authentication required (HTTP Basic)", true))
                        .accessDeniedHandler((request, response, ex) -> write(json, response,
                                HttpServletResponse.SC_FORBIDDEN, HubCodes.FORBIDDEN,
                                "Your roles do not allow " + request.getMethod() + " " + request.getRequestURI(), false)))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.POST, "/api/definitions").hasAnyRole(Roles.DEVELOPER, admin)
                        .requestMatchers(HttpMethod.GET, "/api/definitions", "/api/definitions/**").authenticated()
                        .requestMatchers(HttpMethod.POST, "/api/definitions/*/instances").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.POST, "/api/instances/*/cancel").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.GET, "/api/instances", "/api/instances/**")
                        .hasAnyRole(Roles.OPERATOR, admin, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/events/**").hasAnyRole(Roles.INTEGRATION, admin)
                        // Tasks: the candidate roles decide, per task, in TaskService.
                        .requestMatchers("/api/tasks", "/api/tasks/**").authenticated()
                        .requestMatchers("/api/incidents", "/api/incidents/**").hasAnyRole(Roles.OPERATOR, admin)
                        .requestMatchers(HttpMethod.GET, "/api/traces/**", "/api/kpis")
                        .hasAnyRole(Roles.OPERATOR, admin, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/api/audit/checkpoints").hasRole(admin)
                        .requestMatchers(HttpMethod.GET, "/api/audit", "/api/audit/**").hasAnyRole(Roles.AUDITOR, admin)
                        .requestMatchers("/api/personal-data/**").hasRole(admin)
                        .requestMatchers(HttpMethod.GET, "/api/sandboxes")
                        .hasAnyRole(admin, Roles.DEVELOPER, Roles.OPERATOR)
                        // Unknown paths: any authenticated caller gets the plain 404 or 405.
                        .anyRequest().authenticated());
        return http.build();
    }

    private static void write(ObjectMapper json, HttpServletResponse response, int status, String code, String message,
                              boolean challenge) throws IOException {
        response.setStatus(status);
        if (challenge) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"baton\"");
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ErrorBody(message, code, List.of()));
    }
}
