package dev.baton.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.connectors.Connector;
import dev.baton.connectors.ConnectorCodes;
import dev.baton.connectors.SettingsMessages;
import dev.baton.connectors.secrets.Secrets;
import dev.baton.model.engine.Failure;

/**
 * {@code http.*} calls through real Camel and camel-http to real servers on loopback: what the policy refuses
 * never reaches a server, what it allows does, with its secrets resolved on the way out only.
 */
class HttpConnectorGuardTest {

    @TempDir
    Path dir;

    private final AtomicInteger routes = new AtomicInteger();
    private RecordingServer allowed;
    private RecordingServer privateServer;
    private CamelContext camel;
    private HttpConnector connector;

    @BeforeEach
    void start() throws Exception {
        allowed = new RecordingServer();
        privateServer = new RecordingServer();
        Path secretsFile = dir.resolve("secrets");
        Files.writeString(secretsFile, "crm-token=s3cr3t-t0k3n\n");
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));
        // Only the allowed server's port on loopback may be reached; the private server's may not.
        OutboundPolicy policy = OutboundPolicy.of(List.of(), List.of("127.0.0.1:" + allowed.port()));
        connector = new HttpConnector(new HttpProperties(true, Duration.ofSeconds(5), null, null, null), policy,
                new Secrets(secretsFile, Map.of()));
        camel = new DefaultCamelContext();
        camel.addComponent(HttpConnector.COMPONENT, connector.component());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        allowed.close();
        privateServer.close();
    }

    /** Compiles a step route as the hub does and sends one call through it. */
    private Exchange call(String operation, Map<String, Object> settings) throws Exception {
        String endpoint = "direct:step" + routes.incrementAndGet();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                connector.configure(from(endpoint), operation, settings);
            }
        });
        return camel.createProducerTemplate().send(endpoint, e -> {
            e.getMessage().setBody("{\"order\":1}");
            e.getMessage().setHeader(Connector.IDEMPOTENCY_KEY, "i-1:step:t1");
        });
    }

    private Failure failureOf(Exchange exchange) {
        assertThat(exchange.getException()).as("the call failed").isNotNull();
        return connector.classify(exchange.getException());
    }

    @Test
    void shouldCallAnAllowedAddressWithTheStepsHeadersAndQuery() throws Exception {
        // when
        Exchange result = call("post", Map.of("url", allowed.url("/orders?expand=lines"),
                "headers", Map.of("X-Client", "baton")));

        // then
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("{\"ok\":true}");
        assertThat(allowed.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/orders?expand=lines");
            assertThat(r.header("X-Client")).isEqualTo("baton");
            assertThat(r.header("Idempotency-Key")).isEqualTo("i-1:step:t1");
        });
    }

    @Test
    void shouldRefuseALoopbackLiteralAndTheMetadataAddressWithoutSendingAnything() throws Exception {
        // when
        long t0 = System.nanoTime();
        Failure loopback = failureOf(call("get", Map.of("url", privateServer.url("/admin"))));
        Failure metadata = failureOf(call("get", Map.of("url", "http://169.254.169.254/latest/meta-data/")));
        Failure mapped = failureOf(call("get", Map.of("url", "http://[::ffff:127.0.0.1]:" + privateServer.port() + "/")));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // then: refused permanently with the code, naming the address and the rule; nothing was sent
        assertThat(loopback.type()).isEqualTo(ConnectorCodes.HTTP_REFUSED);
        assertThat(loopback.retryable()).isFalse();
        assertThat(loopback.details()).contains("address=" + privateServer.url("/admin"))
                .anySatisfy(d -> assertThat(d).startsWith("rule=in loopback 127.0.0.0/8"));
        assertThat(metadata.type()).isEqualTo(ConnectorCodes.HTTP_REFUSED);
        assertThat(metadata.message()).contains("169.254.169.254", "link-local");
        assertThat(mapped.type()).isEqualTo(ConnectorCodes.HTTP_REFUSED);
        assertThat(privateServer.requests()).isEmpty();
        assertThat(millis).as("refused, not timed out").isLessThan(3000);
    }

    @Test
    void shouldRefuseANameThatResolvesToAPrivateAddressWhenConnecting() throws Exception {
        // when: localhost passes the URL check (a name), and is refused at the address it resolves to
        Failure byName = failureOf(call("get", Map.of("url", "http://localhost:" + privateServer.port() + "/")));
        Failure decimal = failureOf(call("get", Map.of("url", "http://2130706433:" + privateServer.port() + "/")));

        // then
        assertThat(byName.type()).isEqualTo(ConnectorCodes.HTTP_REFUSED);
        assertThat(byName.details()).anySatisfy(d -> assertThat(d).startsWith("address=localhost (")
                .endsWith(":" + privateServer.port() + ")"));
        // (Java reads a bare decimal number as an IPv4 address, as browsers and curl do)
        assertThat(decimal.type()).isEqualTo(ConnectorCodes.HTTP_REFUSED);
        assertThat(privateServer.requests()).isEmpty();
    }

    @Test
    void shouldNotFollowARedirectEvenToAnAllowedAddress() throws Exception {
        // given: the allowed server redirects to the private one, and to itself
        allowed.redirectTo(privateServer.url("/admin"));

        // when
        Failure failure = failureOf(call("get", Map.of("url", allowed.url("/start"))));

        // then: the 302 fails the call permanently, naming where it pointed; the private server saw nothing
        assertThat(failure.type()).isEqualTo("BATON-HTTP-302");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.details()).anySatisfy(d -> assertThat(d).contains(privateServer.url("/admin")));
        assertThat(allowed.requests()).hasSize(1);
        assertThat(privateServer.requests()).isEmpty();
    }

    @Test
    void shouldSendTheSecretsValueWhileTheExchangeKeepsOnlyTheReference() throws Exception {
        // when
        Exchange result = call("get", Map.of("url", allowed.url("/me"),
                "headers", Map.of("Authorization", "Bearer {{secret:crm-token}}")));

        // then
        assertThat(result.getException()).isNull();
        assertThat(allowed.requests()).singleElement().satisfies(r ->
                assertThat(r.header("Authorization")).isEqualTo("Bearer s3cr3t-t0k3n"));
        assertThat(result.getMessage().getHeaders().values()).noneMatch(v -> String.valueOf(v).contains("s3cr3t"));
    }

    @Test
    void shouldFailACallWhoseSecretIsUnknownWithoutSendingIt() throws Exception {
        // when
        Failure failure = failureOf(call("get", Map.of("url", allowed.url("/me"),
                "headers", Map.of("Authorization", "Bearer {{secret:nobody-knows}}"))));

        // then
        assertThat(failure.type()).isEqualTo(ConnectorCodes.SECRET_UNKNOWN);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).contains("'nobody-knows'", "BATON_SECRET_NOBODY_KNOWS");
        assertThat(allowed.requests()).isEmpty();
    }

    @Test
    void shouldRefuseSettingsThatSteerCamelOrReadItsPlaceholders() {
        // given
        Map<String, Object> settings = Map.of(
                "url", allowed.url("/x?bridgeEndpoint=true&httpClientConfigurer=%23evil&q=1"),
                "headers", Map.of("CamelHttpUri", privateServer.url("/"), "camelHttpPath", "/admin",
                        "Host", "internal", "X-Home", "{{env:HOME}}", "Authorization", "Bearer {{secret:nobody}}"));

        // when
        List<String> refusals = connector.refusals("get", settings);

        // then
        assertThat(refusals).contains(
                String.format(SettingsMessages.URL_CAMEL_OPTION, "bridgeEndpoint"),
                String.format(SettingsMessages.URL_CAMEL_OPTION, "httpClientConfigurer"),
                String.format(SettingsMessages.CAMEL_HEADER, "CamelHttpUri"),
                String.format(SettingsMessages.CAMEL_HEADER, "camelHttpPath"),
                String.format(SettingsMessages.RESERVED_HEADER, "Host"),
                String.format(SettingsMessages.PLACEHOLDER, "headers.X-Home"),
                String.format(SettingsMessages.SECRET_UNKNOWN, "headers.Authorization", "nobody",
                        "BATON_SECRET_NOBODY"));
        assertThat(refusals).noneMatch(r -> r.contains("'q'"));
        assertThatThrownBy(() -> call("get", settings)).hasStackTraceContaining("CamelHttpUri");
    }

    @Test
    void shouldRefuseSecretsAndPlaceholdersInTheUrlAndStaticUrlsThePolicyRefuses() {
        assertThat(connector.refusals("get", Map.of("url", "https://api.example.com/x?token={{secret:crm-token}}")))
                .containsExactly(String.format(SettingsMessages.SECRET_NOT_HERE, "url"));
        assertThat(connector.refusals("get", Map.of("url", "http://api.example.com/{{sys:user.home}}")))
                .containsExactly(String.format(SettingsMessages.PLACEHOLDER, "url"));
        assertThat(connector.refusals("get", Map.of("url", "https://user:pw@api.example.com/")))
                .containsExactly(SettingsMessages.URL_USERINFO);
        assertThat(connector.refusals("get", Map.of("url", "http://169.254.169.254/latest/meta-data/")))
                .singleElement().satisfies(r -> assertThat(r).startsWith("url http://169.254.169.254/latest/meta-data/ "
                        + "is refused: in link-local 169.254.0.0/16"));
        assertThat(connector.refusals("get", Map.of("url", allowed.url("/"),
                "headers", Map.of("Authorization", "Bearer {{secret:crm-token}}")))).isEmpty();
    }
}
