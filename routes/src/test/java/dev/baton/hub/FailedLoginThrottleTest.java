package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Guessing passwords, as the attack was run: hundreds of wrong HTTP Basic passwords as fast as one client
 * sends them, then the right one. The user name is locked out after three failures (the right password
 * refused too, 429 with Retry-After), the lockout is one log line and one audit entry; it ends, and the
 * next failure locks again for twice as long (the back-off's further steps are LoginThrottleTest's). An
 * address trying many user names is locked out for all of them until its lockout ends, and a forged
 * X-Forwarded-For does not get it out (forwarded headers are not configured).
 */
@ExtendWith(OutputCaptureExtension.class)
class FailedLoginThrottleTest extends HubTestBase {

    private static final Pattern LOCKOUT_LINE = Pattern.compile("BATON-API-429 login lockout: .*user name 'mia'");

    @DynamicPropertySource
    static void quickLockouts(DynamicPropertyRegistry registry) {
        registry.add("baton.security.login-throttle.max-failures", () -> "3");
        registry.add("baton.security.login-throttle.max-failures-per-address", () -> "10");
        // long enough that 200 requests on a busy machine fit into the first lockout
        registry.add("baton.security.login-throttle.lockout", () -> "10s");
        registry.add("baton.security.login-throttle.max-lockout", () -> "20s");
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoHundredWrongPasswordsLockTheUserOutOnceAndTheRightOneIsRefusedUntilTheLockoutEnds(CapturedOutput output)
            throws Exception {
        // when: 200 guesses, then the right password
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            statuses.add(basic(TestUsers.MANAGER, "guess-" + i).statusCode());
        }
        HttpResponse<String> right = basic(TestUsers.MANAGER, TestUsers.password(TestUsers.MANAGER));
        HttpResponse<String> colleague = basic(TestUsers.DEVELOPER, TestUsers.password(TestUsers.DEVELOPER));

        // then: two 401s, then the lockout; the right password is refused while it lasts
        assertThat(statuses.subList(0, 2)).containsOnly(401);
        assertThat(statuses.subList(2, 200)).containsOnly(429);
        assertThat(right.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 10L);
        assertError(new Api.Response(429, new com.fasterxml.jackson.databind.ObjectMapper().readTree(right.body()),
                right.body(), right.headers()), 429, HubCodes.TOO_MANY_FAILED_LOGINS);
        assertThat(colleague.statusCode()).as("another user from the same address").isEqualTo(200);
        // and the burst is one log line and three audit entries (two failures, one lockout), not 201
        assertThat(count(LOCKOUT_LINE, output.getAll())).isEqualTo(1);
        assertThat(deniedTo(TestUsers.MANAGER)).extracting(e -> e.get("summary").asText().substring(0, 3))
                .containsExactlyInAnyOrder("401", "401", "429");

        // when: guessing on until a guess is counted again, which it is once the lockout has ended
        HttpResponse<String> relocked = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> basic(TestUsers.MANAGER, "guess-again"), r -> "20".equals(retryAfter(r)));

        // then: that one failure locked again, for twice as long
        assertThat(relocked.statusCode()).isEqualTo(429);
        assertThat(count(LOCKOUT_LINE, output.getAll())).isEqualTo(2);
    }

    @Test
    void anAddressTryingManyUserNamesIsLockedOutForEveryNameAndAForgedForwardedForDoesNotHelp() throws IOException {
        // when: 127.0.0.2 tries ten user names, each with a different forged X-Forwarded-For
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(fromAddress("127.0.0.2", "user-" + i, "guess", "203.0.113." + i));
        }
        int realUserThere = fromAddress("127.0.0.2", TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR),
                "203.0.113.99");
        int realUserHere = fromAddress("127.0.0.1", TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR), null);

        // then
        assertThat(statuses.subList(0, 9)).containsOnly(401);
        assertThat(statuses.subList(9, 12)).containsOnly(429);
        assertThat(realUserThere).isEqualTo(429);
        assertThat(realUserHere).isEqualTo(200);
        // and once the lockout ends, the right password works from there again
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> fromAddress("127.0.0.2",
                TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR), null) == 200);
    }

    private HttpResponse<String> basic(String user, String password) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/definitions"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET sent from a given loopback address (the JDK's HTTP client cannot choose one); its status. */
    private int fromAddress(String local, String user, String password, String forwardedFor) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET /api/definitions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                    + "\r\n" + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    private static String retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").orElse(null);
    }

    private List<JsonNode> deniedTo(String user) {
        return Api.toList(api.get("/api/audit?eventType=ACCESS_DENIED&limit=1000", TestUsers.AUDITOR).json()
                .path("entries")).stream().filter(e -> user.equals(e.path("actor").asText())).toList();
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
