package dev.baton.hub.audit;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Puts every refused request on the record: unauthenticated calls (401), calls the caller's roles do
 * not allow (403), and refusals the services decide themselves (a task for another group, the
 * four-eyes rule). Each is an {@code ACCESS_DENIED} entry of the audit trail, in its own transaction.
 */
public interface AccessAudit {

    /**
     * Records one refusal.
     *
     * @param request the refused request
     * @param actor   who asked: the authenticated user, the name a failed login claimed, or null
     * @param status  the status answered, 401 or 403
     * @param reason  why, without secrets (never a password or a token)
     */
    void denied(HttpServletRequest request, String actor, int status, String reason);

    /**
     * Records a lockout after repeated failed logins (answered 429): once when it begins, never for the
     * logins refused while it lasts.
     *
     * @param actor  the user name the failed logins claimed, or null (a refused bearer token)
     * @param reason what is locked out, for how long and after how many failures
     */
    default void lockedOut(HttpServletRequest request, String actor, String reason) {
        denied(request, actor, 429, reason);
    }
}
