package dev.baton.hub.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import dev.baton.hub.tracing.Tracing;
import dev.baton.model.engine.ExpressionEvaluator;

/** What step compilers may use. */
public record CompileContext(CamelContext camel, ProducerTemplate producer, ConnectorRegistry connectors,
                             ExpressionEvaluator expressions, ObjectMapper json, Tracing tracing,
                             DefinitionRegistry definitions) {
}
