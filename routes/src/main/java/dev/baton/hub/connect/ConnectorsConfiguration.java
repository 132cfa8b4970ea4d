package dev.baton.hub.connect;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.camel.component.salesforce.SalesforceComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.baton.connectors.salesforce.SalesforceConnector;
import dev.baton.connectors.sandbox.Faults;
import dev.baton.connectors.salesforce.SalesforceProperties;
import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.SapConnector;
import dev.baton.connectors.sap.SapProperties;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.governance.access.Roles;
import dev.baton.governance.access.UserEntry;
import dev.baton.governance.access.UsersFile;
import dev.baton.hub.security.SecurityConfiguration.UsersSource;

/**
 * Salesforce and SAP: their sandboxes in the embedded default ({@code baton.sandboxes.enabled}), else
 * the org and gateway configured under {@code baton.connectors.salesforce} / {@code baton.connectors.sap}.
 */
@Configuration(proxyBeanMethods = false)
public class ConnectorsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorsConfiguration.class);

    static final String SANDBOXES_ON = "${baton.sandboxes.enabled:true}";
    static final String SALESFORCE_ON = SANDBOXES_ON + " or '${baton.connectors.salesforce.login-url:}' != ''";
    static final String SAP_ON = SANDBOXES_ON + " or '${baton.connectors.sap.service-url:}' != ''";

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "baton.sandboxes.enabled", havingValue = "true", matchIfMissing = true)
    SalesforceSandbox salesforceSandbox(Environment env) {
        SalesforceSandbox.Settings d = SalesforceSandbox.Settings.defaults();
        SalesforceSandbox sandbox = SalesforceSandbox.start(new SalesforceSandbox.Settings(d.host(),
                env.getProperty("baton.sandboxes.salesforce.port", Integer.class, 0), d.clientId(), d.clientSecret(),
                d.username(), d.password(), d.seed()));
        configureFaults(sandbox.faults(), env, "baton.sandboxes.salesforce.faults");
        return sandbox;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "baton.sandboxes.enabled", havingValue = "true", matchIfMissing = true)
    SapSandbox sapSandbox(Environment env, UsersSource users) throws IOException {
        Optional<UserEntry> integration = eventUser(UsersFile.read(users.file()), "sap");
        SapSandbox.Settings d = SapSandbox.Settings.defaults();
        SapSandbox.Settings settings = new SapSandbox.Settings(d.host(),
                env.getProperty("baton.sandboxes.sap.port", Integer.class, 0), d.username(), d.password(), d.seed(),
                d.events());
        boolean push = env.getProperty("baton.sandboxes.sap.push-events", Boolean.class, true);
        if (push && integration.isPresent()) {
            settings = settings.withEvents(new HubEventSink(env, integration.get()));
        } else if (push) {
            LOG.warn("The SAP sandbox cannot post its events: no user holds {} or {}", Roles.integrationFor("sap"),
                    Roles.INTEGRATION);
        }
        SapSandbox sandbox = SapSandbox.start(settings);
        configureFaults(sandbox.faults(), env, "baton.sandboxes.sap.faults");
        return sandbox;
    }

    /** The credential a system posts its events to {@code /events/<source>} with: its own, else a relay's. */
    static Optional<UserEntry> eventUser(List<UserEntry> users, String source) {
        String own = Roles.integrationFor(source);
        return users.stream().filter(u -> u.roles().contains(own)).findFirst()
                .or(() -> users.stream().filter(u -> u.roles().contains(Roles.INTEGRATION)).findFirst());
    }

    @Bean
    @ConditionalOnExpression(SALESFORCE_ON)
    SalesforceConnector salesforceConnector(Environment env, ObjectProvider<SalesforceSandbox> sandbox) {
        SalesforceProperties p = Binder.get(env).bind("baton.connectors.salesforce", SalesforceProperties.class)
                .orElseGet(() -> new SalesforceProperties(null, null, null, null, null, null, null, null, null, 0,
                        null, List.of("/data/AccountChangeEvent"), true));
        SalesforceSandbox s = sandbox.getIfAvailable();
        if (s != null) {
            // The sandbox fills what is not configured (a test may set a wrong password on purpose).
            p = new SalesforceProperties(or(p.loginUrl(), s.loginUrl()), p.authentication(),
                    or(p.clientId(), s.clientId()), or(p.clientSecret(), s.clientSecret()),
                    or(p.username(), s.username()), or(p.password(), s.password()), p.keystore(),
                    p.keystorePassword(), p.apiVersion(), p.requestsPerSecond(), p.breaker(), p.subscriptions(),
                    p.echoSuppression());
        }
        return new SalesforceConnector(p);
    }

    /** Registered as Camel's {@code salesforce} component; it logs in when Camel starts. */
    @Bean(SalesforceConnector.COMPONENT)
    @ConditionalOnExpression(SALESFORCE_ON)
    SalesforceComponent salesforceComponent(SalesforceConnector connector) {
        return connector.component();
    }

    @Bean
    @ConditionalOnExpression(SAP_ON)
    SapConnector sapConnector(Environment env, ObjectProvider<SapSandbox> sandbox) {
        SapProperties p = Binder.get(env).bind("baton.connectors.sap", SapProperties.class)
                .orElseGet(() -> new SapProperties(null, null, null, Duration.ofSeconds(30), 0, null, null));
        SapSandbox s = sandbox.getIfAvailable();
        if (s != null) {
            p = new SapProperties(or(p.serviceUrl(), s.serviceUrl()), or(p.username(), s.username()),
                    or(p.password(), s.password()), p.timeout(), p.requestsPerSecond(), p.breaker(), p.poll());
        }
        return new SapConnector(p);
    }

    /**
     * Failure injection from configuration, for reliability tests and demos: {@code latency} (a duration added
     * to every answer), {@code error-rate} (share of 503s), {@code throttle-rate} (share of 429s),
     * {@code down-for} (503 to everything for that long from start-up).
     */
    private static void configureFaults(Faults faults, Environment env, String prefix) {
        Duration latency = env.getProperty(prefix + ".latency", Duration.class);
        if (latency != null) {
            faults.latency(latency);
        }
        faults.errorRate(env.getProperty(prefix + ".error-rate", Double.class, 0.0));
        faults.throttleRate(env.getProperty(prefix + ".throttle-rate", Double.class, 0.0));
        Duration down = env.getProperty(prefix + ".down-for", Duration.class);
        if (down != null) {
            faults.downFor(down);
        }
    }

    private static String or(String configured, String fallback) {
        return configured == null || configured.isBlank() ? fallback : configured;
    }
}
