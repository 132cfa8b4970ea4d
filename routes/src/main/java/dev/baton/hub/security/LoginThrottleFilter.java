package dev.baton.hub.security;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before its credentials are checked, every login of a user name or from an address that
 * {@link LoginThrottle} has locked out: 429 with {@code Retry-After}, the right password included, and
 * neither logged nor audited (the lockout was, once, when it began). A successful Basic login forgets
 * that user's failures. Requests without an {@code Authorization} header pass: they are not logins.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;
    private final ObjectMapper json;

    LoginThrottleFilter(LoginThrottle throttle, ObjectMapper json) {
        this.throttle = throttle;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader("Authorization") == null) {
            chain.doFilter(request, response);
            return;
        }
        String user = SecurityConfiguration.basicUser(request);
        Optional<LoginThrottle.Lockout> lockout = throttle.lockedOut(user, request.getRemoteAddr());
        if (lockout.isPresent()) {
            SecurityConfiguration.tooManyFailures(json, response, lockout.get());
            return;
        }
        chain.doFilter(request, response);
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (user != null && caller != null && caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken)
                && user.equals(caller.getName())) {
            throttle.succeeded(user);
        }
    }
}
