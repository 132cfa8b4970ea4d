package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.connectors.ConnectorCodes;
import dev.baton.connectors.SettingsMessages;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.RecordingServer;
import dev.baton.hub.support.TestUsers;

/**
 * Server-side request forgery, tried as issue 13 found it: {@code call: http.get} to the hub's own port, to
 * the cloud metadata address, to a name that resolves to loopback, through a redirect, and steered by a
 * {@code CamelHttpUri} header or a Camel option in the URL. Only one server on loopback is allowed here
 * ({@code allow-private=127.0.0.1:<its port>}, the positive control); the other records that nothing reached it.
 */
class OutboundCallsTest extends HubTestBase {

    private static RecordingServer allowed;
    private static RecordingServer privateServer;

    @DynamicPropertySource
    static void onlyTheAllowedServer(DynamicPropertyRegistry registry) {
        allowed = new RecordingServer();
        privateServer = new RecordingServer();
        registry.add("baton.test.allow-private", () -> "127.0.0.1:" + allowed.port());
    }

    @AfterEach
    void reset() {
        allowed.redirectTo(null);
    }

    @AfterAll
    static void close() {
        allowed.close();
        privateServer.close();
    }

    private String oneCall(String prefix, String url) {
        return deployed("""
                id: %s
                steps:
                  - id: fetch
                    call: http.get
                    with: {url: "%s"}
                    output: {answer: "$"}
                """.formatted(unique(prefix), url));
    }

    private JsonNode incidentOf(String instance) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> api.incidents().stream()
                .filter(i -> instance.equals(i.path("instanceId").asText())).findFirst().orElse(null), i -> i != null);
    }

    @Test
    void shouldCallTheAllowedServer() {
        // given
        String id = oneCall("allowed", allowed.url("/orders/7?expand=lines"));
        int before = allowed.requests().size();

        // when
        String instance = api.start(id, "A-1", Map.of());

        // then
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).path("variables").path("answer").path("ok").asBoolean()).isTrue();
        // (through its own component the call still carries the instance's trace to the remote)
        String traceId = api.instance(instance).path("traceId").asText();
        assertThat(allowed.requests().subList(before, allowed.requests().size())).singleElement().satisfies(r -> {
            assertThat(r.uri()).isEqualTo("/orders/7?expand=lines");
            assertThat(r.header("traceparent")).startsWith("00-" + traceId + "-");
        });
    }

    @Test
    void shouldRefuseAtDeploymentCallsToPrivateAddressesAndCallsThatSteerCamel() {
        // given: the hub's own port, the metadata address, a header and a URL option steering Camel, a
        // placeholder reading the environment, a secret nobody has
        String id = unique("ssrf");
        String selfUrl = "http://127.0.0.1:" + port + "/api/definitions";
        String metadata = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";

        // when
        Api.Response r = api.deploy("""
                id: %s
                steps:
                  - id: self
                    call: http.get
                    with: {url: "%s"}
                    next: metadata
                  - id: metadata
                    call: http.get
                    with: {url: "%s"}
                    next: steered
                  - id: steered
                    call: http.post
                    with: {url: "%s", headers: {CamelHttpUri: "%s"}}
                    next: option
                  - id: option
                    call: http.get
                    with: {url: "%s"}
                    next: environment
                  - id: environment
                    call: salesforce.query
                    with: {soql: "SELECT Id FROM Account WHERE Name = '{{env:HOME}}'"}
                    next: secret
                  - id: secret
                    call: http.get
                    with: {url: "%s", headers: {Authorization: "Bearer {{secret:nobody-has-it}}"}}
                """.formatted(id, selfUrl, metadata, allowed.url("/hook"), privateServer.url("/admin"),
                allowed.url("/hook?httpClientConfigurer=%23evil&q=1"), allowed.url("/me")));

        // then: 400, every problem naming its step; nothing stored
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.text("code")).isEqualTo(HubCodes.INVALID_DEFINITION);
        List<String> messages = Api.toList(r.json().path("details")).stream().map(d -> d.path("message").asText())
                .toList();
        assertThat(messages).containsExactlyInAnyOrder(
                String.format(SettingsMessages.STEP, "self", String.format(SettingsMessages.URL_REFUSED, selfUrl,
                        "in loopback 127.0.0.0/8, not public, and not named by baton.connectors.http.allow-private")),
                String.format(SettingsMessages.STEP, "metadata", String.format(SettingsMessages.URL_REFUSED, metadata,
                        "in link-local 169.254.0.0/16 (cloud metadata), not public, and not named by "
                                + "baton.connectors.http.allow-private")),
                String.format(SettingsMessages.STEP, "steered",
                        String.format(SettingsMessages.CAMEL_HEADER, "CamelHttpUri")),
                String.format(SettingsMessages.STEP, "option",
                        String.format(SettingsMessages.URL_CAMEL_OPTION, "httpClientConfigurer")),
                String.format(SettingsMessages.STEP, "environment", String.format(SettingsMessages.PLACEHOLDER, "soql")),
                String.format(SettingsMessages.STEP, "secret", String.format(SettingsMessages.SECRET_UNKNOWN,
                        "headers.Authorization", "nobody-has-it", "BATON_SECRET_NOBODY_HAS_IT")));
        assertThat(Api.toList(r.json().path("details")).stream().map(d -> d.path("element").asText()))
                .containsExactlyInAnyOrder("step 'self'", "step 'metadata'", "step 'steered'", "step 'option'",
                        "step 'environment'", "step 'secret'");
        assertThat(api.get("/api/definitions/" + id, TestUsers.DEVELOPER).status()).isEqualTo(404);
        assertThat(privateServer.requests()).isEmpty();
    }

    @Test
    void shouldRefuseAtRunTimeANameThatResolvesToLoopbackWithoutReachingIt() {
        // given: names pass the deployment's check; the address they resolve to is checked as it is connected to
        String toPrivate = oneCall("localhost", "http://localhost:" + privateServer.port() + "/admin");
        String toSelf = oneCall("self", "http://localhost:" + port + "/api/definitions");

        // when
        String first = api.start(toPrivate, "L-1", Map.of());
        String second = api.start(toSelf, "L-2", Map.of());

        // then: each step fails permanently (one attempt) with the code, naming the address and the rule
        for (String instance : List.of(first, second)) {
            JsonNode incident = incidentOf(instance);
            assertThat(incident.path("code").asText()).isEqualTo(ConnectorCodes.HTTP_REFUSED);
            assertThat(incident.path("attempt").asInt()).isEqualTo(1);
            assertThat(incident.path("error").asText()).contains("localhost (127.0.0.1:", "refused: in loopback");
            assertThat(incident.path("details").toString()).contains("rule=in loopback 127.0.0.0/8");
            awaitStatus(instance, "FAILED");
            assertThat(api.instance(instance).path("variables").has("answer")).isFalse();
        }
        assertThat(privateServer.requests()).isEmpty();
    }

    @Test
    void shouldNotFollowARedirectFromTheAllowedServerToAPrivateAddress() {
        // given
        allowed.redirectTo(privateServer.url("/admin"));
        String id = oneCall("redirect", allowed.url("/start"));

        // when
        String instance = api.start(id, "R-1", Map.of());

        // then: the 302 is the step's failure, permanent, naming where it pointed; nothing reached the target
        JsonNode incident = incidentOf(instance);
        assertThat(incident.path("code").asText()).isEqualTo("BATON-HTTP-302");
        assertThat(incident.path("attempt").asInt()).isEqualTo(1);
        assertThat(incident.path("details").toString()).contains("location=" + privateServer.url("/admin"));
        assertThat(privateServer.requests()).isEmpty();
    }
}
