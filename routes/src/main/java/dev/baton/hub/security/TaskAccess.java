package dev.baton.hub.security;

import java.util.Set;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.baton.governance.access.Roles;

/**
 * Who may reach {@code /api/tasks}: operators and admins, and holders of an approver group — any role
 * that is not one of the hub's own (developer, auditor, integration). Which task a caller may see and
 * complete is decided per task, by its candidate roles and the four-eyes rule, in {@code TaskService}.
 */
final class TaskAccess implements AuthorizationManager<RequestAuthorizationContext> {

    private static final Set<String> SUPERVISORS = Set.of("ROLE_" + Roles.OPERATOR, "ROLE_" + Roles.ADMIN);
    private static final Set<String> NOT_APPROVER_GROUPS = Set.of("ROLE_" + Roles.DEVELOPER, "ROLE_" + Roles.AUDITOR,
            "ROLE_" + Roles.INTEGRATION, "ROLE_personal-data");

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Authentication caller = authentication.get();
        if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        for (GrantedAuthority a : caller.getAuthorities()) {
            String role = a.getAuthority();
            if (SUPERVISORS.contains(role) || (role.startsWith("ROLE_") && !NOT_APPROVER_GROUPS.contains(role)
                    && !role.startsWith("ROLE_" + Roles.INTEGRATION_PREFIX))) {
                return new AuthorizationDecision(true);
            }
        }
        return new AuthorizationDecision(false);
    }
}
