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
 * Who may read under {@code /api}: any authenticated caller holding at least one role besides the event
 * roles. A caller whose roles are only {@code integration} or {@code integration:<source>} is a system
 * that posts events; it reads nothing, not even definitions, whose sources may name other systems'
 * endpoints and the events they expect.
 */
final class NotOnlyIntegration implements AuthorizationManager<RequestAuthorizationContext> {

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Authentication caller = authentication.get();
        if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        for (GrantedAuthority a : caller.getAuthorities()) {
            String role = a.getAuthority();
            if (role.startsWith("ROLE_") && !isEventRole(role.substring(5))) {
                return new AuthorizationDecision(true);
            }
        }
        return new AuthorizationDecision(false);
    }

    private static boolean isEventRole(String role) {
        return role.equals(Roles.INTEGRATION) || role.startsWith(Roles.INTEGRATION_PREFIX);
    }
}
