package dev.baton.connectors.salesforce.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.connectors.sandbox.Faults;
import dev.baton.connectors.sandbox.SandboxHttp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-process Salesforce org speaking Salesforce's wire protocols closely enough that the unchanged
 * {@code camel-salesforce} component talks to it: OAuth 2.0 token endpoint, the REST API (sObject rows, upsert by
 * external id, SOQL with cursors, sObject Collections, Composite) and the Streaming API (CometD long polling with
 * the replay extension) carrying Change Data Capture events for every write.
 *
 * <p>OAuth grants: {@code password}, {@code client_credentials} (acts as the integration user), {@code refresh_token}
 * (tokens from {@link #issueRefreshToken(String)}) and {@code urn:ietf:params:oauth:grant-type:jwt-bearer}. For the
 * JWT bearer grant the assertion's claims are checked ({@code iss} = client id, {@code sub} = a known username,
 * {@code exp} in the future) but its <b>signature is not verified</b>: any key will do.
 *
 * <p>Failure injection: every request under {@code /services/data} and {@code /cometd} asks {@link #faults()} what
 * to do (delay, 503 {@code SERVER_UNAVAILABLE}, 429 {@code REQUEST_LIMIT_EXCEEDED}); the token endpoint answers 503
 * while the faults say the system is down.
 *
 * <p>Not a database: all state is in memory, one lock serialises writes; meant for tests, demos and local runs.
 */
public final class SalesforceSandbox implements AutoCloseable {

    private final java.util.concurrent.atomic.AtomicLong tokensIssued = new java.util.concurrent.atomic.AtomicLong();

    /** Where and as whom the sandbox runs. */
    public record Settings(String host, int port, String clientId, String clientSecret,
                           String username, String password, boolean seed) {

        /** 127.0.0.1, a random port, generated client id/secret/password, "integration@baton.sandbox", seeded. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 0, "3MVG9sandbox" + random(24), random(32),
                    "integration@baton.sandbox", random(16), true);
        }

        /** The secrets are never printed: they are {@code GET /api/sandboxes}'s to tell. */
        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", clientId=" + clientId + ", clientSecret=****, username="
                    + username + ", password=****, seed=" + seed + "]";
        }

        public Settings withPort(int port) {
            return new Settings(host, port, clientId, clientSecret, username, password, seed);
        }

        public Settings withSeed(boolean seed) {
            return new Settings(host, port, clientId, clientSecret, username, password, seed);
        }
    }

    /** External id fields per sObject type. */
    static final Map<String, List<String>> EXTERNAL_IDS = Map.of(
            "Account", List.of("SAP_BP_Id__c"),
            "Opportunity", List.of("SAP_Order_Id__c"),
            "Contact", List.of("SAP_Contact_Id__c"));

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String REST_ORIGIN = "com/salesforce/api/rest/";

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();
    private final Faults faults = new Faults();
    private final SandboxOrg org;
    private final RestApi rest;
    private final CometdHub cometd;
    private final String baseUrl;
    private final String integrationUserId;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();        // access token -> user id
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>(); // refresh token -> user id
    private final Map<String, String> passwords = new ConcurrentHashMap<>();     // username -> password
    private final AtomicLong apiCalls = new AtomicLong();

    private SalesforceSandbox(Settings settings) throws IOException {
        this.settings = settings;
        this.org = new SandboxOrg(EXTERNAL_IDS);
        this.integrationUserId = org.seedUser(settings.username(), "Baton", "Integration", "Integration User");
        passwords.put(settings.username().toLowerCase(Locale.ROOT), settings.password());
        if (settings.seed()) {
            seed();
        }
        this.rest = new RestApi(org, json);
        this.cometd = new CometdHub(org, Duration.ofSeconds(10));
        this.server = SandboxHttp.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "salesforce-sandbox-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newCachedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
        this.baseUrl = "http://" + settings.host() + ":" + server.getAddress().getPort();
    }

    /** Binds and starts a sandbox. */
    public static SalesforceSandbox start(Settings settings) {
        try {
            return new SalesforceSandbox(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Salesforce sandbox on " + settings.host() + ":"
                    + settings.port(), e);
        }
    }

    // ------------------------------------------------------------------ public API

    public String loginUrl() {
        return baseUrl;
    }

    public String instanceUrl() {
        return baseUrl;
    }

    public String clientId() {
        return settings.clientId();
    }

    public String clientSecret() {
        return settings.clientSecret();
    }

    public String username() {
        return settings.username();
    }

    public String password() {
        return settings.password();
    }

    /** The 18-character user id (005...) of the integration user ({@link #username()}). */
    public String integrationUserId() {
        return integrationUserId;
    }

    /** The id of a user (seeded people, or the integration user); IllegalArgumentException when unknown. */
    public String userId(String username) {
        return org.userIdByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("No user " + username + " in the sandbox"));
    }

    /** The 18-character org id (00D...). */
    public String orgId() {
        return org.orgId();
    }

    public Faults faults() {
        return faults;
    }

    /** How long a {@code /meta/connect} is held when nothing is pending (default 10 s; Salesforce holds 110 s). */
    public SalesforceSandbox longPollHold(Duration hold) {
        cometd.hold(hold);
        return this;
    }

    /** How many CometD clients currently subscribe to {@code channel} (e.g. /data/AccountChangeEvent). */
    public int subscribers(String channel) {
        return cometd.subscribers(channel);
    }

    /** Subscriptions to a channel ever made: a client that re-handshakes and subscribes again shows here. */
    public long subscriptionsMade(String channel) {
        return cometd.subscriptionsMade(channel);
    }

    /** Every issued access token becomes invalid: the next call gets 401 INVALID_SESSION_ID. */
    public void expireSessions() {
        tokens.clear();
    }

    /** A refresh token for a user, for the {@code refresh_token} grant (Salesforce issues these in web flows). */
    public String issueRefreshToken(String username) {
        String token = "5Aep" + random(40);
        refreshTokens.put(token, userId(username));
        return token;
    }

    /** Creates a record as a person using Salesforce's UI: the change event has that user and origin "". */
    public String create(String sobject, Map<String, Object> fields, String actingUsername) {
        SObjectType type = typeOrFail(sobject);
        SandboxOrg.Actor actor = new SandboxOrg.Actor(userId(actingUsername), "");
        try {
            return org.atomically(actor, txn -> org.create(txn, type, fields));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.errorCode() + ": " + e.getMessage(), e);
        }
    }

    /** Updates a record as a person using Salesforce's UI (no event when no value changes). */
    public void update(String sobject, String id, Map<String, Object> fields, String actingUsername) {
        SObjectType type = typeOrFail(sobject);
        SandboxOrg.Actor actor = new SandboxOrg.Actor(userId(actingUsername), "");
        try {
            org.atomically(actor, txn -> org.update(txn, type, id, fields));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.errorCode() + ": " + e.getMessage(), e);
        }
    }

    /** Snapshot copies of all records of a type, with system fields (no {@code attributes}). */
    public List<Map<String, Object>> records(String sobject) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : org.all(typeOrFail(sobject))) {
            r.remove("attributes");
            out.add(r);
        }
        return out;
    }

    /** The first record whose field equals the value (strings compare ignoring case, as SOQL does). */
    public Optional<Map<String, Object>> findBy(String sobject, String field, Object value) {
        SObjectType type = typeOrFail(sobject);
        String canonical = Optional.ofNullable(type.field(field, false)).orElse(field);
        List<Map<String, Object>> found = org.findBy(type, canonical, value);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> r = found.get(0);
        r.remove("attributes");
        return Optional.of(r);
    }

    /** REST calls served under /services/data (not OAuth, not CometD), failed ones included. */
    /** Access tokens issued by the OAuth endpoint: a client that logged in again shows here. */
    public long tokensIssued() {
        return tokensIssued.get();
    }

    public long apiCalls() {
        return apiCalls.get();
    }

    /** Every published change event's {@code data} (schema, payload, event), in replay order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> changeEvents() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SandboxOrg.ChangeEvent e : org.events()) {
            out.add(json.convertValue(e.data(), Map.class));
        }
        return out;
    }

    @Override
    public void close() {
        cometd.close();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SObjectType typeOrFail(String sobject) {
        SObjectType t = org.type(sobject);
        if (t == null) {
            throw new IllegalArgumentException("No sObject type " + sobject + " in the sandbox");
        }
        return t;
    }

    // ------------------------------------------------------------------ seed

    private void seed() {
        String mia = org.seedUser("mia.jones@example.com", "Mia", "Jones", "Sales Manager");
        org.seedUser("leo.schmidt@example.com", "Leo", "Schmidt", "Account Executive");
        org.seedUser("ava.brown@example.com", "Ava", "Brown", "Sales Operations");
        SandboxOrg.Actor seeder = new SandboxOrg.Actor(mia, "");
        org.atomically(seeder, txn -> {
            SObjectType account = org.type("Account");
            String sap = org.create(txn, account, fields("Name", "SAP", "SAP_BP_Id__c", "0100000000",
                    "BillingCity", "Walldorf", "BillingCountry", "DE", "Industry", "Technology",
                    "Website", "http://www.sap.com"));
            String becker = org.create(txn, account, fields("Name", "Becker Berlin", "SAP_BP_Id__c", "0100000001",
                    "BillingCity", "Berlin", "BillingCountry", "DE", "Industry", "Retail"));
            org.create(txn, account, fields("Name", "DelBont Industries", "SAP_BP_Id__c", "0100000002",
                    "BillingCity", "Antwerpen", "BillingCountry", "BE", "Industry", "Manufacturing"));
            org.create(txn, account, fields("Name", "Talpa", "SAP_BP_Id__c", "0100000003",
                    "BillingCity", "Lisboa", "BillingCountry", "PT", "Industry", "Retail"));
            org.create(txn, account, fields("Name", "Northwind Traders", "BillingCity", "Seattle",
                    "BillingCountry", "US", "Industry", "Wholesale"));
            SObjectType opp = org.type("Opportunity");
            org.create(txn, opp, fields("Name", "SAP - Notebooks Q1", "StageName", "Prospecting",
                    "CloseDate", "2027-03-31", "Amount", 125000, "AccountId", sap));
            org.create(txn, opp, fields("Name", "Becker Berlin - Monitors", "StageName", "Negotiation/Review",
                    "CloseDate", "2027-01-15", "Amount", 48000, "AccountId", becker));
            SObjectType contact = org.type("Contact");
            org.create(txn, contact, fields("FirstName", "Karl", "LastName", "Becker", "Email",
                    "karl.becker@becker-berlin.example", "AccountId", becker));
            return null;
        });
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ HTTP

    private void serve(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/services/oauth2/token")) {
                oauthToken(ex);
            } else if (path.startsWith("/services/oauth2/revoke")) {
                revoke(ex);
            } else if (path.equals("/services/data") || path.startsWith("/services/data/")) {
                restCall(ex, path);
            } else if (path.startsWith("/cometd/")) {
                cometdCall(ex);
            } else if (path.startsWith("/id/")) {
                identity(ex, path);
            } else {
                send(ex, 404, List.of(RestApi.ordered("errorCode", "NOT_FOUND", "message",
                        "The requested resource does not exist")), Map.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        } catch (RuntimeException e) {
            send(ex, 500, List.of(RestApi.ordered("errorCode", "UNKNOWN_EXCEPTION", "message",
                    "An unexpected error occurred: " + e)), Map.of());
        } finally {
            ex.close();
        }
    }

    /** Applies {@link Faults}; true when the request was answered with an error. */
    private boolean faulted(HttpExchange ex) throws IOException, InterruptedException {
        Faults.Decision d = faults.next();
        if (!d.delay().isZero()) {
            Thread.sleep(d.delay().toMillis());
        }
        if (d.status().isEmpty()) {
            return false;
        }
        int status = d.status().get();
        drain(ex);
        if (status == 429) {
            send(ex, 429, List.of(RestApi.ordered("message", "TotalRequests Limit exceeded.",
                    "errorCode", "REQUEST_LIMIT_EXCEEDED")), Map.of());
        } else {
            send(ex, status, List.of(RestApi.ordered("message", "Server temporarily unavailable (sandbox fault).",
                    "errorCode", "SERVER_UNAVAILABLE")), Map.of());
        }
        return true;
    }

    private void restCall(HttpExchange ex, String rawPath) throws IOException, InterruptedException {
        apiCalls.incrementAndGet();
        if (faulted(ex)) {
            return;
        }
        String userId = authenticate(ex, "Bearer ");
        boolean versionList = rawPath.equals("/services/data") || rawPath.equals("/services/data/");
        if (userId == null && !versionList) {
            drain(ex);
            send(ex, 401, List.of(RestApi.ordered("message", "Session expired or invalid",
                    "errorCode", "INVALID_SESSION_ID")), Map.of("WWW-Authenticate", "Token"));
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = rawPath.length() <= "/services/data/".length() ? "" : rawPath.substring("/services/data/".length());
        String version = RestApi.versionOf(path).orElse("56.0");
        Map<String, String> headers = headers(ex.getRequestHeaders());
        String callOptions = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Sforce-Call-Options")) {
                callOptions = h.getValue();
            }
        }
        String origin = REST_ORIGIN + version;
        String client = clientOption(callOptions);
        if (client != null) {
            origin = origin + ";client=" + client;
        }
        RestApi.Call call = new RestApi.Call(ex.getRequestMethod(), decodePath(path),
                RestApi.parseQuery(ex.getRequestURI().getRawQuery()), headers, body,
                new SandboxOrg.Actor(userId, origin));
        RestApi.Response r = rest.handle(call);
        Map<String, String> extra = new LinkedHashMap<>(r.headers());
        extra.put("Sforce-Limit-Info", "api-usage=" + apiCalls.get() + "/15000");
        send(ex, r.status(), r.body(), extra);
    }

    /** Decodes each path segment but keeps the slashes (an encoded slash in an external id stays inside it). */
    private static String decodePath(String raw) {
        // segments are decoded in RestApi where needed; plus signs are literal in paths
        return raw.replace("+", "%2B");
    }

    private static String clientOption(String callOptions) {
        if (callOptions == null) {
            return null;
        }
        for (String part : callOptions.split(",")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("client=")) {
                return p.substring("client=".length()).trim();
            }
        }
        return null;
    }

    private void cometdCall(HttpExchange ex) throws IOException, InterruptedException {
        if (faulted(ex)) {
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        List<Map<String, Object>> messages;
        try {
            String text = new String(body, StandardCharsets.UTF_8).trim();
            if (text.startsWith("{")) {
                messages = List.of(json.readValue(text, new TypeReference<Map<String, Object>>() { }));
            } else {
                messages = json.readValue(text, new TypeReference<List<Map<String, Object>>>() { });
            }
        } catch (IOException e) {
            send(ex, 400, List.of(RestApi.ordered("error", "400::Invalid JSON", "successful", false)), Map.of());
            return;
        }
        String userId = authenticate(ex, "OAuth ");
        if (userId == null) {
            // Bayeux-level 401 inside HTTP 200 (see CometdHub.authenticationInvalid for why not HTTP 401)
            send(ex, 200, CometdHub.authenticationInvalid(messages), Map.of());
            return;
        }
        send(ex, 200, cometd.handle(messages, userId), Map.of());
    }

    private void identity(HttpExchange ex, String path) throws IOException {
        String userId = authenticate(ex, "Bearer ");
        if (userId == null) {
            userId = authenticate(ex, "OAuth ");
        }
        if (userId == null) {
            send(ex, 403, "Bad_OAuth_Token", Map.of());
            return;
        }
        Map<String, Object> user = org.anyById(userId);
        send(ex, 200, RestApi.ordered("id", baseUrl + "/id/" + org.orgId() + "/" + userId,
                "organization_id", org.orgId(), "user_id", userId,
                "username", user.get("Username"), "display_name", user.get("Name"), "email", user.get("Email"),
                "active", true, "urls", RestApi.ordered("rest", baseUrl + "/services/data/v{version}/",
                        "query", baseUrl + "/services/data/v{version}/query/")), Map.of());
    }

    /** The user id behind the request's token (Authorization: {@code <scheme><token>}), or null. */
    private String authenticate(HttpExchange ex, String scheme) {
        List<String> values = ex.getRequestHeaders().get("Authorization");
        if (values == null) {
            return null;
        }
        // a retried request may carry the stale and the fresh token: any valid one will do
        for (int i = values.size() - 1; i >= 0; i--) {
            for (String v : values.get(i).split(",")) {
                String s = v.trim();
                if (s.regionMatches(true, 0, scheme, 0, scheme.length())) {
                    String user = tokens.get(s.substring(scheme.length()).trim());
                    if (user != null) {
                        return user;
                    }
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ OAuth

    private void oauthToken(HttpExchange ex) throws IOException {
        String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (faults.isDown()) {
            send(ex, 503, List.of(RestApi.ordered("message", "Server temporarily unavailable (sandbox fault).",
                    "errorCode", "SERVER_UNAVAILABLE")), Map.of());
            return;
        }
        if (!ex.getRequestMethod().equalsIgnoreCase("POST")) {
            send(ex, 400, oauthError("invalid_request", "must use HTTP POST"), Map.of());
            return;
        }
        Map<String, String> form = RestApi.parseQuery(raw);
        Map<String, String> q = RestApi.parseQuery(ex.getRequestURI().getRawQuery());
        q.forEach(form::putIfAbsent);
        String grant = form.getOrDefault("grant_type", "");
        String userId;
        switch (grant) {
            case "password":
                if (!clientOk(ex, form, true)) {
                    return;
                }
                userId = passwordUser(form.get("username"), form.get("password"));
                break;
            case "client_credentials":
                if (!clientOk(ex, form, true)) {
                    return;
                }
                userId = integrationUserId;
                break;
            case "refresh_token":
                if (!clientOk(ex, form, form.get("client_secret") != null)) {
                    return;
                }
                userId = form.get("refresh_token") == null ? null : refreshTokens.get(form.get("refresh_token"));
                if (userId == null) {
                    send(ex, 400, oauthError("invalid_grant", "expired access/refresh token"), Map.of());
                    return;
                }
                break;
            case JWT_BEARER:
                userId = jwtUser(ex, form.get("assertion"));
                if (userId == null) {
                    return;
                }
                break;
            default:
                send(ex, 400, oauthError("unsupported_grant_type", "grant type not supported"), Map.of());
                return;
        }
        if (userId == null) {
            send(ex, 400, oauthError("invalid_grant", "authentication failure"), Map.of());
            return;
        }
        tokensIssued.incrementAndGet();
        send(ex, 200, tokenResponse(userId), Map.of());
    }

    private boolean clientOk(HttpExchange ex, Map<String, String> form, boolean checkSecret) throws IOException {
        if (!settings.clientId().equals(form.get("client_id"))) {
            send(ex, 400, oauthError("invalid_client_id", "client identifier invalid"), Map.of());
            return false;
        }
        if (checkSecret && !settings.clientSecret().equals(form.get("client_secret"))) {
            send(ex, 400, oauthError("invalid_client", "invalid client credentials"), Map.of());
            return false;
        }
        return true;
    }

    private String passwordUser(String username, String password) {
        if (username == null || password == null) {
            return null;
        }
        String expected = passwords.get(username.toLowerCase(Locale.ROOT));
        if (expected == null || !expected.equals(password)) {
            return null;
        }
        return org.userIdByUsername(username).orElse(null);
    }

    /** Checks a JWT bearer assertion's claims (signature NOT verified); answers the error itself when invalid. */
    private String jwtUser(HttpExchange ex, String assertion) throws IOException {
        Map<String, Object> claims;
        try {
            String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
            if (parts.length < 2) {
                throw new IllegalArgumentException("not a JWT");
            }
            byte[] payload = Base64.getUrlDecoder().decode(parts[1].replace("=", ""));
            claims = json.readValue(payload, new TypeReference<Map<String, Object>>() { });
        } catch (IOException | IllegalArgumentException e) {
            send(ex, 400, oauthError("invalid_grant", "invalid assertion"), Map.of());
            return null;
        }
        if (!settings.clientId().equals(claims.get("iss"))) {
            send(ex, 400, oauthError("invalid_client_id", "client identifier invalid"), Map.of());
            return null;
        }
        long exp;
        try {
            exp = Long.parseLong(String.valueOf(claims.get("exp")));
        } catch (NumberFormatException e) {
            exp = 0;
        }
        if (exp * 1000 < System.currentTimeMillis()) {
            send(ex, 400, oauthError("invalid_grant", "expired authorization code"), Map.of());
            return null;
        }
        Object sub = claims.get("sub");
        Optional<String> user = sub == null ? Optional.empty() : org.userIdByUsername(sub.toString());
        if (user.isEmpty()) {
            send(ex, 400, oauthError("invalid_grant", "user hasn't approved this consumer"), Map.of());
            return null;
        }
        return user.get();
    }

    private Map<String, Object> tokenResponse(String userId) {
        String token = org.orgId().substring(0, 15) + "!" + random(96);
        tokens.put(token, userId);
        String id = baseUrl + "/id/" + org.orgId() + "/" + userId;
        String issuedAt = Long.toString(System.currentTimeMillis());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", token);
        out.put("instance_url", baseUrl);
        out.put("id", id);
        out.put("token_type", "Bearer");
        out.put("issued_at", issuedAt);
        out.put("signature", signature(id + issuedAt));
        return out;
    }

    /** Salesforce's token signature: Base64 HMAC-SHA256 of id + issued_at, keyed with the client secret. */
    private String signature(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> oauthError(String error, String description) {
        return RestApi.ordered("error", error, "error_description", description);
    }

    private void revoke(HttpExchange ex) throws IOException {
        String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = RestApi.parseQuery(ex.getRequestURI().getRawQuery());
        RestApi.parseQuery(raw).forEach(params::putIfAbsent);
        String token = params.get("token");
        if (token != null) {
            tokens.remove(token);
            refreshTokens.remove(token);
        }
        send(ex, 200, null, Map.of());
    }

    // ------------------------------------------------------------------ plumbing

    private static Map<String, String> headers(Headers h) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            out.put(e.getKey(), String.join(",", e.getValue()));
        }
        return out;
    }

    private static void drain(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
    }

    private void send(HttpExchange ex, int status, Object body, Map<String, String> headers) throws IOException {
        Headers h = ex.getResponseHeaders();
        headers.forEach(h::set);
        if (body == null) {
            ex.sendResponseHeaders(status, status == 204 ? -1 : 0);
            if (status != 204) {
                ex.getResponseBody().close();
            }
            return;
        }
        byte[] bytes;
        if (body instanceof String) {
            bytes = ((String) body).getBytes(StandardCharsets.UTF_8);
            h.set("Content-Type", "text/plain;charset=UTF-8");
        } else {
            bytes = json.writeValueAsBytes(body);
            h.set("Content-Type", "application/json;charset=UTF-8");
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String random(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
