package dev.baton.hub;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.sandbox.SapSandbox;
import dev.baton.hub.compile.DefinitionRegistry;
import dev.baton.hub.compile.DefinitionService;
import dev.baton.hub.config.HubProperties;
import dev.baton.hub.connect.ConnectorRoutes;
import dev.baton.hub.readiness.ReadinessFilter;
import dev.baton.hub.readiness.StartupProgress;
import dev.baton.hub.runtime.Recovery;
import dev.baton.hub.security.AccessProperties;
import dev.baton.hub.security.SecurityConfiguration.UsersSource;

/**
 * Once the context is up: compile every stored definition (so commands left on queues find their
 * routes), deploy the example processes, and tell the user where things are. Until this returns the node
 * is not ready (Spring Boot turns readiness to {@code ACCEPTING_TRAFFIC} after the runners), so API calls
 * and events get 503 ({@link ReadinessFilter}); if it throws, the start fails and the process exits: a
 * node is never up with half its start-up done.
 */
@Component
class Startup implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)((?:password|passwd|pwd|secret|token|key)[a-z_]*=)[^&;]*");

    private final DefinitionService definitions;
    private final DefinitionRegistry registry;
    private final HubProperties properties;
    private final UsersSource users;
    private final Environment environment;
    private final Recovery recovery;
    private final ConnectorRoutes connectorRoutes;
    private final ObjectProvider<SalesforceSandbox> salesforceSandbox;
    private final ObjectProvider<SapSandbox> sapSandbox;
    private final AccessProperties access;
    private final StartupProgress progress;

    Startup(DefinitionService definitions, DefinitionRegistry registry, HubProperties properties, UsersSource users,
            Environment environment, Recovery recovery, ConnectorRoutes connectorRoutes,
            ObjectProvider<SalesforceSandbox> salesforceSandbox, ObjectProvider<SapSandbox> sapSandbox,
            AccessProperties access, StartupProgress progress) {
        this.progress = progress;
        this.access = access;
        this.salesforceSandbox = salesforceSandbox;
        this.sapSandbox = sapSandbox;
        this.connectorRoutes = connectorRoutes;
        this.recovery = recovery;
        this.definitions = definitions;
        this.registry = registry;
        this.properties = properties;
        this.users = users;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        progress.step("adding the connectors' routes");
        connectorRoutes.add();
        progress.step("compiling the stored definitions");
        definitions.compileStored();
        progress.step("re-sending what an unclean stop may have lost (recovery)");
        recovery.recoverIfNeeded();
        progress.step("deploying the example processes");
        definitions.deployExamples();
        progress.step("starting the inbound routes");
        connectorRoutes.startInbound();
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String base = "http://localhost:" + port;
        String broker = properties.broker().external() ? "external Artemis at " + withoutSecrets(properties.broker().url())
                : "embedded Artemis (journal in " + properties.dataDir().toAbsolutePath().normalize().resolve("artemis")
                + (properties.broker().acceptor() == null || properties.broker().acceptor().isBlank() ? ")"
                : ", CORE acceptor on " + properties.broker().acceptor() + ")");
        String deployed = registry.latestOfEach().stream().map(d -> d.id() + "@" + d.version()).sorted()
                .collect(Collectors.joining(", "));
        LOG.info("""

                ======================================================================
                 Baton is ready.
                   API:          {}/api   (events: POST {}/events/<source>)
                   Health:       {}/actuator/health
                   Credentials:  {} ({}; users: {}){}
                   Data:         {}
                   Broker:       {}
                   Database:     {}
                   Deployed:     {}{}
                ======================================================================""",
                base, base, base, users.file().toAbsolutePath().normalize(),
                users.generated() ? "generated now, readable by you only" : "as configured",
                String.join(", ", users.names()), bearer(), properties.dataDir().toAbsolutePath().normalize(), broker,
                withoutSecrets(environment.getProperty("spring.datasource.url")), deployed.isEmpty() ? "nothing yet" : deployed,
                sandboxes());
    }

    /** Where bearer JWTs come from, when they are accepted beside HTTP Basic. */
    private String bearer() {
        String issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
        String jwks = environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "");
        if (issuer.isBlank() && jwks.isBlank()) {
            return "";
        }
        return "\n   Bearer JWTs:  " + (issuer.isBlank() ? "keys from " + jwks : "issued by " + issuer)
                + " (roles from claim '" + access.security().jwt().rolesClaim() + "')";
    }

    /**
     * The sandboxes' URLs; never their credentials, which a log keeps and ships far beyond this host: those are
     * in {@code GET /api/sandboxes}, for the roles that may see them.
     */
    private String sandboxes() {
        StringBuilder b = new StringBuilder();
        SalesforceSandbox sf = salesforceSandbox.getIfAvailable();
        if (sf != null) {
            b.append("\n   Salesforce sandbox: ").append(sf.loginUrl());
        }
        SapSandbox sap = sapSandbox.getIfAvailable();
        if (sap != null) {
            b.append("\n   SAP sandbox:        ").append(sap.serviceUrl());
        }
        if (b.length() > 0) {
            b.append("\n   (their credentials: GET /api/sandboxes as admin, developer or operator)");
        }
        return b.toString();
    }

    /** A JDBC or broker URL with the values of its password-like parameters replaced by {@code ****}. */
    static String withoutSecrets(String url) {
        return url == null ? null : SECRET_PARAMETER.matcher(url).replaceAll("$1****");
    }
}
