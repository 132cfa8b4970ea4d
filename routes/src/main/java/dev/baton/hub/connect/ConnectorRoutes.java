package dev.baton.hub.connect;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    ConnectorRoutes(CamelContext camel, ConnectorRegistry connectors, HubInboundEvents events,
                    CursorRepository cursors) {
        this.camel = camel;
        this.connectors = connectors;
        this.context = new ConnectorContext(events, cursors);
    }

    /** Adds every connector's routes; inbound ones stay stopped. */
    public void add() throws Exception {
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

    /** Starts the inbound routes: events from connected systems flow from here on. */
    public void startInbound() throws Exception {
        for (String id : inbound) {
            camel.getRouteController().startRoute(id);
            LOG.info("Inbound route {} started", id);
        }
    }
}
