package dev.baton.hub.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorContext;
import dev.baton.hub.compile.ConnectorRegistry;

/**
 * Adds each connector's own routes: the outbound ones before any definition is compiled (step routes
 * call them), the inbound ones started only once the definitions whose triggers they feed are in place.
 */
@Component
public class ConnectorRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRoutes.class);

    private final CamelContext camel;
    private final ConnectorRegistry connectors;
    private final ConnectorContext context;
    private final List<String> inbound = new ArrayList<>();
    private final Path routesDir;

    ConnectorRoutes(CamelContext camel, ConnectorRegistry connectors, HubInboundEvents events,
                    CursorRepository cursors, Environment env) {
        this.camel = camel;
        this.routesDir = Path.of(env.getProperty("baton.routes-dir", "examples/routes"));
        this.connectors = connectors;
        this.context = new ConnectorContext(events, cursors);
    }

    /**
     * Adds every connector's routes (inbound ones stay stopped), and the Camel YAML DSL route files of
     * the routes folder, whose {@code direct:<name>} routes are the operations {@code route.<name>}.
     */
    public void add() throws Exception {
        loadRouteFiles();
        for (Connector connector : connectors.connectors()) {
            RoutesBuilder routes = connector.routes(context);
            if (routes != null) {
                camel.addRoutes(routes);
            }
        }
        for (Route route : camel.getRoutes()) {
            if (Connector.INBOUND_GROUP.equals(route.getGroup())) {
                inbound.add(route.getRouteId());
            }
        }
    }

    private void loadRouteFiles() throws Exception {
        if (!Files.isDirectory(routesDir)) {
            LOG.info("No routes folder at {}: no route.* operations", routesDir.toAbsolutePath().normalize());
            return;
        }
        List<Resource> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(routesDir)) {
            list.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted()
                    .forEach(f -> files.add(ResourceHelper.resolveResource(camel, "file:" + f.toAbsolutePath())));
        }
        if (!files.isEmpty()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(files);
        }
        LOG.info("Loaded {} route file(s) from {}", files.size(), routesDir.toAbsolutePath().normalize());
    }

    /** Starts the inbound routes: events from connected systems flow from here on. */
    public void startInbound() throws Exception {
        for (String id : inbound) {
            camel.getRouteController().startRoute(id);
            LOG.info("Inbound route {} started", id);
        }
    }
}
