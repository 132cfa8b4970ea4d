package dev.baton.connectors.sap.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.connectors.sandbox.Faults;
import dev.baton.connectors.sandbox.SandboxHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local SAP NetWeaver Gateway serving the GWSAMPLE_BASIC OData V2 service, so that {@code camel-sap-netweaver}
 * (reads) and {@code camel-http} (writes) talk to it exactly as to a real Gateway: HTTP Basic after a
 * {@code WWW-Authenticate} challenge, the CSRF token handshake for writes, OData V2 verbose JSON, SAP's error bodies,
 * and business events (CloudEvents) for created orders and created or changed business partners.
 *
 * <p>The in-process "SAP GUI" methods ({@link #createSalesOrder}, {@link #updateBusinessPartner}) act as a person in
 * SAP would: they change the data and emit the same events as OData writes. Snapshots carry EDM values in their Java
 * form: {@code String}, {@code BigDecimal} (Edm.Decimal), {@code Instant} (Edm.DateTime), {@code Integer}, and a
 * {@code Map} for the {@code Address} complex type.
 */
public final class SapSandbox implements AutoCloseable {

    /** Receives CloudEvents (structured JSON, CloudEvents 1.0) the sandbox emits, as SAP's event mesh would. Called on a background thread. */
    public interface EventSink {
        void publish(String cloudEventJson) throws Exception;
    }

    public record Settings(String host, int port, String username, String password, boolean seed, EventSink events) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final String DEFAULT_USERNAME = "BATON_RFC";

        /** 127.0.0.1 on a random port, user BATON_RFC with a generated password, seeded, events dropped. */
        public static Settings defaults() {
            return new Settings(DEFAULT_HOST, 0, DEFAULT_USERNAME, generatePassword(), true, event -> { });
        }

        /** The password is never printed: it is {@code GET /api/sandboxes}'s to tell. */
        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", username=" + username + ", password=****, seed=" + seed
                    + "]";
        }

        public Settings withEvents(EventSink sink) {
            return new Settings(host, port, username, password, seed, sink);
        }
    }

    public record Item(String productId, int quantity) { }

    /** The service root; every OData URL lives under it. */
    public static final String SERVICE_PATH = "/sap/opu/odata/IWBEP/GWSAMPLE_BASIC";
    public static final String REALM = "SAP NetWeaver Application Server [GW1/100]";
    public static final String SESSION_COOKIE = "SAP_SESSIONID_GW1_100";
    public static final String CSRF_HEADER = "x-csrf-token";
    static final int MAX_SESSIONS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(SapSandbox.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final Faults faults = new Faults();
    private final AtomicLong requests = new AtomicLong();
    /** CSRF token per session cookie; the oldest sessions expire first, as on a Gateway that logs idle sessions off. */
    private final Map<String, String> csrfTokens = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SESSIONS;
        }
    });
    private final ODataModel model;
    private final SapStore store;
    private final SapEvents events;
    private final ODataService service;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String serviceUrl;

    private SapSandbox(Settings settings) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        Clock clock = Clock.systemUTC();
        this.model = ODataModel.load();
        this.events = new SapEvents(settings.events(), clock);
        this.store = new SapStore(model, clock, events);
        if (settings.seed()) {
            SapSeed.seed(store, clock.instant());
        }
        this.server = SandboxHttp.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "sap-sandbox-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(SERVICE_PATH, this::handle);
        server.start();
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        this.serviceUrl = "http://" + host + ":" + server.getAddress().getPort() + SERVICE_PATH;
        this.service = new ODataService(model, store, serviceUrl);
        LOG.info("SAP Gateway sandbox serving GWSAMPLE_BASIC at {} (user {})", serviceUrl, settings.username());
    }

    public static SapSandbox start(Settings settings) {
        try {
            return new SapSandbox(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the SAP sandbox on " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>/sap/opu/odata/IWBEP/GWSAMPLE_BASIC}, without a trailing slash. */
    public String serviceUrl() {
        return serviceUrl;
    }

    public String username() {
        return settings.username();
    }

    public String password() {
        return settings.password();
    }

    public Faults faults() {
        return faults;
    }

    /** Enters a sales order as a person in SAP would; emits SalesOrder.Created. Returns the new SalesOrderID. */
    public String createSalesOrder(String customerId, List<Item> items, String note) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Item item : items) {
            lines.add(Map.of("ProductID", item.productId(), "Quantity", item.quantity()));
        }
        Map<String, Object> body = new HashMap<>();
        body.put("CustomerID", customerId);
        body.put("Note", note);
        body.put("ToLineItems", lines);
        try {
            return (String) store.createSalesOrder(body).get("SalesOrderID");
        } catch (ODataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Changes a business partner as a person in SAP would (only the given fields); emits BusinessPartner.Changed if something changed. */
    public void updateBusinessPartner(String id, Map<String, Object> fields) {
        try {
            store.update("BusinessPartnerSet", "'" + id + "'", fields, true);
        } catch (ODataException e) {
            if (e.status() == 404) {
                throw new NoSuchElementException(e.getMessage());
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The sales order with its line items under {@code "ToLineItems"}, or empty. */
    public Optional<Map<String, Object>> salesOrder(String id) {
        return store.get("SalesOrderSet", "'" + id + "'").map(order -> {
            order.put("ToLineItems", store.navigate(order, model.set("SalesOrderSet").orElseThrow()
                    .navigations().get("ToLineItems")));
            return order;
        });
    }

    public Optional<Map<String, Object>> businessPartner(String id) {
        return store.get("BusinessPartnerSet", "'" + id + "'");
    }

    public List<Map<String, Object>> businessPartners() {
        return store.list("BusinessPartnerSet");
    }

    /**
     * How many writes changed that entity (a create counts 1, an update that changes nothing counts 0). {@code key}
     * is the bare id for single-key sets ({@code 0100000001}) or a key predicate
     * ({@code SalesOrderID='0500000000',ItemPosition='0000000010'}).
     */
    public int writeCount(String entitySet, String key) {
        ODataModel.EntitySet set = model.set(entitySet)
                .orElseThrow(() -> new IllegalArgumentException("Unknown entity set " + entitySet));
        String canonical = key.startsWith("'") || key.contains("=") ? store.parseKey(set, key) : "'" + key + "'";
        return store.writeCount(entitySet, canonical);
    }

    /** OData requests served, including those answered with an injected fault; 401 challenges are not counted. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        events.close();
    }

    // --- HTTP

    private void handle(HttpExchange exchange) {
        try {
            respond(exchange).send(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.debug("SAP sandbox could not answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
    }

    private Response respond(HttpExchange exchange) throws IOException {
        Headers in = exchange.getRequestHeaders();
        if (!authenticated(in.getFirst("Authorization"))) {
            return Response.text(401, "Logon failed").header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        }
        requests.incrementAndGet();
        Faults.Decision decision = faults.next();
        if (!decision.delay().isZero()) {
            try {
                Thread.sleep(decision.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (decision.status().isPresent()) {
            int status = decision.status().get();
            Response fault = Response.error(new ODataException(status, status == 429 ? "/IWFND/CM_BEC/026" : "/IWFND/CM_BEC/025",
                    status == 429 ? "Too many requests; try again later" : "Service unavailable: SAP Gateway is down"));
            return status == 429 ? fault.header("Retry-After", "1") : fault;
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String tunnelled = in.getFirst("X-HTTP-Method");
        if ("POST".equals(method) && tunnelled != null && !tunnelled.isBlank()) {
            method = tunnelled.trim().toUpperCase(Locale.ROOT);
        }
        String session = cookie(in, SESSION_COOKIE);
        boolean write = !"GET".equals(method) && !"HEAD".equals(method);
        Response csrf = null;
        if (write) {
            String token = in.getFirst(CSRF_HEADER);
            if (session == null || token == null || !token.equals(csrfTokens.get(session))) {
                return Response.text(403, "CSRF token validation failed").header(CSRF_HEADER, "Required");
            }
        } else if ("fetch".equalsIgnoreCase(in.getFirst(CSRF_HEADER))) {
            csrf = Response.text(200, "");
            if (session == null || !csrfTokens.containsKey(session)) {
                session = randomToken(32);
                csrfTokens.put(session, randomToken(24));
                csrf.header("Set-Cookie", SESSION_COOKIE + "=" + session + "; path=/")
                        .header("Set-Cookie", "sap-usercontext=sap-client=100; path=/");
            }
            csrf.header(CSRF_HEADER, csrfTokens.get(session));
        }
        String path = exchange.getRequestURI().getRawPath().substring(SERVICE_PATH.length());
        Response response;
        try {
            response = service.serve(method, path, exchange.getRequestURI().getRawQuery(),
                    write ? exchange.getRequestBody().readAllBytes() : new byte[0], in);
        } catch (ODataException e) {
            response = Response.error(e);
        }
        if (csrf != null) {
            response.copyHeaders(csrf);
        }
        if ("HEAD".equals(method)) {
            response.withoutBody();
        }
        return response;
    }

    private boolean authenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            return decoded.equals(settings.username() + ":" + settings.password());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String cookie(Headers headers, String name) {
        List<String> cookies = headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String generatePassword() {
        return randomToken(15);
    }
}
