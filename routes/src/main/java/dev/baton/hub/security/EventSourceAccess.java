package dev.baton.hub.security;

import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.baton.governance.access.Roles;

/**
 * Who may post to {@code /events/{source}}: holders of {@code integration:<source>} for that source
 * only, holders of {@code integration} (a trusted relay) and admins for any source.
 */
final class EventSourceAccess implements AuthorizationManager<RequestAuthorizationContext> {

    private static final String ANY_SOURCE = "ROLE_" + Roles.INTEGRATION;
    private static final String ADMIN = "ROLE_" + Roles.ADMIN;

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Authentication caller = authentication.get();
        if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        String source = context.getVariables().get("source");
        String own = source == null ? null : "ROLE_" + Roles.INTEGRATION_PREFIX + source;
        for (GrantedAuthority a : caller.getAuthorities()) {
            String authority = a.getAuthority();
            if (ANY_SOURCE.equals(authority) || ADMIN.equals(authority) || (own != null && own.equals(authority))) {
                return new AuthorizationDecision(true);
            }
        }
        return new AuthorizationDecision(false);
    }
}
