package dev.baton.connectors.sap.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the sandbox with the real clients: camel-sap-netweaver for reads, camel-http for writes with the CSRF
 * handshake, and java.net.http for the raw protocol.
 */
class SapSandboxTest {

    /** SHA-256 of conformance/sap/GWSAMPLE_BASIC.metadata.xml: the shipped copy must stay unedited. */
    private static final String METADATA_SHA256 = "c9dc233a874eec8c89550430f4ea62bf8e36c4ebf0eaea5713074d06991b34fe";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> events = new CopyOnWriteArrayList<>();
    private SapSandbox sap;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() {
        sap = SapSandbox.start(SapSandbox.Settings.defaults().withEvents(events::add));
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        sap.close();
    }

    // --- raw protocol

    @Test
    void shouldChallengeForBasicAuthAndServeMetadataByteForByte() throws Exception {
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> anonymous = client.send(get("/$metadata").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = client.send(get("/$metadata").header("Authorization", basic(sap.username(), "nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<byte[]> metadata = client.send(authorized(get("/$metadata")).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"SAP NetWeaver Application Server [GW1/100]\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(metadata.body()).isEqualTo(resource("GWSAMPLE_BASIC.metadata.xml"));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(metadata.body())))
                .isEqualTo(METADATA_SHA256);
        assertThat(sap.requests()).isEqualTo(1);
    }

    @Test
    void shouldServeServiceDocumentAndQueryOptions() throws Exception {
        Map<String, Object> doc = getJson("/");
        Map<String, Object> page = getJson("/SalesOrderSet?$filter=GrossAmount%20gt%201000m%20and%20not%20(LifecycleStatus%20eq%20'X')"
                + "&$orderby=GrossAmount%20desc&$top=2&$skip=1&$inlinecount=allpages&$select=SalesOrderID,GrossAmount");
        Map<String, Object> byName = getJson("/BusinessPartnerSet?$filter=substringof('Berlin',CompanyName)%20or%20"
                + "startswith(CompanyName,'Del')%20or%20Address/City%20eq%20'Paris'&$orderby=BusinessPartnerID");
        Map<String, Object> byDecimalText = getJson("/ProductSet?$filter=Price%20ge%20'5000'%20and%20Category%20ne%20'Notebooks'");

        assertThat(d(doc)).extracting(m -> m.get("EntitySets")).asList()
                .contains("BusinessPartnerSet", "ProductSet", "SalesOrderSet", "SalesOrderLineItemSet", "ContactSet");
        assertThat(d(page).get("__count")).isEqualTo("5");
        List<Map<String, Object>> orders = results(d(page));
        assertThat(orders).hasSize(2);
        assertThat(orders.get(0)).containsOnlyKeys("__metadata", "SalesOrderID", "GrossAmount");
        assertThat(new BigDecimal((String) orders.get(0).get("GrossAmount")))
                .isGreaterThanOrEqualTo(new BigDecimal((String) orders.get(1).get("GrossAmount")));
        assertThat(results(d(byName))).extracting(m -> m.get("CompanyName"))
                .containsExactly("Becker Berlin", "DelBont Industries", "Talpa");
        assertThat(results(d(byDecimalText))).extracting(m -> m.get("ProductID")).containsExactly("HT-1500", "HT-1502");
    }

    @Test
    void shouldAnswerBadFilterAndUnknownKeyWithSapErrors() throws Exception {
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> badFilter = client.send(authorized(get("/SalesOrderSet?$filter=GrossAmount%20gtt%201")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknownProperty = client.send(authorized(get("/SalesOrderSet?$filter=Nope%20eq%201")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = client.send(authorized(get("/SalesOrderSet('0599999999')")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(error(badFilter.body()).get("code")).isNotNull();
        assertThat(errorMessage(unknownProperty.body())).contains("Nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing.body())).containsEntry("code", "SY/530").containsKey("innererror");
        assertThat(errorMessage(missing.body())).contains("SalesOrder").contains("0599999999");
    }

    @Test
    void shouldAcceptMergePutAndCreateOverRawHttpWithCsrf() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> fetched = client.send(authorized(get("/")).header("x-csrf-token", "Fetch").build(),
                HttpResponse.BodyHandlers.ofString());
        String token = fetched.headers().firstValue("x-csrf-token").orElseThrow();
        String cookie = String.join("; ", fetched.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0]).toList());
        Map<String, Object> partner = getJson("/BusinessPartnerSet('0100000003')");
        String etag = (String) map(d(partner).get("__metadata")).get("etag");

        HttpResponse<String> merge = client.send(write("MERGE", "/BusinessPartnerSet('0100000003')", token, cookie,
                "{\"PhoneNumber\":\"+33 1 0000 0000\"}").header("If-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> stale = client.send(write("MERGE", "/BusinessPartnerSet('0100000003')", token, cookie,
                "{\"PhoneNumber\":\"+33 1 1111 1111\"}").header("If-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = client.send(write("PUT", "/BusinessPartnerSet('0100000003')", token, cookie,
                "{\"CompanyName\":\"Talpa SA\",\"EmailAddress\":\"info@talpa.com\",\"CurrencyCode\":\"EUR\","
                        + "\"BusinessPartnerRole\":\"01\",\"Address\":{\"City\":\"Paris\",\"Country\":\"FR\"}}").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> created = client.send(write("POST", "/BusinessPartnerSet", token, cookie,
                "{\"CompanyName\":\"Baton Test AG\",\"EmailAddress\":\"ops@baton.dev\"}").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongToken = client.send(write("MERGE", "/BusinessPartnerSet('0100000003')", "forged", cookie, "{}").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> salesOrderUpdate = client.send(write("MERGE", "/SalesOrderSet('0500000000')", token, cookie,
                "{\"Note\":\"x\"}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(merge.statusCode()).as(merge.body()).isEqualTo(204);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        Map<String, Object> talpa = sap.businessPartner("0100000003").orElseThrow();
        assertThat(talpa).containsEntry("CompanyName", "Talpa SA").containsEntry("PhoneNumber", null);
        assertThat(map(talpa.get("Address"))).containsEntry("City", "Paris").containsEntry("Street", null);
        assertThat(sap.writeCount("BusinessPartnerSet", "0100000003")).isEqualTo(2);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue(sap.serviceUrl() + "/BusinessPartnerSet('0100000010')");
        assertThat(sap.writeCount("BusinessPartnerSet", "0100000010")).isEqualTo(1);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(salesOrderUpdate.statusCode()).isEqualTo(405);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
                .anySatisfy(e -> assertThat(e).contains("BusinessPartner.Created.v1").contains("0100000010")));
    }

    // --- reads through camel-sap-netweaver

    @Test
    void shouldReadSalesOrderWithLineItemsThroughSapNetWeaver() {
        Object body = netweaver("SalesOrderSet('0500000000')?$expand=ToLineItems");

        assertThat(body).isInstanceOf(Map.class);
        Map<String, Object> order = map(body);
        assertThat(order).containsEntry("SalesOrderID", "0500000000").containsEntry("CustomerID", "0100000000")
                .containsEntry("CustomerName", "SAP").containsEntry("CurrencyCode", "EUR");
        assertThat(map(order.get("__metadata"))).containsEntry("type", "GWSAMPLE_BASIC.SalesOrder")
                .containsEntry("uri", sap.serviceUrl() + "/SalesOrderSet('0500000000')");
        assertThat(order).containsEntry("NetAmount", "1273.00").containsEntry("TaxAmount", "241.87")
                .containsEntry("GrossAmount", "1514.87");
        assertThat((String) order.get("CreatedAt")).matches("/Date\\(\\d+\\)/");
        assertThat(map(order.get("ToBusinessPartner"))).containsKey("__deferred");
        List<Map<String, Object>> items = results(map(order.get("ToLineItems")));
        assertThat(items).extracting(i -> i.get("ItemPosition")).containsExactly("0000000010", "0000000020", "0000000030");
        assertThat(items.get(0)).containsEntry("ProductID", "HT-1000").containsEntry("NetAmount", "956.00")
                .containsEntry("TaxAmount", "181.64").containsEntry("GrossAmount", "1137.64");
    }

    @Test
    void shouldReadChangedBusinessPartnersThroughSapNetWeaver() {
        String since = LocalDateTime.ofInstant(Instant.now().minus(1, ChronoUnit.SECONDS), ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"));
        sap.updateBusinessPartner("0100000002", Map.of("PhoneNumber", "+1 555 0100"));
        sap.updateBusinessPartner("0100000001", Map.of("CompanyName", "Becker Berlin GmbH"));

        Object body = netweaver("BusinessPartnerSet?$filter=ChangedAt gt datetime'" + since + "'&$orderby=ChangedAt");

        assertThat(body).isInstanceOf(Map.class);
        List<Map<String, Object>> partners = results(map(body));
        assertThat(partners).extracting(p -> p.get("BusinessPartnerID")).containsExactly("0100000002", "0100000001");
        assertThat(partners.get(1)).containsEntry("CompanyName", "Becker Berlin GmbH");
        assertThat(map(partners.get(1).get("Address"))).containsEntry("City", "Berlin");
    }

    /** camel-sap-netweaver 4.17.0 does not swallow HTTP errors: its inner camel-http producer throws. */
    @Test
    void shouldFailWithSapErrorForMissingOrderThroughSapNetWeaver() {
        Exchange exchange = template.request(netweaverUri(),
                e -> e.getIn().setHeader("CamelNetWeaverCommand", "SalesOrderSet('0599999999')"));

        assertThat(exchange.getException()).isInstanceOfSatisfying(HttpOperationFailedException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getResponseBody()).contains("\"code\":\"SY/530\"").contains("0599999999");
        });
        assertThat(exchange.getMessage().getBody()).isNull();
    }

    // --- writes through camel-http

    @Test
    void shouldCreateSalesOrderWithDeepInsertAfterCsrfHandshake() throws Exception {
        Csrf csrf = fetchCsrf();
        String body = "{\"CustomerID\":\"0100000001\",\"Note\":\"Rush\",\"ToLineItems\":["
                + "{\"ProductID\":\"HT-1000\",\"Quantity\":\"2\"},{\"ProductID\":\"HT-1502\",\"Quantity\":\"4\"}]}";

        Exchange created = http("POST", "SalesOrderSet", null, csrf, body, Map.of());

        assertThat(created.getException()).isNull();
        assertThat(created.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(201);
        Map<String, Object> order = d(JSON.readValue(created.getMessage().getBody(String.class), Map.class));
        String id = (String) order.get("SalesOrderID");
        assertThat(id).isEqualTo("0500000005");
        assertThat(created.getMessage().getHeader("Location")).isEqualTo(sap.serviceUrl() + "/SalesOrderSet('0500000005')");
        assertThat(order).containsEntry("CustomerName", "Becker Berlin").containsEntry("NetAmount", "101912.00")
                .containsEntry("TaxAmount", "19363.28").containsEntry("GrossAmount", "121275.28")
                .containsEntry("LifecycleStatus", "N");
        assertThat(results(map(order.get("ToLineItems")))).extracting(i -> i.get("ItemPosition"))
                .containsExactly("0000000010", "0000000020");
        assertThat(sap.salesOrder(id)).hasValueSatisfying(o -> assertThat((List<?>) o.get("ToLineItems")).hasSize(2));
        assertThat(sap.writeCount("SalesOrderSet", id)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            Map<String, Object> event = JSON.readValue(e, Map.class);
            assertThat(event).containsEntry("type", "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1")
                    .containsEntry("subject", id).containsEntry("specversion", "1.0")
                    .containsEntry("source", "/default/sap.s4.beh/GW1_100");
            assertThat(map(event.get("data"))).containsEntry("SalesOrder", id).containsEntry("SoldToParty", "0100000001");
        }));
    }

    @Test
    void shouldRejectUnknownProductOnCreate() throws Exception {
        Csrf csrf = fetchCsrf();

        assertThatThrownBy(() -> http("POST", "SalesOrderSet", null, csrf,
                "{\"CustomerID\":\"0100000001\",\"ToLineItems\":[{\"ProductID\":\"HT-9999\",\"Quantity\":\"1\"}]}", Map.of()))
                .isInstanceOfSatisfying(HttpOperationFailedException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("HT-9999");
                });
    }

    @Test
    void shouldRefuseWriteWithoutCsrfToken() {
        assertThatThrownBy(() -> http("POST", "SalesOrderSet", null, null,
                "{\"CustomerID\":\"0100000001\",\"ToLineItems\":[{\"ProductID\":\"HT-1000\",\"Quantity\":\"1\"}]}", Map.of()))
                .isInstanceOfSatisfying(HttpOperationFailedException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    assertThat(e.getResponseHeaders()).hasEntrySatisfying("X-csrf-token", v -> assertThat(v).isEqualTo("Required"));
                    assertThat(e.getResponseBody()).isEqualTo("CSRF token validation failed");
                });
        assertThat(sap.salesOrder("0500000005")).isEmpty();
    }

    @Test
    void shouldMergeBusinessPartnerAndCountOnlyRealChanges() throws Exception {
        Csrf csrf = fetchCsrf();
        String rename = "{\"CompanyName\":\"DelBont Industries Inc\"}";
        Object before = sap.businessPartner("0100000002").orElseThrow().get("ChangedAt");

        Exchange merged = http("POST", "BusinessPartnerSet('0100000002')", null, csrf, rename, Map.of("X-HTTP-Method", "MERGE"));
        Exchange again = http("POST", "BusinessPartnerSet('0100000002')", null, csrf, rename, Map.of("X-HTTP-Method", "MERGE"));
        Exchange patched = http("PATCH", "BusinessPartnerSet('0100000002')", null, csrf,
                "{\"Address\":{\"City\":\"San Diego\"}}", Map.of());

        assertThat(merged.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(204);
        assertThat(again.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(204);
        assertThat(patched.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(204);
        Map<String, Object> partner = sap.businessPartner("0100000002").orElseThrow();
        assertThat(partner).containsEntry("CompanyName", "DelBont Industries Inc");
        assertThat(map(partner.get("Address"))).containsEntry("City", "San Diego").containsEntry("Street", "Lincoln Blvd");
        assertThat((Instant) partner.get("ChangedAt")).isAfter((Instant) before);
        assertThat(sap.writeCount("BusinessPartnerSet", "0100000002")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                .filter(e -> e.contains("BusinessPartner.Changed.v1") && e.contains("0100000002")).count() == 2);
    }

    @Test
    void shouldConfirmSalesOrderThroughFunctionImportIdempotently() throws Exception {
        Csrf csrf = fetchCsrf();

        Exchange first = http("POST", "SalesOrder_Confirm", "SalesOrderID='0500000000'", csrf, null, Map.of());
        Exchange second = http("POST", "SalesOrder_Confirm", "SalesOrderID='0500000000'", csrf, null, Map.of());

        assertThat(first.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        Map<String, Object> order = d(JSON.readValue(second.getMessage().getBody(String.class), Map.class));
        assertThat(order).containsEntry("SalesOrderID", "0500000000").containsEntry("LifecycleStatus", "P")
                .containsEntry("LifecycleStatusDescription", "In Process");
        assertThat(sap.salesOrder("0500000000")).hasValueSatisfying(o -> assertThat(o).containsEntry("LifecycleStatus", "P"));
        assertThat(sap.writeCount("SalesOrderSet", "0500000000")).isEqualTo(1);
        assertThatThrownBy(() -> http("POST", "SalesOrder_Confirm", "SalesOrderID='0599999999'", csrf, null, Map.of()))
                .isInstanceOfSatisfying(HttpOperationFailedException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    // --- events and faults

    @Test
    void shouldPublishOrderCreatedInSapAndRetryFailingSink() {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        try (SapSandbox flaky = SapSandbox.start(SapSandbox.Settings.defaults().withEvents(event -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("mesh unavailable");
            }
            received.add(event);
        }))) {
            String id = flaky.createSalesOrder("0100000003", List.of(new SapSandbox.Item("HT-1001", 2)), "entered in SAP GUI");

            assertThat(flaky.salesOrder(id)).hasValueSatisfying(o -> assertThat(o)
                    .containsEntry("CustomerName", "Talpa").containsEntry("NetAmount", new BigDecimal("2498.00")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received).singleElement()
                    .satisfies(e -> assertThat(e).contains("\"type\":\"sap.s4.beh.salesorder.v1.SalesOrder.Created.v1\"")
                            .contains("\"subject\":\"" + id + "\"")));
            assertThat(calls).hasValue(3);
        }
    }

    @Test
    void shouldAnswer503WhileDown() {
        sap.faults().downFor(Duration.ofMinutes(1));

        assertThatThrownBy(() -> http("GET", "SalesOrderSet('0500000000')", null, null, null, Map.of()))
                .isInstanceOfSatisfying(HttpOperationFailedException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(503);
                    assertThat(e.getResponseBody()).contains("\"error\"");
                });
        assertThatThrownBy(() -> netweaver("SalesOrderSet('0500000000')")).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(HttpOperationFailedException.class, e -> assertThat(e.getStatusCode()).isEqualTo(503));

        sap.faults().clear();
        assertThat(netweaver("SalesOrderSet('0500000000')")).isInstanceOf(Map.class);
        // Apache HttpClient re-executes a 503 once after a second, so each failed call reached the sandbox twice.
        assertThat(sap.requests()).isEqualTo(5);
    }

    // --- helpers

    private record Csrf(String token, String cookie) { }

    private String netweaverUri() {
        return "sap-netweaver:" + sap.serviceUrl() + "?username=" + sap.username() + "&password=RAW(" + sap.password() + ")";
    }

    private Object netweaver(String command) {
        return template.requestBodyAndHeader(netweaverUri(), null, "CamelNetWeaverCommand", command);
    }

    private String httpUri() {
        return sap.serviceUrl() + "?authMethod=Basic&authUsername=" + sap.username() + "&authPassword=RAW(" + sap.password()
                + ")&throwExceptionOnFailure=true";
    }

    /** GET with {@code x-csrf-token: Fetch}; the session cookies come back as Set-Cookie and are sent back as one Cookie header. */
    private Csrf fetchCsrf() {
        Exchange response = template.request(httpUri(), e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getIn().setHeader("x-csrf-token", "Fetch");
        });
        assertThat(response.getException()).isNull();
        Object setCookie = response.getMessage().getHeader("Set-Cookie");
        List<String> cookies = new ArrayList<>();
        for (Object c : setCookie instanceof List ? (List<?>) setCookie : List.of(setCookie)) {
            cookies.add(c.toString().split(";", 2)[0]);
        }
        String token = response.getMessage().getHeader("x-csrf-token", String.class);
        assertThat(token).isNotBlank().isNotEqualToIgnoringCase("Fetch");
        assertThat(String.join("; ", cookies)).contains("SAP_SESSIONID_GW1_100=");
        return new Csrf(token, String.join("; ", cookies));
    }

    private Exchange http(String method, String path, String query, Csrf csrf, String body, Map<String, String> headers)
            throws Exception {
        Exchange exchange = template.request(httpUri(), e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, method);
            e.getIn().setHeader(Exchange.HTTP_PATH, path);
            if (query != null) {
                e.getIn().setHeader(Exchange.HTTP_QUERY, query);
            }
            e.getIn().setHeader("Accept", "application/json");
            e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            if (csrf != null) {
                e.getIn().setHeader("x-csrf-token", csrf.token());
                if (csrf.cookie() != null) {
                    e.getIn().setHeader("Cookie", csrf.cookie());
                }
            }
            headers.forEach((k, v) -> e.getIn().setHeader(k, v));
            e.getIn().setBody(body);
        });
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return exchange;
    }

    private HttpRequest.Builder write(String method, String path, String token, String cookie, String body) {
        return authorized(HttpRequest.newBuilder(URI.create(sap.serviceUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)))
                .header("x-csrf-token", token).header("Cookie", cookie).header("Content-Type", "application/json");
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(sap.serviceUrl() + path)).GET();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return builder.header("Authorization", basic(sap.username(), sap.password())).header("Accept", "application/json");
    }

    private Map<String, Object> getJson(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(authorized(get(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = SapSandbox.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static Map<String, Object> error(String body) throws Exception {
        return map(JSON.readValue(body, Map.class).get("error"));
    }

    private static String errorMessage(String body) throws Exception {
        return (String) map(error(body).get("message")).get("value");
    }

    private static Map<String, Object> d(Map<?, ?> json) {
        return map(json.get("d"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<String, Object> set) {
        return (List<Map<String, Object>>) set.get("results");
    }
}
