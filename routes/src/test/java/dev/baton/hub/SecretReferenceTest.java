package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.ForkedHub;
import dev.baton.hub.support.RecordingServer;
import dev.baton.hub.support.TestUsers;

/**
 * Credentials for {@code http.*} calls by reference: {@code {{secret:name}}} in a header reaches the remote as
 * its value, read at call time from an owner-only secrets file (rotated without a restart) or the environment,
 * and the value is in no API answer, no log line (the whole output of a hub in its own JVM) and no span.
 */
class SecretReferenceTest {

    @TempDir
    Path dir;

    private Path secretsFile(String content, String permissions) throws Exception {
        Path f = dir.resolve("secrets");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
        return f;
    }

    @Test
    void shouldSendAReferencedSecretToTheRemoteAndShowItInNoAnswerLogOrSpan() throws Exception {
        // given: a token in the secrets file, a key in the environment
        String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String token = "t0k3n-" + run;
        String rotated = "r0tated-" + run;
        String key = "k3y-" + run;
        Path secrets = secretsFile("crm-token=" + token + "\n", "rw-------");
        try (RecordingServer remote = new RecordingServer();
             ForkedHub hub = new ForkedHub(dir.resolve("data"), "--baton.secrets.file=" + secrets,
                     "--logging.level.org.apache.camel=INFO")
                     .environment("BATON_SECRET_ERP_KEY", key).start()) {
            Api api = hub.api();
            Api.Response deployed = api.deploy("""
                    id: secret-ref
                    steps:
                      - id: notify
                        call: http.post
                        with:
                          url: "%s"
                          headers: {Authorization: "Bearer {{secret:crm-token}}", X-Api-Key: "{{secret:erp-key}}"}
                        retry: {attempts: 2, backoff: PT0.2S}
                        output: {answer: "$"}
                    """.formatted(remote.url("/hook")));
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);

            // when: the first call fails once and is retried
            remote.failNext(1, 503);
            String first = api.start("secret-ref", "S-1", Map.of("order", "S-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.status(first)));

            // then: both attempts carried the values
            assertThat(remote.requests()).hasSize(2).allSatisfy(r -> {
                assertThat(r.header("Authorization")).isEqualTo("Bearer " + token);
                assertThat(r.header("X-Api-Key")).isEqualTo(key);
            });

            // when: the token is rotated in the file, the hub running
            Files.writeString(secrets, "crm-token=" + rotated + "\n");
            String second = api.start("secret-ref", "S-2", Map.of("order", "S-2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.status(second)));

            // then: the next call carries the new value
            assertThat(remote.requests().get(remote.requests().size() - 1).header("Authorization"))
                    .isEqualTo("Bearer " + rotated);

            // when: the remote refuses a call for good
            remote.alwaysAnswer(400);
            String third = api.start("secret-ref", "S-3", Map.of("order", "S-3"));
            await().atMost(Duration.ofSeconds(30)).until(() -> api.incidents().stream()
                    .anyMatch(i -> third.equals(i.path("instanceId").asText())));

            // then: the definition holds the reference; no answer, span or log line holds a value
            List<String> seen = new ArrayList<>();
            String definition = api.get("/api/definitions/secret-ref", TestUsers.DEVELOPER).body();
            assertThat(definition).contains("{{secret:crm-token}}", "{{secret:erp-key}}");
            seen.add(definition);
            seen.add(api.get("/api/definitions/secret-ref?format=bpmn", TestUsers.DEVELOPER).body());
            seen.add(api.get("/api/incidents", TestUsers.OPERATOR).body());
            for (String instance : List.of(first, second, third)) {
                Api.Response answer = api.get("/api/instances/" + instance, TestUsers.OPERATOR);
                seen.add(answer.body());
                String traceId = answer.json().path("traceId").asText();
                JsonNode trace = await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/api/traces/" + traceId,
                        TestUsers.AUDITOR).json(), t -> t != null && t.path("spans").findValuesAsText("name")
                        .contains("http post"));
                seen.add(trace.toString());
                seen.add(api.get("/api/audit?traceId=" + traceId, TestUsers.AUDITOR).body());
            }
            seen.add(Files.readString(hub.log()));
            assertThat(String.join("\n", seen)).contains("BATON-HTTP-400", "http post")
                    .doesNotContain(token).doesNotContain(rotated).doesNotContain(key);
        }
    }

    @Test
    void shouldRefuseToStartWithASecretsFileOthersMayRead() throws Exception {
        // given
        Path secrets = secretsFile("crm-token=t0k3n-readable\n", "rw-r--r--");
        ForkedHub hub = new ForkedHub(dir.resolve("data"), "--baton.secrets.file=" + secrets);

        // then: it exits, saying which file and what to do, without quoting it
        try (hub) {
            assertThatThrownBy(hub::start).hasMessageContaining("the hub exited");
            assertThat(Files.readString(hub.log())).contains(secrets.toString(), "chmod 600")
                    .doesNotContain("t0k3n-readable");
        }
    }
}
