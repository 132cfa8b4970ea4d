package dev.baton.hub.connect;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.baton.connectors.http.HttpConnector;
import dev.baton.connectors.http.HttpProperties;
import dev.baton.connectors.http.OutboundPolicy;
import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.connectors.secrets.Secrets;

/**
 * The HTTP connector, where its calls may go, and the secrets its headers may refer to. The sandboxes'
 * own addresses are reachable while they run (the embedded default); nothing else that is not public is,
 * unless {@code baton.connectors.http.allow-private} names it.
 */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConfiguration.class);

    /**
     * Settings of the HTTP connector, root {@code baton.connectors.http}.
     *
     * @param enabled           whether call steps may use {@code http.*}
     * @param timeout           connect and response timeout of a call unless the step sets one
     * @param retryableStatuses statuses after which another attempt may succeed
     * @param allow             URL prefixes, hosts and {@code *.domain} patterns calls may go to; empty: any URL
     * @param allowPrivate      addresses or CIDR ranges, optionally {@code :port}, reachable though not public
     */
    @ConfigurationProperties("baton.connectors.http")
    record HttpSettings(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration timeout,
                        @DefaultValue({"408", "425", "429", "500", "502", "503", "504"}) Set<Integer> retryableStatuses,
                        @DefaultValue({}) List<String> allow, @DefaultValue({}) List<String> allowPrivate) {
    }

    /**
     * Where secrets come from, root {@code baton.secrets}.
     *
     * @param file {@code name=value} lines, owner-only; empty: secrets come from {@code BATON_SECRET_*} variables only
     */
    @ConfigurationProperties("baton.secrets")
    record SecretsSettings(Path file) {
    }

    /** Refuses to start when the secrets file is missing or readable by others than its owner. */
    @Bean
    Secrets secrets(SecretsSettings settings) {
        Path file = settings.file() == null || settings.file().toString().isBlank() ? null : settings.file();
        return new Secrets(file, System.getenv());
    }

    @Bean
    @ConditionalOnProperty(prefix = "baton.connectors.http", name = "enabled", matchIfMissing = true)
    HttpConnector httpConnector(HttpSettings settings, Secrets secrets, ObjectProvider<SalesforceSandbox> salesforce,
                                ObjectProvider<SapSandbox> sap) {
        HttpProperties properties = new HttpProperties(settings.enabled(), settings.timeout(),
                settings.retryableStatuses(), settings.allow(), settings.allowPrivate());
        OutboundPolicy policy = OutboundPolicy.of(properties.allow(), properties.allowPrivate());
        SalesforceSandbox sf = salesforce.getIfAvailable();
        if (sf != null) {
            policy = policy.alsoReaching(hostAndPort(sf.loginUrl()));
        }
        SapSandbox s = sap.getIfAvailable();
        if (s != null) {
            policy = policy.alsoReaching(hostAndPort(s.serviceUrl()));
        }
        LOG.info("http.* calls may go to: {}", policy);
        return new HttpConnector(properties, policy, secrets);
    }

    /** Registered as Camel's {@code baton-http} component, which every {@code http.*} call goes through. */
    @Bean(HttpConnector.COMPONENT)
    @ConditionalOnProperty(prefix = "baton.connectors.http", name = "enabled", matchIfMissing = true)
    HttpComponent batonHttpComponent(HttpConnector connector) {
        return connector.component();
    }

    private static String hostAndPort(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }
}
