package dev.baton.hub.audit;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.baton.governance.audit.AuditChain;
import dev.baton.hub.HubCodes;
import dev.baton.model.engine.Intent;

/**
 * Refusals as {@code ACCESS_DENIED} entries: who (or which claimed name), the status, the method and
 * path (never the query string, which may carry business data, nor credentials), and why.
 */
@Component
class TrailAccessAudit implements AccessAudit {

    private static final Logger LOG = LoggerFactory.getLogger(TrailAccessAudit.class);

    private final AuditLog audit;
    private final Clock clock;

    TrailAccessAudit(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void denied(HttpServletRequest request, String actor, int status, String reason) {
        String who = actor == null || actor.isBlank() ? "anonymous" : actor;
        String summary = status + " " + request.getMethod() + " " + request.getRequestURI()
                + (reason == null ? "" : ": " + reason);
        LOG.info("access denied to {}: {}", who, summary);
        append(who, summary);
    }

    /** A lockout: one warning with its code (and the client address), one entry. */
    @Override
    public void lockedOut(HttpServletRequest request, String actor, String reason) {
        String who = actor == null || actor.isBlank() ? "anonymous" : actor;
        String summary = "429 " + request.getMethod() + " " + request.getRequestURI() + ": " + reason;
        LOG.warn("{} login lockout: {} (client {})", HubCodes.TOO_MANY_FAILED_LOGINS, summary, request.getRemoteAddr());
        append(who, summary);
    }

    private void append(String who, String summary) {
        try {
            audit.appendNow(new AuditChain.Draft(clock.instant(), null, null, null, null, Intent.ACCESS_DENIED.name(),
                    Intent.ACCESS_DENIED.code(), who, null, null, null, summary));
        } catch (RuntimeException e) {
            // The refusal stands either way; failing to record it must not turn a 401/403 into a 500.
            LOG.error("BATON-AUDIT-001 could not record a refusal ({}): {}", summary, e.toString());
        }
    }
}
