package dev.baton.hub.connect;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorCodes;
import dev.baton.model.engine.Failure;

/**
 * Any other system, connected the Camel way: a route file dropped into the routes folder
 * ({@code baton.routes-dir}, Camel YAML DSL, editable in Kaoto or Karavan) whose route starts at
 * {@code direct:<name>} is the operation {@code route.<name>}. The route gets the step's input as a JSON
 * body and answers with its body; an exception it throws fails the step (retried, then an incident).
 */
@Component
class CamelRouteConnector implements Connector {

    static final String NAME = "route";

    private final CamelContext camel;

    CamelRouteConnector(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> operations() {
        Set<String> names = new TreeSet<>();
        for (Route route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.startsWith("direct://") && route.getSourceResource() != null
                    && !route.getRouteId().startsWith("baton.")) {
                names.add(uri.substring("direct://".length()));
            }
        }
        return names;
    }

    @Override
    public void configure(RouteDefinition route, String operation, Map<String, Object> settings) {
        route.to("direct:" + operation);
        route.convertBodyTo(String.class);
    }

    @Override
    public Failure classify(Exception exception) {
        return new Failure(ConnectorCodes.UNEXPECTED, "Route failed: " + exception.getClass().getSimpleName() + ": "
                + exception.getMessage(), true, java.util.List.of());
    }
}
