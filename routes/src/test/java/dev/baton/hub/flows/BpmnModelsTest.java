package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * Real BPMN models on the hub: the Camunda 7 job-announcement publication model, byte for byte as the
 * Camunda examples ship it, deployed as {@code application/xml}, its service tasks (Camunda expressions on
 * a Spring bean there) bound by configuration to Camel routes here; run with the variables its conditions
 * read. And the way back: any definition, YAML ones included, comes out as BPMN with its diagram, and
 * what comes out deploys again.
 */
class BpmnModelsTest extends HubTestBase {

    private static final Path MODELS = Path.of("../workflow-model/src/test/resources/conformance/bpmn-real");

    @DynamicPropertySource
    static void bindings(DynamicPropertyRegistry registry) throws IOException {
        // each route answers what it posted; the model's tasks are bound to them by their Camunda expression
        Path routes = Files.createTempDirectory("baton-bpmn-routes-");
        StringBuilder yaml = new StringBuilder();
        for (String channel : List.of("website", "twitter", "facebook")) {
            yaml.append("""
                    - route:
                        id: post-%1$s
                        from:
                          uri: direct:post-%1$s
                          steps:
                            - setBody:
                                constant: '{"posted": "%1$s"}'
                    """.formatted(channel));
            String method = "postTo" + Character.toUpperCase(channel.charAt(0)) + channel.substring(1);
            registry.add("baton.bpmn.bindings[#{jobAnnouncementService." + method + "(jobAnnouncementId)}]",
                    () -> "route.post-" + channel);
        }
        yaml.append("""
                - route:
                    id: notify-postings
                    from:
                      uri: direct:notify-postings
                      steps:
                        - setBody:
                            constant: '{"notified": true}'
                """);
        registry.add("baton.bpmn.bindings[#{jobAnnouncementService.notifyAboutPostings(jobAnnouncementId)}]",
                () -> "route.notify-postings");
        // the job-announcement model assigns its reviews through a Spring bean: here, variables say who
        registry.add("baton.bpmn.expressions[#{jobAnnouncementService.findRequester(jobAnnouncementId)}]",
                () -> "requester");
        registry.add("baton.bpmn.expressions[#{jobAnnouncementService.findEditor(jobAnnouncementId)}]",
                () -> "editor");
        // Zeebe's pr-created model: its two job types bound to routes, its unassigned user tasks offered to engineering
        for (String job : List.of("deploySnapshot", "remindReviewer")) {
            yaml.append("""
                    - route:
                        id: %1$s
                        from:
                          uri: direct:%1$s
                          steps:
                            - setBody:
                                constant: '{"%1$sDone": true}'
                    """.formatted(job));
            registry.add("baton.bpmn.bindings[" + job + "]", () -> "route." + job);
        }
        registry.add("baton.bpmn.default-roles", () -> "engineering");
        Files.writeString(routes.resolve("postings.camel.yaml"), yaml.toString());
        registry.add("baton.routes-dir", routes::toString);
    }

    @Test
    void theCamundaJobAnnouncementCallsThePublicationModelAndAssignsItsReviews() throws IOException {
        // given: the pair as Camunda's examples ship them; the caller first, although it calls the other
        Api.Response caller = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml",
                Files.readAllBytes(MODELS.resolve("camunda7-job-announcement.bpmn")));
        assertThat(caller.status()).as(caller.body()).isEqualTo(201);
        Api.Response called = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml",
                Files.readAllBytes(MODELS.resolve("camunda7-job-announcement-publication.bpmn")));
        assertThat(called.status()).as(called.body()).isIn(200, 201); // the other test may have deployed it
        String id = caller.text("id");

        // when: max asked for the position, eve describes it
        String job = api.start(id, "JA-9", Map.of("jobAnnouncementId", 9, "requester", TestUsers.SUPPORT_MANAGER,
                "editor", TestUsers.ENGINEER, "twitter", true, "facebook", false));
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, job, "edit"), Map.of());

        // then: the review is assigned to the requester (the 'Management' lane's manager), not offered to eve
        JsonNode review = onlyTask(TestUsers.SUPPORT_MANAGER, job, "review");
        assertThat(review.path("assignee").asText()).isEqualTo(TestUsers.SUPPORT_MANAGER);
        assertThat(tasksOf(TestUsers.ENGINEER, job)).isEmpty();
        Api.Response refused = api.postJson("/api/tasks/" + review.path("id").asText() + "/complete",
                TestUsers.ENGINEER, Map.of("variables", Map.of("approved", true)));
        assertThat(refused.status()).isEqualTo(403);

        // when: max sends it back once, eve corrects it, max approves, eve publishes
        complete(TestUsers.SUPPORT_MANAGER, review, Map.of("approved", false));
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, job, "correct"), Map.of());
        complete(TestUsers.SUPPORT_MANAGER, onlyTask(TestUsers.SUPPORT_MANAGER, job, "review"), Map.of("approved", true));
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, job, "publish"), Map.of());

        // then: the call activity runs the publication model as a child instance, then the mail goes out
        awaitStatus(job, "COMPLETED");
        assertThat(executed(job)).containsExactly("edit", "review", "correct", "review", "publish", "publication",
                "mail");
        JsonNode instance = api.instance(job);
        List<JsonNode> children = Api.toList(instance.path("calledInstances"));
        assertThat(children).hasSize(1);
        assertThat(children.get(0).path("step").asText()).isEqualTo("publication");
        assertThat(children.get(0).path("status").asText()).isEqualTo("COMPLETED");
        JsonNode child = api.instance(children.get(0).path("id").asText());
        assertThat(child.path("definitionId").asText()).isEqualTo("camunda-testing-job-announcement-publication");
        assertThat(executed(child.path("id").asText())).containsExactly("publish_announcement_website",
                "publish_announcement_twitter");
        // camunda:in hands over three variables, no more; without camunda:out nothing comes back
        assertThat(fieldNames(child.path("variables"))).containsOnly("jobAnnouncementId", "facebook", "twitter");
        assertThat(instance.path("variables").path("approved").asBoolean()).isTrue();
        assertThat(child.path("calledBy").path("instanceId").asText()).isEqualTo(job);
        assertThat(child.path("businessKey").asText()).isEqualTo("JA-9");
        assertThat(child.path("traceId").asText()).isEqualTo(instance.path("traceId").asText());

        // and the lanes come back out as metadata
        String bpmn = api.get("/api/definitions/" + id + "?format=bpmn", TestUsers.OPERATOR).body();
        assertThat(bpmn).contains("name=\"Automated\"", "name=\"Management\"", "name=\"HR\"");
    }

    @Test
    void zeebesPrCreatedStartsOnItsMessageCallsTheTestsAndLoopsUntilTheReviewApproves() throws IOException {
        // given: the process its call activity calls, and the model as the Zeebe example ships it; a copy whose
        // one-day reminder timer fires after 2 seconds, started by a message of its own
        deployed("""
                id: automatedTestsProcess
                steps:
                  - {id: run-tests, task: {set: {testsPassed: "true"}}}
                """);
        byte[] model = Files.readAllBytes(MODELS.resolve("zeebe-pr-created.bpmn"));
        byte[] fast = new String(model, java.nio.charset.StandardCharsets.UTF_8).replace("P1D", "PT2S")
                .replace("\"prCreatedProcess\"", "\"prCreatedProcessFast\"")
                .replace("name=\"prCreated\"", "name=\"prCreatedFast\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte[] m : List.of(model, fast)) {
            Api.Response deployed = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml", m);
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        }

        // when: a PR is created (the message start), reviewed, rejected, changed, reviewed again and approved
        assertThat(sendEvent("pr-1", "prCreated", "PR-1", Map.of("prId", "PR-1")).status()).isIn(200, 201, 202);
        String pr = instanceOf("prCreatedProcess", "PR-1");
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, pr, "requestReview"), Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING".equals(api.status(pr)));
        sendEvent("review-1", "reviewReceived", "PR-1", Map.of("reviewResult", "rejected"));
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, pr, "makeChanges"), Map.of());
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, pr, "requestReview"), Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING".equals(api.status(pr)));
        sendEvent("review-2", "reviewReceived", "PR-1", Map.of("reviewResult", "approved"));
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, pr, "mergeCode"), Map.of());

        // then: the tests ran as a child instance beside the review; merge and deploy waited for both
        awaitStatus(pr, "COMPLETED");
        List<String> steps = executed(pr);
        assertThat(steps).containsSubsequence("requestReview", "reviewReceived", "makeChanges", "requestReview",
                "reviewReceived", "mergeCode", "deploySnapshot");
        assertThat(steps).contains("triggerTests").doesNotContain("remindReviewer");
        assertThat(steps.indexOf("triggerTests")).isLessThan(steps.indexOf("mergeCode"));
        JsonNode instance = api.instance(pr);
        List<JsonNode> children = Api.toList(instance.path("calledInstances"));
        assertThat(children).singleElement().satisfies(c -> {
            assertThat(c.path("definitionId").asText()).isEqualTo("automatedTestsProcess");
            assertThat(c.path("status").asText()).isEqualTo("COMPLETED");
        });
        // propagateAllChildVariables="false": the tests' variables stay in the child
        assertThat(instance.path("variables").has("testsPassed")).isFalse();
        assertThat(instance.path("variables").path("reviewResult").asText()).isEqualTo("approved");

        // when: nobody reviews the other PR before its (2-second) reminder fires
        sendEvent("pr-2", "prCreatedFast", "PR-2", Map.of("prId", "PR-2"));
        String slow = instanceOf("prCreatedProcessFast", "PR-2");
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, slow, "requestReview"), Map.of());

        // then: the timer takes its path, the reviewer is reminded, and the gateway waits again
        await().atMost(Duration.ofSeconds(30)).until(() -> executed(slow).contains("remindReviewer"));
        sendEvent("review-3", "reviewReceived", "PR-2", Map.of("reviewResult", "approved"));
        complete(TestUsers.ENGINEER, onlyTask(TestUsers.ENGINEER, slow, "mergeCode"), Map.of());
        awaitStatus(slow, "COMPLETED");
        assertThat(executed(slow)).containsSubsequence("requestReview", "remindReviewerTimer", "remindReviewer",
                "reviewReceived", "mergeCode", "deploySnapshot");
    }

    private String instanceOf(String definition, String businessKey) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> Api.toList(api.get("/api/instances?definition="
                + definition + "&businessKey=" + businessKey, TestUsers.OPERATOR).json().path("instances")),
                l -> l.size() == 1).get(0).path("id").asText();
    }

    private Api.Response sendEvent(String eventId, String type, String subject, Map<String, Object> data) {
        Api.Response r = api.event("github", eventId, type, subject, data);
        assertThat(r.status()).as(r.body()).isLessThan(300);
        return r;
    }

    private JsonNode onlyTask(String user, String instance, String step) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> tasksOf(user, instance),
                t -> t.size() == 1 && step.equals(t.get(0).path("step").asText())).get(0);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theCamundaPublicationModelRunsWithItsTasksBoundToRoutes() throws IOException {
        // given
        byte[] model = Files.readAllBytes(MODELS.resolve("camunda7-job-announcement-publication.bpmn"));

        // when
        Api.Response deployed = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml", model);

        // then
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        String id = deployed.text("id");
        assertThat(id).isEqualTo("camunda-testing-job-announcement-publication");
        assertThat(api.get("/api/definitions/" + id, TestUsers.OPERATOR).json().path("format").asText())
                .isEqualTo("bpmn");

        // when: announced on Twitter only, then on Facebook only
        String twitterOnly = api.start(id, "JA-1", Map.of("jobAnnouncementId", 1, "twitter", true, "facebook", false));
        String facebookOnly = api.start(id, "JA-2", Map.of("jobAnnouncementId", 2, "twitter", false, "facebook", true));

        // then: the website first, then the chosen channel, each once; the other channel never
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.status(twitterOnly))
                && "COMPLETED".equals(api.status(facebookOnly)));
        assertThat(executed(twitterOnly)).containsExactly("publish_announcement_website",
                "publish_announcement_twitter");
        assertThat(executed(facebookOnly)).containsExactly("publish_announcement_website",
                "publish_announcement_facebook");
        assertThat(api.instance(facebookOnly).path("variables").path("facebook").asBoolean()).isTrue();
    }

    @Test
    void flowablesFixSystemFailureRunsItsSubProcessAndItsTimerBoundaryTakesItsPath() throws IOException {
        // given: Flowable's model as it ships (a sub-process of two engineering tasks in parallel, a 4-hour
        // timer on it), and the same model with the timer at 2 seconds under another id
        byte[] model = Files.readAllBytes(MODELS.resolve("flowable-fix-system-failure.bpmn20.xml"));
        byte[] fast = new String(model, java.nio.charset.StandardCharsets.UTF_8).replace("PT4H", "PT2S")
                .replace("\"fixSystemFailure\"", "\"fixSystemFailureFast\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Api.Response deployed = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml", model);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        assertThat(api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml", fast).status())
                .isEqualTo(201);

        // when: the engineers finish in time
        String inTime = api.start("fixSystemFailure", "INC-1", Map.of());

        // then: both investigations are offered to engineering (not to management), then the report
        List<JsonNode> investigations = await().atMost(Duration.ofSeconds(20))
                .until(() -> tasksOf(TestUsers.ENGINEER, inTime), t -> t.size() == 2);
        assertThat(investigations).extracting(t -> t.path("step").asText())
                .containsExactlyInAnyOrder("task1", "task2");
        assertThat(tasksOf(TestUsers.SUPPORT_MANAGER, inTime)).isEmpty();
        investigations.forEach(t -> complete(TestUsers.ENGINEER, t));
        JsonNode report = await().atMost(Duration.ofSeconds(20))
                .until(() -> tasksOf(TestUsers.ENGINEER, inTime), t -> t.size() == 1).get(0);
        assertThat(report.path("step").asText()).isEqualTo("taskAfterSubProcess");
        complete(TestUsers.ENGINEER, report);
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(api.status(inTime)));
        assertThat(executed(inTime)).containsExactlyInAnyOrder("task1", "task2", "taskAfterSubProcess");
        assertThat(Api.toList(api.instance(inTime).path("handoffs"))).extracting(h -> h.path("step").asText())
                .contains("subProcess"); // entering the sub-process is a hand-off of its own

        // when: nobody investigates before the (2-second) timer fires
        String late = api.start("fixSystemFailureFast", "INC-2", Map.of());

        // then: the timer cancels both investigations and hands over to management
        JsonNode handOver = await().atMost(Duration.ofSeconds(30))
                .until(() -> tasksOf(TestUsers.SUPPORT_MANAGER, late), t -> t.size() == 1).get(0);
        assertThat(handOver.path("step").asText()).isEqualTo("taskAfterTimer");
        assertThat(tasksOf(TestUsers.ENGINEER, late)).isEmpty();
        complete(TestUsers.SUPPORT_MANAGER, handOver);
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(api.status(late)));
        assertThat(executed(late)).containsExactly("taskAfterTimer");
        assertThat(executed(inTime)).doesNotContain("taskAfterTimer");
    }

    private List<JsonNode> tasksOf(String user, String instance) {
        return api.tasks(user).stream().filter(t -> instance.equals(t.path("instanceId").asText())).toList();
    }

    private void complete(String user, JsonNode task) {
        complete(user, task, Map.of());
    }

    private void complete(String user, JsonNode task, Map<String, Object> variables) {
        Api.Response r = api.postJson("/api/tasks/" + task.path("id").asText() + "/complete", user,
                Map.of("variables", variables));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void anyDefinitionComesOutAsBpmnWithItsDiagramAndDeploysAgain() {
        // given: a YAML definition
        String id = unique("yaml-to-bpmn");
        assertThat(api.deploy("""
                id: %s
                steps:
                  - {id: check, task: {set: {large: "amount > 100"}}, next: route}
                  - id: route
                    choice:
                      - {when: "large", next: approve}
                      - otherwise: done
                  - id: approve
                    human: {title: Approve, roles: [sales-manager]}
                    timeout: {after: PT1H, next: done}
                    next: done
                  - {id: done, task: {}}
                """.formatted(id)).status()).isEqualTo(201);

        // when
        Api.Response bpmn = api.get("/api/definitions/" + id + "?format=bpmn", TestUsers.OPERATOR);

        // then: BPMN 2.0 with a shape for every element a modeler draws
        assertThat(bpmn.status()).as(bpmn.body()).isEqualTo(200);
        assertThat(bpmn.body()).contains("http://www.omg.org/spec/BPMN/20100524/MODEL")
                .contains("<bpmn:userTask").contains("<bpmn:exclusiveGateway").contains("<bpmn:boundaryEvent")
                .contains("BPMNShape").contains("BPMNEdge");

        // and it deploys again, as the next version of the same definition, and runs the same way
        Api.Response again = api.postBytes("/api/definitions", TestUsers.DEVELOPER, "application/xml",
                bpmn.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.text("id")).isEqualTo(id);
        assertThat(again.json().path("version").asInt()).isEqualTo(2);
        String small = api.start(id, "S-1", Map.of("amount", 5));
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(api.status(small)));
        assertThat(executed(small)).containsExactly("check", "done");
        assertThat(api.instance(small).path("version").asInt()).isEqualTo(2);

        // an unknown format is refused
        assertThat(api.get("/api/definitions/" + id + "?format=svg", TestUsers.OPERATOR).status()).isEqualTo(400);
    }

    private List<String> executed(String instance) {
        return Api.toList(api.instance(instance).path("handoffs")).stream()
                .filter(h -> "COMPLETED".equals(h.path("status").asText()))
                .map(h -> h.path("step").asText()).toList();
    }
}
