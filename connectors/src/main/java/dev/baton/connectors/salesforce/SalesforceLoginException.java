package dev.baton.connectors.salesforce;

/**
 * The hub could not log in to its Salesforce org at start-up; the message names the login URL, the user
 * and what Salesforce answered (e.g. {@code invalid_grant authentication failure}).
 */
public class SalesforceLoginException extends IllegalStateException {

    public SalesforceLoginException(String message, Throwable cause) {
        super(message, cause);
    }
}
