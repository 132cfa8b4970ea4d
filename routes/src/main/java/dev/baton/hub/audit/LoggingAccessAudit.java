package dev.baton.hub.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Interim: refusals are logged until the audit trail's store records them (issue 4, in progress). */
@Component
class LoggingAccessAudit implements AccessAudit {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingAccessAudit.class);

    @Override
    public void denied(HttpServletRequest request, String actor, int status, String reason) {
        LOG.info("access denied ({}) to {} {} for {}: {}", status, request.getMethod(), request.getRequestURI(),
                actor, reason);
    }
}
