package dev.baton.hub.connect;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.baton.connectors.salesforce.SalesforceLoginException;

/**
 * A failed Salesforce login at start-up is reported as Spring Boot's "APPLICATION FAILED TO START" with
 * what went wrong and what to check, not as a stack trace (which stays available at DEBUG).
 */
class SalesforceLoginFailureAnalyzer extends AbstractFailureAnalyzer<SalesforceLoginException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SalesforceLoginException cause) {
        return new FailureAnalysis(cause.getMessage(), "Check baton.connectors.salesforce.login-url, client-id, "
                + "client-secret, username and password (environment or --key=value), or the connected app and user "
                + "in the org. With baton.sandboxes.enabled=true, leave them unset to use the sandbox's.", cause);
    }
}
