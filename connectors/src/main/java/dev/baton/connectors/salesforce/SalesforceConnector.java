package dev.baton.connectors.salesforce;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.jsse.KeyStoreParameters;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorCodes;
import dev.baton.connectors.ConnectorContext;
import dev.baton.connectors.ConnectorException;
import dev.baton.connectors.InboundEvents;
import dev.baton.connectors.SystemRoutes;
import dev.baton.model.engine.Failure;

/**
 * Salesforce through camel-salesforce (REST API, raw JSON payloads, no generated DTOs).
 *
 * <p>Operations a call step names as {@code salesforce.<op>}, with their settings ({@code with}) and input:
 * <ul>
 *   <li>{@code upsert} {sObject, externalId}: input one record holding the external id field →
 *       {@code {id, success, errors, created}}; an idempotent write, safe to retry;</li>
 *   <li>{@code upsertTogether}: input a list of {@code {sObject, externalId, record}}, upserted in order in
 *       one all-or-none Composite request (one API call; a later record may refer to an earlier one by
 *       external id, e.g. {@code "Account": {"SAP_BP_Id__c": "..."}}) → a list of {@code {id, created}};</li>
 *   <li>{@code upsertMany} {sObject, externalId, allOrNone}: input a list of records, sent 200 a call
 *       through sObject collections → a list of results;</li>
 *   <li>{@code get} {sObject, fields, externalId?}: input {@code {Id}} or {@code {<externalId>: value}}
 *       → the record;</li>
 *   <li>{@code create} {sObject}: input a record → {@code {id, success, errors}};</li>
 *   <li>{@code update} {sObject}: input a record with {@code Id} → nothing;</li>
 *   <li>{@code delete} {sObject}: input {@code {Id}} → nothing;</li>
 *   <li>{@code query} {soql, maxRecords, batchSize}: SOQL with {@code :name} placeholders bound from the
 *       input's fields (quoted and escaped) → {@code {totalSize, records}}, every page followed.</li>
 * </ul>
 *
 * <p>Each operation runs through its own system route {@code direct:salesforce.<op>} (rate limit,
 * circuit breaker). Inbound: one route per change-event channel, whose replay id is kept durably, so
 * a restart resumes after the last event taken in; events the hub's own integration user committed are
 * dropped there (they are the hub's writes coming back).
 */
public final class SalesforceConnector implements Connector {

    public static final String NAME = "salesforce";
    /** The Camel component name the hub registers {@link #component()} under. */
    public static final String COMPONENT = "salesforce";
    /** The channel events from Salesforce arrive on, as {@code /events/salesforce} would. */
    public static final String CHANNEL = "salesforce";

    private static final Set<String> OPERATIONS = Set.of("upsert", "upsertMany", "upsertTogether", "get", "create",
            "update", "delete", "query");
    private static final Set<Integer> RETRYABLE = Set.of(0, 401, 408, 429, 500, 502, 503, 504);
    private static final Pattern BIND = Pattern.compile(":([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern LOGIN_DESCRIPTION = Pattern.compile("description:\\[([^\\]]*)\\]");
    private static final int COLLECTION_LIMIT = 200;

    private static final String H_OBJECT = "BatonSfObject";
    private static final String H_EXTERNAL_ID = "BatonSfExternalId";
    private static final String H_FIELDS = "BatonSfFields";
    private static final String H_SOQL = "BatonSfSoql";
    private static final String H_MAX = "BatonSfMaxRecords";
    private static final String H_ALL_OR_NONE = "BatonSfAllOrNone";

    private final SalesforceProperties properties;
    private final ObjectMapper json = new ObjectMapper();

    public SalesforceConnector(SalesforceProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> operations() {
        return OPERATIONS;
    }

    /** The camel-salesforce component for this org; it logs in when it starts, so bad credentials fail start-up. */
    public SalesforceComponent component() {
        SalesforceLoginConfig login = new SalesforceLoginConfig();
        login.setLoginUrl(require(properties.loginUrl(), "login-url"));
        login.setClientId(require(properties.clientId(), "client-id"));
        AuthenticationType type;
        try {
            type = AuthenticationType.valueOf(properties.authentication().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baton.connectors.salesforce.authentication must be one of "
                    + List.of(AuthenticationType.values()) + ", but is " + properties.authentication());
        }
        login.setType(type);
        switch (type) {
            case USERNAME_PASSWORD -> {
                login.setClientSecret(require(properties.clientSecret(), "client-secret"));
                login.setUserName(require(properties.username(), "username"));
                login.setPassword(require(properties.password(), "password"));
            }
            case CLIENT_CREDENTIALS -> login.setClientSecret(require(properties.clientSecret(), "client-secret"));
            case JWT -> {
                login.setUserName(require(properties.username(), "username"));
                KeyStoreParameters keystore = new KeyStoreParameters();
                keystore.setResource(require(properties.keystore(), "keystore"));
                keystore.setPassword(require(properties.keystorePassword(), "keystore-password"));
                login.setKeystore(keystore);
            }
            default -> throw new IllegalArgumentException("Authentication " + type + " is not supported by Baton");
        }
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginConfig(login);
        org.apache.camel.component.salesforce.SalesforceEndpointConfig config =
                new org.apache.camel.component.salesforce.SalesforceEndpointConfig();
        config.setApiVersion(properties.apiVersion());
        config.setRawPayload(true);
        component.setConfig(config);
        return component;
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Salesforce needs baton.connectors.salesforce." + name);
        }
        return value;
    }

    /**
     * Headers carrying the step's settings are set through suppliers, never {@code constant(text)}: Camel
     * resolves property placeholders ({@code {{env:...}}}) in constant text.
     */
    @Override
    public void configure(RouteDefinition route, String operation, Map<String, Object> settings) {
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("Unknown salesforce operation '" + operation + "'");
        }
        if (!operation.equals("query") && !operation.equals("upsertTogether")) {
            String object = string(settings, "sObject", true);
            route.setHeader(H_OBJECT, () -> object);
        }
        if (operation.equals("upsert") || operation.equals("upsertMany")) {
            String externalId = string(settings, "externalId", true);
            route.setHeader(H_EXTERNAL_ID, () -> externalId);
        }
        if (operation.equals("get")) {
            Object fields = settings.get("fields");
            if (fields instanceof List<?> list) {
                String joined = String.join(",", list.stream().map(String::valueOf).toList());
                route.setHeader(H_FIELDS, () -> joined);
            } else if (fields != null) {
                String one = String.valueOf(fields);
                route.setHeader(H_FIELDS, () -> one);
            }
            String externalId = string(settings, "externalId", false);
            if (externalId != null) {
                route.setHeader(H_EXTERNAL_ID, () -> externalId);
            }
        }
        if (operation.equals("query")) {
            String soql = string(settings, "soql", true);
            route.setHeader(H_SOQL, () -> soql);
            Object max = settings.getOrDefault("maxRecords", 10_000);
            route.setHeader(H_MAX).constant(Integer.parseInt(String.valueOf(max)));
            if (settings.get("batchSize") != null) {
                // Salesforce's page size (200..2000); camel-salesforce sends Sforce-* headers as they are
                String options = "batchSize=" + settings.get("batchSize");
                route.setHeader("Sforce-Query-Options", () -> options);
            }
        }
        if (operation.equals("upsertMany")) {
            route.setHeader(H_ALL_OR_NONE).constant(Boolean.parseBoolean(String.valueOf(
                    settings.getOrDefault("allOrNone", false))));
        }
        route.to("direct:salesforce." + operation);
    }

    private static String string(Map<String, Object> settings, String name, boolean required) {
        Object v = settings.get(name);
        if (v == null || String.valueOf(v).isBlank()) {
            if (required) {
                throw new IllegalArgumentException("salesforce needs the setting '" + name + "'");
            }
            return null;
        }
        return String.valueOf(v);
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) {
        SystemRoutes.Guard guard = new SystemRoutes.Guard(properties.requestsPerSecond(),
                properties.breaker().failureRate(), properties.breaker().window(), properties.breaker().minimumCalls(),
                properties.breaker().openFor().toMillis());
        return new RouteBuilder() {
            @Override
            public void configure() {
                SalesforceComponent component = loggedIn(getContext());
                errorHandler(noErrorHandler());
                outbound(this, guard);
                for (String channel : properties.subscriptions()) {
                    inbound(this, component, context, channel);
                }
            }
        };
    }

    /**
     * The org's component, started (it logs in as it starts): a login that fails (bad credentials, a login
     * URL that does not answer) fails here with a message naming the org, the user and the settings to check,
     * instead of Camel's "Cannot auto create component: salesforce".
     */
    SalesforceComponent loggedIn(CamelContext camel) {
        try {
            return camel.getComponent(COMPONENT, SalesforceComponent.class);
        } catch (RuntimeException e) {
            throw new SalesforceLoginException(loginFailure(e), e);
        }
    }

    String loginFailure(Throwable failure) {
        String who = properties.username() != null && !properties.username().isBlank()
                ? "as " + properties.username() : "as client " + properties.clientId();
        String reason = null;
        for (Throwable c : SystemRoutes.chain(failure)) {
            if (c instanceof SalesforceException sf) {
                List<RestError> errors = sf.getErrors() == null ? List.of() : sf.getErrors();
                if (!errors.isEmpty()) {
                    RestError first = errors.get(0);
                    Matcher description = LOGIN_DESCRIPTION.matcher(String.valueOf(first.getMessage()));
                    reason = first.getErrorCode() + " " + (description.find() ? description.group(1)
                            : first.getMessage());
                } else {
                    reason = sf.getMessage();
                }
                if (sf.getStatusCode() > 0) {
                    reason += " (HTTP " + sf.getStatusCode() + ")";
                }
                break;
            }
        }
        if (reason == null) {
            List<Throwable> chain = SystemRoutes.chain(failure);
            Throwable root = chain.get(chain.size() - 1);
            reason = root.getClass().getSimpleName() + ": " + root.getMessage();
        }
        return "Salesforce login failed at " + properties.loginUrl() + " " + who + ": " + reason
                + " — check baton.connectors.salesforce.* (login-url, client-id, client-secret, username, password)";
    }

    private void outbound(RouteBuilder b, SystemRoutes.Guard guard) {
        ProcessorDefinition<?> upsert = b.from("direct:salesforce.upsert").routeId("salesforce.upsert")
                .process(this::prepareUpsert);
        guarded(upsert, guard, "salesforce:upsertSObject");
        upsert.process(this::answerOrEmpty);

        ProcessorDefinition<?> create = b.from("direct:salesforce.create").routeId("salesforce.create")
                .setHeader("sObjectName").header(H_OBJECT);
        guarded(create, guard, "salesforce:createSObject");
        create.process(this::answerOrEmpty);

        ProcessorDefinition<?> update = b.from("direct:salesforce.update").routeId("salesforce.update")
                .process(exchange -> prepareById(exchange, true));
        guarded(update, guard, "salesforce:updateSObject");
        update.process(this::answerOrEmpty);

        ProcessorDefinition<?> delete = b.from("direct:salesforce.delete").routeId("salesforce.delete")
                .process(exchange -> prepareById(exchange, false));
        guarded(delete, guard, "salesforce:deleteSObject");
        delete.process(this::answerOrEmpty);

        ProcessorDefinition<?> get = b.from("direct:salesforce.get").routeId("salesforce.get")
                .process(this::prepareGet)
                .choice()
                    .when(b.header("sObjectIdName").isNotNull())
                        .to("direct:salesforce.getByExternalId")
                    .otherwise()
                        .to("direct:salesforce.getById")
                .end();
        get.process(this::answerOrEmpty);
        guarded(b.from("direct:salesforce.getById").routeId("salesforce.getById"), guard,
                "salesforce:getSObject");
        guarded(b.from("direct:salesforce.getByExternalId").routeId("salesforce.getByExternalId"), guard,
                "salesforce:getSObjectWithId");

        // A query follows nextRecordsUrl until done or maxRecords, one guarded call a page.
        ProcessorDefinition<?> query = b.from("direct:salesforce.query").routeId("salesforce.query")
                .process(this::bindQuery);
        guarded(query, guard, "salesforce:query");
        query.process(this::firstPage)
                .loopDoWhile(b.exchangeProperty(MORE).isEqualTo(true))
                    .to("direct:salesforce.queryMore")
                    .process(this::nextPage)
                .end()
                .process(this::queryAnswer);
        guarded(b.from("direct:salesforce.queryMore").routeId("salesforce.queryMore"), guard,
                "salesforce:queryMore");

        // Several upserts in one all-or-none Composite request: one API call.
        ProcessorDefinition<?> together = b.from("direct:salesforce.upsertTogether")
                .routeId("salesforce.upsertTogether")
                .process(this::composeUpserts);
        guarded(together, guard, "salesforce:raw?rawMethod=POST");
        together.process(this::compositeAnswer);

        // Batched upsert through sObject collections, 200 records a call.
        ProcessorDefinition<?> many = b.from("direct:salesforce.upsertMany").routeId("salesforce.upsertMany")
                .process(this::splitCollection)
                .loopDoWhile(b.exchangeProperty(MORE).isEqualTo(true))
                    .process(this::nextChunk)
                    .to("direct:salesforce.collection")
                    .process(this::collectChunk)
                .end()
                .process(this::collectionAnswer);
        guarded(b.from("direct:salesforce.collection").routeId("salesforce.collection"), guard,
                "salesforce:raw?rawMethod=PATCH");
    }

    /** Each guarded call has its own breaker; what cannot succeed when asked again passes it. */
    private static void guarded(ProcessorDefinition<?> route, SystemRoutes.Guard guard, String uri) {
        SystemRoutes.guardedTo(route, guard, uri, t -> !failureOf(t).retryable());
    }

    // ---- preparing camel-salesforce's headers and bodies -------------------------------------------------

    private Map<String, Object> bodyObject(Exchange exchange) throws JsonProcessingException {
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            throw permanentFailure("The input of salesforce." + exchange.getFromRouteId() + " is empty");
        }
        Object parsed = json.readValue(body, Object.class);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw permanentFailure("The input of a Salesforce call must be one record (an object), but is " + body);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) map);
        record.remove("attributes");
        return record;
    }

    private void prepareUpsert(Exchange exchange) throws Exception {
        Map<String, Object> record = bodyObject(exchange);
        String object = exchange.getMessage().getHeader(H_OBJECT, String.class);
        String field = exchange.getMessage().getHeader(H_EXTERNAL_ID, String.class);
        Object value = record.remove(field);
        if (value == null || String.valueOf(value).isBlank()) {
            throw permanentFailure("Upsert of " + object + " by " + field + " needs the record's " + field);
        }
        exchange.getMessage().setHeader("sObjectName", object);
        exchange.getMessage().setHeader("sObjectIdName", field);
        exchange.getMessage().setHeader("sObjectIdValue", String.valueOf(value));
        exchange.getMessage().setBody(json.writeValueAsString(record));
    }

    private void prepareById(Exchange exchange, boolean withBody) throws Exception {
        Map<String, Object> record = bodyObject(exchange);
        String object = exchange.getMessage().getHeader(H_OBJECT, String.class);
        Object id = record.remove("Id");
        if (id == null) {
            throw permanentFailure("Salesforce " + object + " input needs the record's Id");
        }
        exchange.getMessage().setHeader("sObjectName", object);
        exchange.getMessage().setHeader("sObjectId", String.valueOf(id));
        exchange.getMessage().setBody(withBody ? json.writeValueAsString(record) : null);
    }

    private void prepareGet(Exchange exchange) throws Exception {
        Map<String, Object> key = bodyObject(exchange);
        String object = exchange.getMessage().getHeader(H_OBJECT, String.class);
        String field = exchange.getMessage().getHeader(H_EXTERNAL_ID, String.class);
        exchange.getMessage().setHeader("sObjectName", object);
        String fields = exchange.getMessage().getHeader(H_FIELDS, String.class);
        if (fields != null) {
            exchange.getMessage().setHeader("sObjectFields", fields);
        }
        if (field != null) {
            Object value = key.get(field);
            if (value == null) {
                throw permanentFailure("Reading " + object + " by " + field + " needs " + field + " in the input");
            }
            exchange.getMessage().setHeader("sObjectIdName", field);
            exchange.getMessage().setHeader("sObjectIdValue", String.valueOf(value));
        } else {
            Object id = key.get("Id");
            if (id == null) {
                throw permanentFailure("Reading " + object + " needs Id in the input (or the setting externalId)");
            }
            exchange.getMessage().setHeader("sObjectId", String.valueOf(id));
        }
        exchange.getMessage().setBody(null);
    }

    /** Binds {@code :name} placeholders as SOQL literals: strings quoted with quotes and backslashes escaped. */
    static String bind(String soql, Map<String, Object> values) {
        Matcher m = BIND.matcher(soql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!values.containsKey(name)) {
                throw permanentFailure("The SOQL placeholder :" + name + " has no value in the input");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(literal(values.get(name))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String literal(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(i -> items.add(literal(i)));
            return "(" + String.join(", ", items) + ")";
        }
        String s = String.valueOf(v);
        StringBuilder q = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> q.append("\\\\");
                case '\'' -> q.append("\\'");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> q.append(c);
            }
        }
        return q.append('\'').toString();
    }

    private static final String MORE = "BatonSfMore";
    private static final String RECORDS = "BatonSfRecords";
    private static final String TOTAL = "BatonSfTotal";

    private void bindQuery(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        Map<String, Object> values = Map.of();
        if (body != null && !body.isBlank()) {
            Object parsed = json.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) map;
                values = m;
            }
        }
        exchange.getMessage().setHeader("sObjectQuery",
                bind(exchange.getMessage().getHeader(H_SOQL, String.class), values));
        exchange.getMessage().setBody(null);
    }

    private void firstPage(Exchange exchange) throws Exception {
        exchange.setProperty(RECORDS, new ArrayList<Object>());
        nextPage(exchange);
    }

    @SuppressWarnings("unchecked")
    private void nextPage(Exchange exchange) throws Exception {
        Map<String, Object> page = json.readValue(text(exchange), Map.class);
        List<Object> records = exchange.getProperty(RECORDS, List.class);
        Object pageRecords = page.get("records");
        if (pageRecords instanceof List<?> list) {
            for (Object r : list) {
                if (r instanceof Map<?, ?> rec) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) rec);
                    copy.remove("attributes");
                    records.add(copy);
                }
            }
        }
        exchange.setProperty(TOTAL, page.get("totalSize"));
        int max = exchange.getMessage().getHeader(H_MAX, 10_000, Integer.class);
        Object next = page.get("nextRecordsUrl");
        boolean more = !Boolean.TRUE.equals(page.get("done")) && next != null && records.size() < max;
        exchange.setProperty(MORE, more);
        if (more) {
            exchange.getMessage().setHeader("sObjectQuery", String.valueOf(next));
            exchange.getMessage().setBody(null);
        }
    }

    private void queryAnswer(Exchange exchange) throws Exception {
        List<?> records = exchange.getProperty(RECORDS, List.class);
        int max = exchange.getMessage().getHeader(H_MAX, 10_000, Integer.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("totalSize", exchange.getProperty(TOTAL));
        answer.put("records", records.size() > max ? records.subList(0, max) : records);
        exchange.getMessage().setBody(json.writeValueAsString(answer));
    }

    private static final String COMPOSED = "BatonSfComposed";

    @SuppressWarnings("unchecked")
    private void composeUpserts(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        Object parsed = body == null ? null : json.readValue(body, Object.class);
        if (!(parsed instanceof List<?> list) || list.isEmpty() || list.size() > 25) {
            throw permanentFailure("upsertTogether needs a list of 1 to 25 {sObject, externalId, record}");
        }
        List<Map<String, Object>> requests = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> item) || !(item.get("record") instanceof Map<?, ?> rec)
                    || item.get("sObject") == null || item.get("externalId") == null) {
                throw permanentFailure("upsertTogether item " + (i + 1) + " needs sObject, externalId and record");
            }
            String object = String.valueOf(item.get("sObject"));
            String field = String.valueOf(item.get("externalId"));
            Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) rec);
            record.remove("attributes");
            Object value = record.remove(field);
            if (value == null || String.valueOf(value).isBlank()) {
                throw permanentFailure("upsertTogether item " + (i + 1) + " (" + object + ") needs its " + field);
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("method", "PATCH");
            request.put("url", "/services/data/v" + properties.apiVersion() + "/sobjects/" + object + "/" + field + "/"
                    + java.net.URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8).replace("+", "%20"));
            request.put("referenceId", "r" + i);
            request.put("body", record);
            requests.add(request);
            described.add(object + " " + field + "=" + value);
        }
        Map<String, Object> composite = new LinkedHashMap<>();
        composite.put("allOrNone", true);
        composite.put("compositeRequest", requests);
        exchange.setProperty(COMPOSED, described);
        exchange.getMessage().setHeader("rawPath", "/services/data/v" + properties.apiVersion() + "/composite");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(composite));
    }

    /**
     * The Composite API answers 200 with a status per sub-request: the first real error (not Salesforce's
     * {@code PROCESSING_HALTED} for the rest of an all-or-none request) becomes the failure.
     */
    @SuppressWarnings("unchecked")
    private void compositeAnswer(Exchange exchange) throws Exception {
        Map<String, Object> answer = json.readValue(text(exchange), Map.class);
        List<String> described = exchange.getProperty(COMPOSED, List.class);
        List<Map<String, Object>> results = new ArrayList<>();
        Object responses = answer.get("compositeResponse");
        if (!(responses instanceof List<?> list)) {
            throw permanentFailure("Salesforce's Composite answer has no compositeResponse: " + answer);
        }
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> r = (Map<String, Object>) list.get(i);
            int status = ((Number) r.getOrDefault("httpStatusCode", 0)).intValue();
            Object body = r.get("body");
            if (status >= 300) {
                List<RestError> errors = new ArrayList<>();
                if (body instanceof List<?> errs) {
                    for (Object e : errs) {
                        Map<String, Object> m = (Map<String, Object>) e;
                        List<String> fields = m.get("fields") instanceof List<?> f
                                ? f.stream().map(String::valueOf).toList() : List.of();
                        errors.add(new RestError(String.valueOf(m.get("errorCode")), String.valueOf(m.get("message")),
                                fields));
                    }
                }
                boolean halted = errors.stream().allMatch(e -> "PROCESSING_HALTED".equals(e.getErrorCode()));
                if (!halted || i == list.size() - 1) {
                    String what = i < described.size() ? described.get(i) : "sub-request " + i;
                    throw new ConnectorException(failureOf(status, errors, " to the upsert of " + what, null), null);
                }
                continue;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            if (body instanceof Map<?, ?> m) {
                result.put("id", m.get("id"));
                result.put("created", m.get("created") != null ? m.get("created") : status == 201);
            } else {
                result.put("created", status == 201);
            }
            results.add(result);
        }
        exchange.getMessage().setBody(json.writeValueAsString(results));
    }

    private static final String CHUNKS = "BatonSfChunks";
    private static final String RESULTS = "BatonSfResults";

    private void splitCollection(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        Object parsed = body == null ? null : json.readValue(body, Object.class);
        if (!(parsed instanceof List<?> list)) {
            throw permanentFailure("upsertMany needs a list of records as its input");
        }
        List<List<?>> chunks = new ArrayList<>();
        for (int i = 0; i < list.size(); i += COLLECTION_LIMIT) {
            chunks.add(list.subList(i, Math.min(list.size(), i + COLLECTION_LIMIT)));
        }
        exchange.setProperty(CHUNKS, chunks);
        exchange.setProperty(RESULTS, new ArrayList<>());
        exchange.setProperty(MORE, !chunks.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private void nextChunk(Exchange exchange) throws Exception {
        List<List<?>> chunks = exchange.getProperty(CHUNKS, List.class);
        List<?> chunk = chunks.remove(0);
        String object = exchange.getMessage().getHeader(H_OBJECT, String.class);
        String field = exchange.getMessage().getHeader(H_EXTERNAL_ID, String.class);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object o : chunk) {
            if (!(o instanceof Map<?, ?> m)) {
                throw permanentFailure("upsertMany needs records (objects), but got " + o);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("attributes", Map.of("type", object));
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (!k.equals("attributes")) {
                    r.put(k, v);
                }
            });
            records.add(r);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("allOrNone", exchange.getMessage().getHeader(H_ALL_OR_NONE, false, Boolean.class));
        request.put("records", records);
        exchange.getMessage().setHeader("rawPath", "/services/data/v" + properties.apiVersion()
                + "/composite/sobjects/" + object + "/" + field);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(request));
        exchange.setProperty(MORE, !chunks.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private void collectChunk(Exchange exchange) throws Exception {
        List<Object> results = exchange.getProperty(RESULTS, List.class);
        Object parsed = json.readValue(text(exchange), Object.class);
        if (parsed instanceof List<?> list) {
            results.addAll(list);
        }
    }

    private void collectionAnswer(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(json.writeValueAsString(exchange.getProperty(RESULTS)));
    }

    private void answerOrEmpty(Exchange exchange) throws Exception {
        String text = text(exchange);
        exchange.getMessage().setBody(text == null || text.isBlank() ? "{}" : text);
    }

    private static String text(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return null;
        }
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return exchange.getMessage().getBody(String.class);
    }

    private static ConnectorException permanentFailure(String message) {
        return new ConnectorException(Failure.permanent(ConnectorCodes.BAD_SETTINGS, message), null);
    }

    // ---- change events in -----------------------------------------------------------------------------

    private void inbound(RouteBuilder b, SalesforceComponent component, ConnectorContext context, String channel) {
        String orgId = component.getSession().getOrgId();
        String identity = component.getSession().getId();
        String ownUser = identity == null ? null : identity.substring(identity.lastIndexOf('/') + 1);
        String cursor = "salesforce:" + orgId + ":" + channel;
        long replayId = context.cursors().read(cursor).map(Long::parseLong).orElse(-1L);
        String name = channel.substring(channel.lastIndexOf('/') + 1);
        b.from("salesforce:subscribe:" + channel + "?rawPayload=true&replayId=" + replayId)
                .routeId("salesforce.subscribe." + name).group(INBOUND_GROUP).autoStartup(false)
                .errorHandler(b.defaultErrorHandler().maximumRedeliveries(10).redeliveryDelay(500)
                        .backOffMultiplier(2).maximumRedeliveryDelay(30_000).useExponentialBackOff()
                        .retryAttemptedLogLevel(LoggingLevel.WARN))
                .process(exchange -> {
                    takeIn(exchange, context.events(), name, ownUser, orgId);
                    Long replay = exchange.getMessage().getHeader("CamelSalesforceReplayId", Long.class);
                    if (replay != null) {
                        context.cursors().write(cursor, String.valueOf(replay));
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private void takeIn(Exchange exchange, InboundEvents events, String name, String ownUser, String orgId)
            throws Exception {
        Object parsed = json.readValue(text(exchange), Object.class);
        Map<String, Object> payload = parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (payload.get("payload") instanceof Map<?, ?> inner) {
            payload = (Map<String, Object>) inner;
        }
        if (payload.get("data") instanceof Map<?, ?> data && data.get("payload") instanceof Map<?, ?> inner) {
            payload = (Map<String, Object>) inner;
        }
        Map<String, Object> header = payload.get("ChangeEventHeader") instanceof Map<?, ?> h
                ? (Map<String, Object>) h : Map.of();
        String commitUser = header.get("commitUser") == null ? null : String.valueOf(header.get("commitUser"));
        if (properties.echoSuppression() && ownUser != null && ownUser.equals(commitUser)) {
            return; // the hub's own write coming back
        }
        Object recordIds = header.get("recordIds");
        String subject = recordIds instanceof List<?> ids && !ids.isEmpty() ? String.valueOf(ids.get(0)) : null;
        Object replay = exchange.getMessage().getHeader("CamelSalesforceReplayId");
        String id = header.get("transactionKey") != null
                ? header.get("transactionKey") + ":" + header.getOrDefault("sequenceNumber", 0)
                : orgId + ":" + name + ":" + replay;
        Object commit = header.get("commitTimestamp");
        Instant time = commit instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
        events.accept(CHANNEL, new InboundEvents.Event(id, "/salesforce/" + orgId + "/data/" + name,
                "salesforce." + name, subject, time, payload));
    }

    // ---- failures ---------------------------------------------------------------------------------------

    /** Salesforce's answer as a failure: its status, error codes and fields; retryable by status. */
    private static Failure failureOf(int status, List<RestError> restErrors, String what, String fallback) {
        List<String> details = new ArrayList<>();
        details.add("status=" + status);
        StringBuilder message = new StringBuilder("Salesforce answered " + status + what);
        List<RestError> errors = restErrors == null ? List.of() : restErrors;
        for (RestError e : errors) {
            details.add("errorCode=" + e.getErrorCode());
            if (e.getFields() != null && !e.getFields().isEmpty()) {
                details.add("fields=" + String.join(",", e.getFields()));
            }
            message.append(' ').append(e.getErrorCode()).append(": ").append(e.getMessage());
        }
        if (errors.isEmpty() && fallback != null) {
            message.append(": ").append(fallback);
        }
        return new Failure(ConnectorCodes.SALESFORCE_PREFIX + (status == 0 ? "IO" : status), message.toString(),
                RETRYABLE.contains(status), details);
    }

    @Override
    public Failure classify(Exception exception) {
        return failureOf(exception);
    }

    private static Failure failureOf(Throwable t) {
        return SystemRoutes.classify(t, "Salesforce", ConnectorCodes.SALESFORCE_PREFIX + "IO",
                c -> c instanceof SalesforceException sf
                        ? failureOf(sf.getStatusCode(), sf.getErrors(), "", sf.getMessage()) : null);
    }
}
