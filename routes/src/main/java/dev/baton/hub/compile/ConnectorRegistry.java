package dev.baton.hub.compile;

import java.util.ArrayList;
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
import dev.baton.connectors.SettingsMessages;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.Problem;

/** The connectors this hub has, and the operations they offer, for compiling and validating call steps. */
@Component
public class ConnectorRegistry implements ConnectorCatalog {

    private final List<Connector> connectors;
    private final Map<String, Connector> byName;

    public ConnectorRegistry(ObjectProvider<Connector> enabled) {
        this.connectors = enabled.orderedStream().toList();
        this.byName = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::name, Function.identity()));
    }

    /** Asked each time: some connectors' operations come and go (the routes of the routes folder). */
    @Override
    public Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        for (Connector c : connectors) {
            c.operations().forEach(op -> ops.add(c.name() + "." + op));
        }
        return ops;
    }

    public List<Connector> connectors() {
        return connectors;
    }

    /**
     * What the connectors refuse in the definition's call steps' settings (a header steering Camel, a
     * URL the allow-list refuses, an unknown secret, ...), each naming its step. Asked at deployment.
     */
    public List<Problem> refusals(ProcessDefinition definition) {
        List<Problem> problems = new ArrayList<>();
        for (Step step : definition.allSteps()) {
            if (step instanceof CallStep call) {
                connectorOf(call.operation()).ifPresent(c -> {
                    String op = call.operation().substring(call.operation().indexOf('.') + 1);
                    for (String refusal : c.refusals(op, call.with() == null ? Map.of() : call.with())) {
                        problems.add(new Problem("step '" + step.id() + "'",
                                String.format(SettingsMessages.STEP, step.id(), refusal), step.info().line()));
                    }
                });
            }
        }
        return problems;
    }

    /** The connector of {@code <connector>.<operation>}. */
    public Optional<Connector> connectorOf(String operation) {
        int dot = operation.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(byName.get(operation.substring(0, dot)));
    }
}
