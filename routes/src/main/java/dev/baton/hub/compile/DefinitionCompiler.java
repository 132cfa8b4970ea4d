package dev.baton.hub.compile;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import dev.baton.hub.config.HubProperties;
import dev.baton.hub.tracing.Tracing;
import dev.baton.hub.persistence.DefinitionRow;
import dev.baton.hub.runtime.Queues;
import dev.baton.hub.runtime.StepQueueComponent;
import dev.baton.hub.runtime.StepRunner;
import dev.baton.hub.trigger.CronTriggers;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;
import dev.baton.model.engine.ExpressionEvaluator;

/**
 * Compiles a deployed definition into Camel routes: a step route per work step consuming
 * {@code baton.<definition>.<step>} (shared by every version that has the step), the routes of its
 * call steps, and its cron triggers. Routes of older versions stay while their instances may run.
 */
@Component
public class DefinitionCompiler {

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ConnectorRegistry connectors;
    private final ExpressionEvaluator expressions;
    private final ObjectMapper json;
    private final StepRunner runner;
    private final DefinitionRegistry registry;
    private final CronTriggers cron;
    private final HubProperties.Engine settings;
    private final Tracing tracing;
    private final Set<String> stepRoutes = ConcurrentHashMap.newKeySet();

    public DefinitionCompiler(CamelContext camel, ConnectorRegistry connectors, ExpressionEvaluator expressions,
                              ObjectMapper json, StepRunner runner, DefinitionRegistry registry, CronTriggers cron,
                              HubProperties properties, Tracing tracing) {
        this.camel = camel;
        this.tracing = tracing;
        this.producer = camel.createProducerTemplate();
        this.connectors = connectors;
        this.expressions = expressions;
        this.json = json;
        this.runner = runner;
        this.registry = registry;
        this.cron = cron;
        this.settings = properties.engine();
    }

    /**
     * Compiles and registers one version.
     *
     * @throws IllegalArgumentException when a step cannot be compiled, naming it
     */
    public synchronized CompiledDefinition compile(ProcessDefinition definition, DefinitionRow row) throws Exception {
        CompileContext context = new CompileContext(camel, producer, connectors, expressions, json, tracing,
                registry);
        Map<String, StepAction> actions = new HashMap<>();
        // Steps inside sub-processes too: ids are unique across the definition, so their queues stay flat.
        for (Step step : definition.allSteps()) {
            if (!step.isWork()) {
                continue;
            }
            StepAction action;
            try {
                action = StepCompilers.compile(definition, step, context);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Step '" + step.id() + "' cannot be compiled: " + e.getMessage(), e);
            }
            if (action != null) {
                actions.put(step.id(), action);
            }
        }
        CompiledDefinition compiled = new CompiledDefinition(definition, row, Map.copyOf(actions));
        registry.register(compiled);
        addStepRoutes(definition);
        if (registry.latest(definition.id()).map(c -> c.version() == definition.version()).orElse(false)) {
            cron.schedule(definition, row.deployedAt());
        }
        return compiled;
    }

    /**
     * The step routes this definition needs and no earlier version created, added in one {@code addRoutes}:
     * Camel then starts them together rather than one route build and start per step.
     */
    private void addStepRoutes(ProcessDefinition definition) throws Exception {
        Map<String, String> uris = new LinkedHashMap<>();
        for (Step step : definition.allSteps()) {
            String queue = Queues.stepQueue(definition.id(), step.id());
            if (!step.isWork() || stepRoutes.contains(queue)) {
                continue;
            }
            boolean calls = step instanceof CallStep;
            int consumers = step.info().concurrency() > 0 ? step.info().concurrency()
                    : calls ? settings.callConsumers() : settings.consumers();
            int batchSize = calls ? settings.callBatchSize() : settings.batchSize();
            uris.put(queue, "baton-step:" + queue + "?consumers=" + consumers + "&batchSize=" + batchSize
                    + "&pool=" + (calls ? StepQueueComponent.Pool.CALLS : StepQueueComponent.Pool.STEPS));
        }
        if (uris.isEmpty()) {
            return;
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                uris.forEach((queue, uri) -> from(uri).routeId(queue).process(runner));
            }
        });
        stepRoutes.addAll(uris.keySet());
        // Pooled consumers subscribe in parallel, off Camel's route start-up: deployed means consuming.
        camel.getComponent("baton-step", StepQueueComponent.class).awaitSubscriptions();
    }
}
