package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.audit.AccessAudit;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Every refusal reaches {@link AccessAudit}: a 401 (with the name a failed login claimed, never its
 * password), a 403 from the URL rules, and the services' own 403s (a missing candidate role, the
 * four-eyes rule, here switched on for every task by {@code baton.tasks.four-eyes}). The audit trail's
 * store is not this test's subject, so a recording stands in for it.
 */
@Import(AccessAuditTest.Recording.class)
class AccessAuditTest extends HubTestBase {

    /** One call of {@link AccessAudit#denied}, with what the request said at the time. */
    record Denial(String method, String path, String actor, int status, String reason) {
    }

    /** Records refusals instead of storing them. */
    static final class RecordingAudit implements AccessAudit {
        final List<Denial> denials = new CopyOnWriteArrayList<>();

        @Override
        public void denied(HttpServletRequest request, String actor, int status, String reason) {
            denials.add(new Denial(request.getMethod(), request.getRequestURI(), actor, status, reason));
        }

        List<Denial> of(String path) {
            return denials.stream().filter(d -> d.path().equals(path)).toList();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Recording {
        @Bean
        @Primary
        RecordingAudit recordingAudit() {
            return new RecordingAudit();
        }
    }

    @DynamicPropertySource
    static void fourEyesForEveryTask(DynamicPropertyRegistry registry) {
        registry.add("baton.tasks.four-eyes", () -> "true");
    }

    @Autowired
    RecordingAudit audit;

    @Test
    void aFailedLoginIsRecordedWithTheClaimedNameAndNeverThePassword() {
        String path = "/api/definitions/" + unique("nothing");

        Api.Response wrong = api.post(path + "/instances", null, "application/json", "{}",
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (TestUsers.OPERATOR + ":guessed-Pa55word").getBytes(StandardCharsets.UTF_8))));
        Api.Response none = api.get(path, null);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(none.status()).isEqualTo(401);
        assertThat(audit.of(path + "/instances")).singleElement().satisfies(d -> {
            assertThat(d.method()).isEqualTo("POST");
            assertThat(d.actor()).isEqualTo(TestUsers.OPERATOR);
            assertThat(d.status()).isEqualTo(401);
            assertThat(d.reason()).doesNotContain("guessed-Pa55word");
        });
        assertThat(audit.of(path)).singleElement().satisfies(d -> {
            assertThat(d.actor()).isNull();
            assertThat(d.status()).isEqualTo(401);
        });
    }

    @Test
    void aCallTheUrlRulesForbidIsRecordedWithTheCaller() {
        Api.Response r = api.post("/events/wms", TestUsers.SHOP, "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/wms\",\"type\":\"t\"}");

        assertThat(r.status()).isEqualTo(403);
        assertThat(audit.of("/events/wms")).singleElement().satisfies(d -> {
            assertThat(d.actor()).isEqualTo(TestUsers.SHOP);
            assertThat(d.status()).isEqualTo(403);
            assertThat(d.reason()).contains("POST /events/wms");
        });
    }

    @Test
    void theServicesRefusalsOfATaskAreRecordedTheFourEyesRuleAndAMissingCandidateRole() {
        // given: no fourEyes in the definition; baton.tasks.four-eyes applies it to every task
        String id = unique("audited");
        assertThat(api.deploy("""
                id: %s
                steps:
                  - id: approve
                    human: {roles: [sales-manager]}
                """.formatted(id)).status()).isEqualTo(201);
        Api.Response started = api.postJson("/api/definitions/" + id + "/instances", TestUsers.OPERATING_MANAGER,
                Map.of("businessKey", "A-1", "variables", Map.of()));
        String instance = started.text("instanceId");
        JsonNode task = await().atMost(Duration.ofSeconds(30)).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .filter(t -> t.get("instanceId").asText().equals(instance)).findFirst().orElse(null), t -> t != null);
        String path = "/api/tasks/" + task.get("id").asText() + "/complete";

        // when
        Api.Response byStarter = api.postJson(path, TestUsers.OPERATING_MANAGER, Map.of("variables", Map.of()));
        Api.Response byClerk = api.postJson(path, TestUsers.CLERK, Map.of("variables", Map.of()));

        // then
        assertThat(byStarter.status()).isEqualTo(403);
        assertThat(byStarter.text("code")).isEqualTo(HubCodes.FOUR_EYES);
        assertThat(byClerk.status()).isEqualTo(403);
        assertThat(audit.of(path)).extracting(Denial::actor, Denial::status)
                .containsExactly(tuple(TestUsers.OPERATING_MANAGER, 403),
                        tuple(TestUsers.CLERK, 403));
        assertThat(audit.of(path).get(0).reason()).contains("four-eyes rule");
        assertThat(audit.of(path).get(1).reason()).contains("sales-manager");
    }
}
