package dev.baton.hub.compile;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorException;
import dev.baton.connectors.SystemRoutes;
import dev.baton.hub.HubCodes;
import dev.baton.hub.tracing.Tracing;
import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.ExpressionEvaluator.EvaluationException;
import dev.baton.model.engine.Failure;

/**
 * A call step becomes a route {@code direct:baton.<definition>.v<version>.<step>} whose processors
 * the step's connector appends; the action maps the variables to the request, sends it through the
 * route, and maps the response back.
 */
final class CallCompiler implements StepCompiler<CallStep> {

    @Override
    public StepAction compile(ProcessDefinition definition, CallStep step, CompileContext context) throws Exception {
        String operation = step.operation();
        Connector connector = context.connectors().connectorOf(operation).orElseThrow(
                () -> new IllegalArgumentException("No connector offers '" + operation + "'"));
        String routeId = "baton." + definition.id() + ".v" + definition.version() + "." + step.id();
        String endpoint = "direct:" + routeId;
        Map<String, Object> settings = step.with() == null ? Map.of() : step.with();
        if (context.camel().getRoute(routeId) != null) {
            context.camel().getRouteController().stopRoute(routeId);
            context.camel().removeRoute(routeId);
        }
        context.camel().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // Failures go back to the step, which classifies, retries and raises incidents.
                errorHandler(noErrorHandler());
                RouteDefinition route = from(endpoint).routeId(routeId);
                connector.configure(route, operation.substring(operation.indexOf('.') + 1), settings);
            }
        });
        return (command, state, calls) -> {
            // An instance of a multi-instance step sees its element and loopCounter over the instance's variables.
            Map<String, Object> variables = state.variablesFor(command.token());
            Object input = step.input() == null ? variables
                    : evaluate(context, step, "input", step.input(), variables);
            String body;
            try {
                body = input == null ? null : context.json().writeValueAsString(input);
            } catch (JsonProcessingException e) {
                throw new ActionFailure(Failure.permanent(HubCodes.EXPRESSION_FAILED,
                        "Step '" + step.id() + "' input is not representable as JSON"), e);
            }
            String system = connector.name();
            String op = operation.substring(operation.indexOf('.') + 1);
            // The call's span is current while Camel runs the route, so Camel's spans (and the traceparent
            // it sends the remote system) are its children.
            Span span = context.tracing().startConnectorCall(system, op, command.instanceId(), command.step());
            java.time.Instant sentAt = java.time.Instant.now();
            long started = System.nanoTime();
            Exchange result;
            try (Scope scope = Tracing.activate(span)) {
                result = context.producer().send(endpoint, exchange -> {
                    exchange.getMessage().setBody(body);
                    exchange.getMessage().setHeader(Connector.IDEMPOTENCY_KEY,
                            CompiledDefinition.idempotencyKey(command));
                    exchange.getMessage().setHeader(Connector.INSTANCE_ID, command.instanceId());
                    exchange.getMessage().setHeader(Connector.STEP_ID, command.step());
                });
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            Exception failed = result.getException();
            if (failed != null) {
                Failure failure = failed instanceof ConnectorException ce ? ce.failure() : connector.classify(failed);
                Integer status = SystemRoutes.httpStatusOf(failed);
                calls.add(new ConnectorCall(sentAt, system, op, failure.type(), status, millis));
                // The failure's text may quote personal values: the hand-off's span gets it, scrubbed.
                span.setAttribute(Tracing.ERROR_TYPE, failure.type());
                if (status != null) {
                    span.setAttribute(Tracing.HTTP_STATUS, status.longValue());
                }
                span.setStatus(StatusCode.ERROR, failure.type());
                span.end();
                throw new ActionFailure(failure, failed);
            }
            Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status != null) {
                span.setAttribute(Tracing.HTTP_STATUS, status.longValue());
            }
            span.end();
            calls.add(new ConnectorCall(sentAt, system, op, ConnectorCall.OK, status, millis));
            if (step.output() == null || step.output().isEmpty()) {
                return Map.of();
            }
            Object response = parse(context, result.getMessage().getBody(String.class));
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Expression> e : step.output().entrySet()) {
                out.put(e.getKey(), evaluate(context, step, "output '" + e.getKey() + "'", e.getValue(), response));
            }
            return out;
        };
    }

    private static Object evaluate(CompileContext context, CallStep step, String what, Expression e, Object root) {
        try {
            return context.expressions().evaluate(e, root);
        } catch (EvaluationException ex) {
            throw new ActionFailure(Failure.permanent(HubCodes.expressionFailed(ex),
                    "Step '" + step.id() + "' " + what + ": " + ex.getMessage()), ex);
        }
    }

    private static Object parse(CompileContext context, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return context.json().readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            return body; // not JSON: the expressions see the text
        }
    }
}
