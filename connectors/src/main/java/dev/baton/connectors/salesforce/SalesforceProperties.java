package dev.baton.connectors.salesforce;

import java.time.Duration;
import java.util.List;

/**
 * How the hub reaches one Salesforce org.
 *
 * @param loginUrl          OAuth server, e.g. {@code https://login.salesforce.com} (a sandbox's URL in the embedded default)
 * @param authentication    {@code USERNAME_PASSWORD}, {@code CLIENT_CREDENTIALS} or {@code JWT}, as camel-salesforce names them
 * @param clientId          the connected app's consumer key
 * @param clientSecret      its secret (not needed for JWT)
 * @param username          the integration user (password and JWT flows)
 * @param password          its password (password flow)
 * @param keystore          JWT flow: a PKCS12 or JKS file holding the connected app's certificate key
 * @param keystorePassword  its password
 * @param apiVersion        REST API version, e.g. {@code 56.0}
 * @param requestsPerSecond outbound calls per second across the hub node, to stay inside the org's API limits
 * @param breaker           when to stop calling an org that keeps failing
 * @param subscriptions     change-event channels to follow, e.g. {@code /data/AccountChangeEvent}
 * @param echoSuppression   drop change events the hub's own integration user committed
 */
public record SalesforceProperties(String loginUrl, String authentication, String clientId, String clientSecret,
                                   String username, String password, String keystore, String keystorePassword,
                                   String apiVersion, int requestsPerSecond, Breaker breaker,
                                   List<String> subscriptions, boolean echoSuppression) {

    /**
     * @param failureRate  percentage of failed calls in the window that opens the breaker
     * @param window       calls the failure rate is measured over
     * @param minimumCalls calls needed before the rate counts
     * @param openFor      how long the breaker refuses calls before it lets a few through again
     */
    public record Breaker(int failureRate, int window, int minimumCalls, Duration openFor) {
        public static final Breaker DEFAULT = new Breaker(50, 20, 10, Duration.ofSeconds(10));
    }

    public SalesforceProperties {
        authentication = authentication == null || authentication.isBlank() ? "USERNAME_PASSWORD" : authentication;
        apiVersion = apiVersion == null || apiVersion.isBlank() ? "56.0" : apiVersion;
        requestsPerSecond = requestsPerSecond <= 0 ? 100 : requestsPerSecond;
        breaker = breaker == null ? Breaker.DEFAULT : breaker;
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
    }

    /** Secrets are never printed, whoever prints this (a bind failure, a debugger, a log line). */
    @Override
    public String toString() {
        return "SalesforceProperties[loginUrl=" + loginUrl + ", authentication=" + authentication + ", clientId="
                + clientId + ", clientSecret=" + (clientSecret == null ? null : "****") + ", username=" + username
                + ", password=" + (password == null ? null : "****") + ", keystore=" + keystore + ", keystorePassword="
                + (keystorePassword == null ? null : "****") + ", apiVersion=" + apiVersion + ", requestsPerSecond="
                + requestsPerSecond + ", breaker=" + breaker + ", subscriptions=" + subscriptions
                + ", echoSuppression=" + echoSuppression + "]";
    }
}
