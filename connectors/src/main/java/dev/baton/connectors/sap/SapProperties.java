package dev.baton.connectors.sap;

import java.time.Duration;

import dev.baton.connectors.salesforce.SalesforceProperties.Breaker;

/**
 * How the hub reaches one SAP NetWeaver Gateway OData V2 service.
 *
 * @param serviceUrl        the service root, e.g. {@code https://gw.example.com/sap/opu/odata/IWBEP/GWSAMPLE_BASIC}
 * @param username          basic-auth user (a technical RFC/communication user)
 * @param password          its password
 * @param timeout           connect and response timeout of one call
 * @param requestsPerSecond outbound calls per second across the hub node
 * @param breaker           when to stop calling a gateway that keeps failing
 * @param poll              the delta poller, for gateways that do not push business events
 */
public record SapProperties(String serviceUrl, String username, String password, Duration timeout,
                            int requestsPerSecond, Breaker breaker, Poll poll) {

    /**
     * @param enabled  whether to poll
     * @param interval time between polls
     * @param pageSize entities a poll reads at most per entity set
     */
    public record Poll(boolean enabled, Duration interval, int pageSize) {
        public static final Poll OFF = new Poll(false, Duration.ofSeconds(30), 500);
    }

    public SapProperties {
        if (serviceUrl != null && serviceUrl.endsWith("/")) {
            serviceUrl = serviceUrl.substring(0, serviceUrl.length() - 1);
        }
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        requestsPerSecond = requestsPerSecond <= 0 ? 100 : requestsPerSecond;
        breaker = breaker == null ? Breaker.DEFAULT : breaker;
        poll = poll == null ? Poll.OFF : poll;
    }

    /** The password is never printed, whoever prints this (a bind failure, a debugger, a log line). */
    @Override
    public String toString() {
        return "SapProperties[serviceUrl=" + serviceUrl + ", username=" + username + ", password="
                + (password == null ? null : "****") + ", timeout=" + timeout + ", requestsPerSecond="
                + requestsPerSecond + ", breaker=" + breaker + ", poll=" + poll + "]";
    }
}
