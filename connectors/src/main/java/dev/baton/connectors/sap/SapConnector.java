package dev.baton.connectors.sap;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorCodes;
import dev.baton.connectors.ConnectorContext;
import dev.baton.connectors.ConnectorException;
import dev.baton.connectors.InboundEvents;
import dev.baton.connectors.SystemRoutes;
import dev.baton.model.engine.Failure;

/**
 * SAP through its NetWeaver Gateway's OData V2 service: reads with camel-sap-netweaver, writes with
 * camel-http and the Gateway's CSRF-token handshake (camel-sap-netweaver only reads).
 *
 * <p>Operations a call step names as {@code sap.<op>}:
 * <ul>
 *   <li>{@code read} {command}: an OData command such as {@code SalesOrderSet('{SalesOrderID}')?$expand=ToLineItems},
 *       whose {@code {name}} placeholders are filled from the input (quotes escaped) → the entity, or
 *       {@code {results: [...]}} for a set;</li>
 *   <li>{@code create} {entitySet}: POST the input → the created entity;</li>
 *   <li>{@code update} {entity, method}: MERGE (default) or PUT the input to an entity such as
 *       {@code BusinessPartnerSet('{BusinessPartnerID}')} → nothing;</li>
 *   <li>{@code function} {function}: POST a function import such as {@code SalesOrder_Confirm} with the
 *       input's fields as its parameters → its result.</li>
 * </ul>
 *
 * <p>A failed read (camel-sap-netweaver 4.17 lets camel-http's {@code HttpOperationFailedException} through;
 * older versions answer with an empty body, which is then asked again with camel-http to learn why)
 * becomes a failure with the status, SAP's own error code and text, and the OData command.
 * Inbound: a delta poller over {@code ChangedAt}/{@code CreatedAt} for gateways that don't push events.
 */
public final class SapConnector implements Connector {

    public static final String NAME = "sap";
    /** The channel SAP's events arrive on, as {@code /events/sap}. */
    public static final String CHANNEL = "sap";
    public static final String ORDER_CREATED = "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1";
    public static final String PARTNER_CHANGED = "sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1";

    private static final Set<String> OPERATIONS = Set.of("read", "create", "update", "function");
    private static final Set<Integer> RETRYABLE = Set.of(0, 408, 429, 500, 502, 503, 504);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern ODATA_DATE = Pattern.compile("/Date\\((-?\\d+)(?:[+-]\\d+)?\\)/");
    private static final DateTimeFormatter ODATA_LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    static final String H_COMMAND = "BatonSapCommand";
    static final String H_METHOD = "BatonSapMethod";

    private final SapProperties properties;
    private final ObjectMapper json = new ObjectMapper();
    private final CsrfSession csrf;

    public SapConnector(SapProperties properties) {
        if (properties.serviceUrl() == null || properties.serviceUrl().isBlank()) {
            throw new IllegalArgumentException("SAP needs baton.connectors.sap.service-url");
        }
        this.properties = properties;
        this.csrf = new CsrfSession(properties, json);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> operations() {
        return OPERATIONS;
    }

    /** Settings reach headers through suppliers: Camel resolves property placeholders in {@code constant(text)}. */
    @Override
    public void configure(RouteDefinition route, String operation, Map<String, Object> settings) {
        switch (operation) {
            case "read" -> {
                String template = setting(settings, "command");
                route.process(exchange -> exchange.getMessage().setHeader(H_COMMAND,
                        render(template, input(exchange), true)));
                route.to("direct:sap.read");
            }
            case "create" -> {
                String entitySet = setting(settings, "entitySet");
                route.setHeader(H_METHOD, () -> "POST");
                route.setHeader(H_COMMAND, () -> entitySet);
                route.to("direct:sap.write");
            }
            case "update" -> {
                String template = setting(settings, "entity");
                String method = String.valueOf(settings.getOrDefault("method", "MERGE")).toUpperCase(Locale.ROOT);
                if (!method.equals("MERGE") && !method.equals("PUT") && !method.equals("PATCH")) {
                    throw new IllegalArgumentException("sap.update setting 'method' must be MERGE, PATCH or PUT, "
                            + "but is " + method);
                }
                route.setHeader(H_METHOD, () -> method);
                route.process(exchange -> exchange.getMessage().setHeader(H_COMMAND,
                        render(template, input(exchange), true)));
                route.to("direct:sap.write");
            }
            case "function" -> {
                String function = setting(settings, "function");
                String method = String.valueOf(settings.getOrDefault("method", "POST")).toUpperCase(Locale.ROOT);
                route.setHeader(H_METHOD, () -> method);
                route.process(exchange -> {
                    List<String> params = new ArrayList<>();
                    input(exchange).forEach((k, v) -> params.add(k + "=" + literal(v)));
                    exchange.getMessage().setHeader(H_COMMAND, function
                            + (params.isEmpty() ? "" : "?" + String.join("&", params)));
                    exchange.getMessage().setBody(null);
                });
                route.to("direct:sap.write");
            }
            default -> throw new IllegalArgumentException("Unknown sap operation '" + operation + "'");
        }
    }

    private static String setting(Map<String, Object> settings, String name) {
        Object v = settings.get(name);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new IllegalArgumentException("sap needs the setting '" + name + "'");
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> input(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        Object parsed = json.readValue(body, Object.class);
        return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Fills {@code {name}} placeholders; values inside quotes have their quotes doubled, as OData wants. */
    static String render(String template, Map<String, Object> values, boolean escapeQuotes) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            if (v == null) {
                throw new ConnectorException(Failure.permanent(ConnectorCodes.BAD_SETTINGS, "The OData command "
                        + template + " needs '" + m.group(1) + "' in the step's input"), null);
            }
            String s = String.valueOf(v);
            if (s.chars().anyMatch(c -> c < 0x20 || c == '/' || c == '?' || c == '#' || c == '&')) {
                throw new ConnectorException(Failure.permanent(ConnectorCodes.BAD_SETTINGS, "'" + m.group(1)
                        + "' = " + s + " cannot be part of an OData key"), null);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escapeQuotes ? s.replace("'", "''") : s));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String literal(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return "'" + URLEncoder.encode(String.valueOf(v).replace("'", "''"), StandardCharsets.UTF_8) + "'";
    }

    // ---- the system's routes ------------------------------------------------------------------------------

    @Override
    public RoutesBuilder routes(ConnectorContext context) {
        SystemRoutes.Guard guard = new SystemRoutes.Guard(properties.requestsPerSecond(),
                properties.breaker().failureRate(), properties.breaker().window(), properties.breaker().minimumCalls(),
                properties.breaker().openFor().toMillis());
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                csrf.bind(getContext());

                ProcessorDefinition<?> read = from("direct:sap.read").routeId("sap.read");
                SystemRoutes.guardedTo(read, guard, "direct:sap.odataGet", t -> !failureOf(t).retryable());
                read.process(exchange -> exchange.getMessage().setBody(
                        json.writeValueAsString(exchange.getMessage().getBody())));

                from("direct:sap.odataGet").routeId("sap.odataGet")
                        .setHeader("CamelNetWeaverCommand").header(H_COMMAND)
                        .removeHeaders("Baton*", H_COMMAND)
                        .doTry()
                            .to(netWeaverUri())
                        .doCatch(HttpOperationFailedException.class)
                            .process(SapConnector.this::explainFailure)
                        .end()
                        .process(SapConnector.this::checkRead);

                ProcessorDefinition<?> write = from("direct:sap.write").routeId("sap.write");
                SystemRoutes.guardedTo(write, guard, "direct:sap.send", t -> !failureOf(t).retryable());

                from("direct:sap.send").routeId("sap.send").process(csrf::send);

                if (properties.poll().enabled()) {
                    from("timer:sap.poll?delay=1000&period=" + properties.poll().interval().toMillis())
                            .routeId("sap.poll").group(INBOUND_GROUP).autoStartup(false)
                            .process(exchange -> poll(exchange.getContext().createProducerTemplate(), context));
                }
            }
        };
    }

    private String netWeaverUri() {
        return "sap-netweaver:" + properties.serviceUrl() + "?username=RAW(" + properties.username()
                + ")&password=RAW(" + properties.password() + ")&json=true&jsonAsMap=true&flatternMap=true";
    }

    /** camel-sap-netweaver lets camel-http's failure through: say what SAP said, naming the command. */
    private void explainFailure(Exchange exchange) {
        HttpOperationFailedException failed = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                HttpOperationFailedException.class);
        String command = exchange.getMessage().getHeader("CamelNetWeaverCommand", String.class);
        throw csrf.failure(failed.getStatusCode(), failed.getResponseBody(), command);
    }

    /** An empty or error answer (older components swallow failures): ask again with camel-http to learn why. */
    private void checkRead(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        String command = exchange.getMessage().getHeader("CamelNetWeaverCommand", String.class);
        if (body instanceof Map<?, ?> map && !(map.containsKey("error") && map.size() == 1)) {
            // The NetWeaver producer keeps the status to itself; an entity or a set means the Gateway said 200.
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            return;
        }
        throw csrf.explainFailedRead(command);
    }

    // ---- the delta poller ---------------------------------------------------------------------------------

    private void poll(ProducerTemplate template, ConnectorContext context) throws Exception {
        pollSet(template, context, "BusinessPartnerSet", "ChangedAt", "BusinessPartnerID", PARTNER_CHANGED,
                "BusinessPartner", true);
        pollSet(template, context, "SalesOrderSet", "CreatedAt", "SalesOrderID", ORDER_CREATED, "SalesOrder", false);
    }

    @SuppressWarnings("unchecked")
    private void pollSet(ProducerTemplate template, ConnectorContext context, String set, String stamp,
                         String keyField, String type, String dataKey, boolean perChange) throws Exception {
        String cursorName = "sap:" + properties.serviceUrl() + ":" + set + "." + stamp;
        String cursor = context.cursors().read(cursorName).orElse(null);
        if (cursor == null) {
            // A new poller starts from now: it reports changes from here on, not the gateway's history.
            context.cursors().write(cursorName, String.valueOf(Instant.now().toEpochMilli()));
            return;
        }
        long since = Long.parseLong(cursor);
        String literal = LocalDateTime.ofInstant(Instant.ofEpochMilli(since), ZoneOffset.UTC).format(ODATA_LITERAL);
        String command = set + "?$filter=" + stamp + " ge datetime'" + literal + "'&$orderby=" + stamp
                + " asc&$top=" + properties.poll().pageSize() + "&$select=" + keyField + "," + stamp;
        Object answer = template.requestBodyAndHeader("direct:sap.read", null, H_COMMAND, command);
        Map<String, Object> page = json.readValue(String.valueOf(answer), Map.class);
        long newest = since;
        if (page.get("results") instanceof List<?> results) {
            for (Object o : results) {
                Map<String, Object> entity = (Map<String, Object>) o;
                String key = String.valueOf(entity.get(keyField));
                long at = epochMillis(entity.get(stamp));
                newest = Math.max(newest, at);
                String id = "poll:" + set + "(" + key + ")" + (perChange ? "@" + at : "");
                context.events().accept(CHANNEL, new InboundEvents.Event(id, properties.serviceUrl(), type, key,
                        Instant.ofEpochMilli(at), Map.of(dataKey, key)));
            }
        }
        if (newest != since) {
            context.cursors().write(cursorName, String.valueOf(newest));
        }
    }

    static long epochMillis(Object odataDate) {
        if (odataDate instanceof Number n) {
            return n.longValue();
        }
        Matcher m = ODATA_DATE.matcher(String.valueOf(odataDate));
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        return Instant.parse(String.valueOf(odataDate)).toEpochMilli();
    }

    // ---- failures -----------------------------------------------------------------------------------------

    @Override
    public Failure classify(Exception exception) {
        return failureOf(exception);
    }

    private static Failure failureOf(Throwable t) {
        return SystemRoutes.classify(t, "SAP's Gateway", ConnectorCodes.SAP_IO, c -> {
            if (!(c instanceof SapException sap)) {
                return null;
            }
            List<String> details = new ArrayList<>();
            details.add("status=" + sap.status());
            details.add("command=" + sap.command());
            if (sap.sapCode() != null) {
                details.add("sapCode=" + sap.sapCode());
            }
            return new Failure(ConnectorCodes.SAP_PREFIX + sap.status(), sap.getMessage(),
                    RETRYABLE.contains(sap.status()), details);
        });
    }

    static String basic(SapProperties p) {
        return "Basic " + Base64.getEncoder().encodeToString((p.username() + ":" + p.password())
                .getBytes(StandardCharsets.UTF_8));
    }
}
