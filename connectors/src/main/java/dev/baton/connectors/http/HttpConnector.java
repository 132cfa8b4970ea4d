package dev.baton.connectors.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteDefinition;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorCodes;
import dev.baton.connectors.Placeholders;
import dev.baton.connectors.SettingsMessages;
import dev.baton.connectors.secrets.SecretUnavailableException;
import dev.baton.connectors.secrets.Secrets;
import dev.baton.model.engine.Failure;

/**
 * Calls an HTTP endpoint with camel-http: {@code http.get}, {@code http.post}, {@code http.put},
 * {@code http.patch}, {@code http.delete}. The request body is the step's input as JSON; the
 * response body is the step's result. Every call carries {@code Idempotency-Key}, the same for every
 * attempt of one step execution, so a receiver can apply a retried write once.
 *
 * <p>Settings: {@code url} (required), {@code headers} (map), {@code timeout} (ISO-8601 duration).
 *
 * <p>Outbound calls are allowed, not open. They go through a component of their own ({@link #component()}):
 * the {@link OutboundPolicy} is checked on the URL before sending and on every address connected to
 * ({@link GuardedDnsResolver}); redirects are not followed (a 3xx fails the call, naming its Location);
 * no cookie is kept between calls. Definition text never reaches Camel's endpoint options or property
 * placeholders: the URL travels in the {@code CamelHttpUri} header, so its query is only an HTTP query,
 * and headers are set by a processor. Header values may hold {@code {{secret:name}}}, replaced by the
 * HTTP client as the request leaves, so the value is never in the exchange, the definition, a log or a span.
 */
public final class HttpConnector implements Connector {

    public static final String NAME = "http";
    /** The Camel component name the hub registers {@link #component()} under. */
    public static final String COMPONENT = "baton-http";

    private static final Set<String> OPERATIONS = Set.of("get", "post", "put", "patch", "delete");
    /** Headers Baton or the HTTP client set, and the hop-by-hop ones only a proxy may read. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-authorization",
            "proxy-connection", "cookie");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final HttpProperties properties;
    private final OutboundPolicy policy;
    private final Secrets secrets;

    public HttpConnector(HttpProperties properties, OutboundPolicy policy, Secrets secrets) {
        this.properties = properties;
        this.policy = policy;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> operations() {
        return OPERATIONS;
    }

    /**
     * The camel-http component every {@code http.*} call goes through, to register as {@link #COMPONENT}: its
     * connections resolve names through the policy, it follows no redirect, keeps no cookie and never
     * re-sends a request itself (Baton's retry policy does).
     */
    public HttpComponent component() {
        HttpComponent component = new HttpComponent();
        component.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(policy)).setMaxConnTotal(200).setMaxConnPerRoute(20).build());
        component.setHttpClientConfigurer(builder -> builder.disableRedirectHandling()
                .addRequestInterceptorLast(this::resolveSecrets));
        component.setFollowRedirects(false);
        component.setRedirectHandlingDisabled(true);
        component.setAutomaticRetriesDisabled(true);
        component.setCookieManagementDisabled(true);
        return component;
    }

    /** Replaces secret references in the request's headers, as late as possible: the value exists nowhere else. */
    private void resolveSecrets(HttpRequest request, EntityDetails entity, HttpContext context) throws IOException {
        for (Header header : request.getHeaders()) {
            String value = header.getValue();
            if (value != null && value.contains("{{secret:")) {
                request.removeHeader(header);
                request.addHeader(new BasicHeader(header.getName(), secrets.resolve(value), true));
            }
        }
    }

    @Override
    public void configure(RouteDefinition route, String operation, Map<String, Object> settings) {
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("Unknown http operation '" + operation + "'");
        }
        List<String> problems = structuralProblems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        URI url = URI.create((String) settings.get("url"));
        Map<String, String> headers = headers(settings);
        Duration timeout = timeout(settings);
        String method = operation.toUpperCase(Locale.ROOT);
        route.process(exchange -> {
            // The allow-list as configured now: a definition deployed under another one is refused here.
            var refusal = policy.refusalOf(url);
            if (refusal.isPresent()) {
                throw new OutboundRefusedException(url.toString(), refusal.get());
            }
            Message m = exchange.getMessage();
            m.setHeader(Exchange.HTTP_URI, url.toString());
            m.setHeader(Exchange.HTTP_METHOD, method);
            m.setHeader("Idempotency-Key", m.getHeader(IDEMPOTENCY_KEY));
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setHeader("Accept", "application/json");
            headers.forEach(m::setHeader);
            if (method.equals("GET") || method.equals("DELETE")) {
                m.setBody(null);
            }
            m.removeHeaders("Baton*");
        });
        route.to(COMPONENT + "://outbound.invalid?throwExceptionOnFailure=true&connectTimeout=" + timeout.toMillis()
                + "&responseTimeout=" + timeout.toMillis());
        route.convertBodyTo(String.class);
    }

    @Override
    public List<String> refusals(String operation, Map<String, Object> settings) {
        List<String> out = structuralProblems(settings);
        if (settings.get("url") instanceof String s && urlProblems(s).isEmpty() && !s.contains("{{")) {
            URI url = URI.create(s);
            policy.refusalOf(url).ifPresent(r -> out.add(String.format(SettingsMessages.URL_REFUSED, url, r)));
        }
        if (settings.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> {
                for (String secret : Secrets.references(String.valueOf(value))) {
                    if (!secrets.has(secret)) {
                        out.add(String.format(SettingsMessages.SECRET_UNKNOWN, "headers." + name, secret,
                                Secrets.environmentName(secret)));
                    }
                }
            });
        }
        return out;
    }

    /** What no configuration can make right: the same at deployment and when a stored definition compiles. */
    private List<String> structuralProblems(Map<String, Object> settings) {
        List<String> out = new ArrayList<>(Placeholders.refusals(settings, path -> path.startsWith("headers.")));
        if (!String.valueOf(settings.get("url")).contains("{{")) {
            out.addAll(urlProblems(settings.get("url")));
        }
        Object headers = settings.get("headers");
        if (headers != null && !(headers instanceof Map<?, ?>)) {
            out.add("http setting 'headers' must be a map of names to values");
        } else if (headers instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String name = String.valueOf(k);
                String value = String.valueOf(v);
                if (name.toLowerCase(Locale.ROOT).startsWith("camel")
                        || name.toLowerCase(Locale.ROOT).startsWith("org.apache.camel")) {
                    out.add(String.format(SettingsMessages.CAMEL_HEADER, name));
                } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                        || name.toLowerCase(Locale.ROOT).startsWith("baton")
                        || name.equalsIgnoreCase("Idempotency-Key")) {
                    out.add(String.format(SettingsMessages.RESERVED_HEADER, name));
                } else if (!TOKEN.matcher(name).matches() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    out.add(String.format(SettingsMessages.BAD_HEADER, name));
                }
            });
        }
        try {
            timeout(settings);
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
        return out;
    }

    private static List<String> urlProblems(Object url) {
        if (!(url instanceof String s) || s.isBlank()) {
            return List.of("http needs the setting 'url'");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            return List.of("http setting 'url' is not a URL: " + s);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            return List.of("http setting 'url' must start with http:// or https://, but is " + s);
        }
        if (uri.getHost() == null) {
            return List.of("http setting 'url' has no host: " + s);
        }
        List<String> out = new ArrayList<>();
        if (uri.getRawUserInfo() != null) {
            out.add(SettingsMessages.URL_USERINFO);
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (CamelOptions.NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                    out.add(String.format(SettingsMessages.URL_CAMEL_OPTION, name));
                }
            }
        }
        return out;
    }

    private static Map<String, String> headers(Map<String, Object> settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.get("headers") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        }
        return headers;
    }

    private Duration timeout(Map<String, Object> settings) {
        Object t = settings.get("timeout");
        if (t == null) {
            return properties.timeout();
        }
        try {
            return Duration.parse(String.valueOf(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("http setting 'timeout' must be an ISO-8601 duration such as PT10S, "
                    + "but is " + t);
        }
    }

    @Override
    public Failure classify(Exception exception) {
        Throwable cause = exception;
        while (cause != null) {
            if (cause instanceof OutboundRefusedException refused) {
                return new Failure(ConnectorCodes.HTTP_REFUSED, refused.getMessage(), false,
                        List.of("address=" + refused.target(), "rule=" + refused.rule()));
            }
            if (cause instanceof SecretUnavailableException secret) {
                return new Failure(secret.code(), secret.getMessage(), false, List.of());
            }
            if (cause instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                List<String> details = new ArrayList<>();
                details.add("status=" + status);
                details.add("url=" + http.getUri());
                if (http.getRedirectLocation() != null) {
                    details.add("location=" + http.getRedirectLocation() + " (redirects are not followed)");
                }
                String body = http.getResponseBody();
                if (body != null && !body.isBlank()) {
                    details.add("body=" + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
                }
                return new Failure(ConnectorCodes.HTTP_STATUS_PREFIX + status,
                        "HTTP " + status + " " + http.getStatusText() + " from " + http.getUri(),
                        properties.retryableStatuses().contains(status), details);
            }
            if (cause instanceof IOException io) {
                return new Failure(ConnectorCodes.HTTP_IO, io.getClass().getSimpleName() + ": " + io.getMessage(),
                        true, List.of());
            }
            cause = cause.getCause();
        }
        return new Failure(ConnectorCodes.UNEXPECTED, String.valueOf(exception.getMessage()), true, List.of());
    }

    /** The endpoint options of Camel's http component, lower case, from the component's own catalogue. */
    private static final class CamelOptions {

        static final Set<String> NAMES = load();

        private static Set<String> load() {
            try (InputStream in = HttpComponent.class.getResourceAsStream("/META-INF/org/apache/camel/component/http/http.json")) {
                if (in == null) {
                    throw new IllegalStateException("camel-http's catalogue http.json is not on the class path");
                }
                JsonNode properties = new ObjectMapper().readTree(in).path("properties");
                Set<String> names = new TreeSet<>();
                properties.fieldNames().forEachRemaining(n -> names.add(n.toLowerCase(Locale.ROOT)));
                return Set.copyOf(names);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
