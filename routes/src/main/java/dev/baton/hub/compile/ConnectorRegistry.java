package dev.baton.hub.compile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.baton.connectors.Connector;
import dev.baton.model.validation.ConnectorCatalog;

/** The connectors this hub has, and the operations they offer, for compiling and validating call steps. */
@Component
public class ConnectorRegistry implements ConnectorCatalog {

    private final Map<String, Connector> byName;
    private final Set<String> operations;

    public ConnectorRegistry(ObjectProvider<Connector> enabled) {
        List<Connector> connectors = enabled.orderedStream().toList();
        this.byName = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::name, Function.identity()));
        Set<String> ops = new TreeSet<>();
        for (Connector c : connectors) {
            c.operations().forEach(op -> ops.add(c.name() + "." + op));
        }
        this.operations = Set.copyOf(ops);
    }

    @Override
    public Set<String> operations() {
        return operations;
    }

    /** The connector of {@code <connector>.<operation>}. */
    public Optional<Connector> connectorOf(String operation) {
        int dot = operation.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(byName.get(operation.substring(0, dot)));
    }
}
