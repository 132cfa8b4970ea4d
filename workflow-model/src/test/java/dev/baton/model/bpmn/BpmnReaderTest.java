package dev.baton.model.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.baton.model.definition.CallStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.EventTrigger;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.StepInfo;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TaskStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.parser.DefinitionReader.Reading;
import dev.baton.model.validation.ConnectorCatalog;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;
import dev.baton.model.validation.ValidationMessages;

class BpmnReaderTest {

    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
            + " xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\""
            + " xmlns:flowable=\"http://flowable.org/bpmn\" xmlns:baton=\"https://baton.dev/bpmn\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" id=\"defs\" targetNamespace=\"t\">\n";

    private final BpmnReader reader = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE);

    /** A document whose first body line is line 3. */
    private static byte[] bpmn(String body) {
        return (HEADER + body + "</definitions>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static StepInfo info(String id, String name, String next, int line) {
        return new StepInfo(id, name, next, null, null, 0, line);
    }

    @Test
    void shouldImportTheCamundaPublicationModelWithItsTasksBound() throws IOException {
        // given
        BpmnReader bound = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE,
                BpmnConformanceTest.BINDINGS);

        // when
        Reading reading = bound.read(BpmnConformanceTest.resource("bpmn-real/camunda7-job-announcement-publication.bpmn"));

        // then: merging exclusive gateways vanish, "x" / "!x" pairs get their default, tasks get all variables
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        assertThat(d.id()).isEqualTo("camunda-testing-job-announcement-publication");
        assertThat(d.name()).isEqualTo("Job Announcement Publication (Subprocess)");
        assertThat(d.start()).isEqualTo("publish_announcement_website");
        assertThat(d.triggers()).isEmpty();
        assertThat(d.steps()).containsExactly(
                new CallStep(info("publish_announcement_website", "Publish announcement on website", "Gateway_0z7rp9m", 9),
                        "test.postToWebsite", Map.of(), Expression.jsonata("$"), Map.of()),
                new ParallelStep(info("Gateway_0z7rp9m", "Gateway_0z7rp9m", null, 13),
                        List.of("Gateway_0c0k10n", "Gateway_1bdrrsh")),
                new ChoiceStep(info("Gateway_0c0k10n", "Chose Twitter?", null, 18),
                        List.of(new ChoiceStep.Branch(Expression.jsonata("twitter"), "publish_announcement_twitter")),
                        "Gateway_1loiva2"),
                new CallStep(info("publish_announcement_twitter", "Publish announcement on Twitter", "Gateway_1loiva2", 23),
                        "test.postToTwitter", Map.of(), Expression.jsonata("$"), Map.of()),
                new JoinStep(info("Gateway_1loiva2", "Gateway_1loiva2", "Event_087qk1c", 32)),
                new CallStep(info("publish_announcement_facebook", "Publish announcement on Facebook", "Gateway_1loiva2", 42),
                        "test.postToFacebook", Map.of(), Expression.jsonata("$"), Map.of()),
                new ChoiceStep(info("Gateway_1bdrrsh", "Chose Facebook?", null, 46),
                        List.of(new ChoiceStep.Branch(Expression.jsonata("$not(facebook)"), "Gateway_1loiva2")),
                        "publish_announcement_facebook"),
                new EndStep(info("Event_087qk1c", "Event_087qk1c", null, 51), false));
    }

    @Test
    void shouldImportTheFlowableFixSystemFailureModelWithItsSubProcessAndTimer() throws IOException {
        // when
        Reading reading = reader.read(BpmnConformanceTest.resource("bpmn-real/flowable-fix-system-failure.bpmn20.xml"));

        // then: the sub-process's none start and end events vanish, its interrupting 4h timer is its timeout
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        assertThat(d.start()).isEqualTo("subProcess");
        assertThat(d.steps()).containsExactly(
                new SubprocessStep(new StepInfo("subProcess", "subProcess", "taskAfterSubProcess", null,
                        new StepTimeout(Duration.ofHours(4), "taskAfterTimer", true), 0, 13), "subProcessFork", List.of(
                        new ParallelStep(info("subProcessFork", "subProcessFork", null, 18), List.of("task1", "task2")),
                        new HumanTaskStep(info("task1", "Investigate hardware", "subProcessJoin", 22), null,
                                List.of("engineering"), null),
                        new HumanTaskStep(info("task2", "Investigate software", "subProcessJoin", 25), null,
                                List.of("engineering"), null),
                        new JoinStep(info("subProcessJoin", "subProcessJoin", "subProcessEnd", 28)),
                        new EndStep(info("subProcessEnd", "subProcessEnd", null, 30), false))),
                new HumanTaskStep(info("taskAfterTimer", "Hand over to Level 2 support", "theEnd1", 41), null,
                        List.of("management"), null),
                new EndStep(info("theEnd1", "theEnd1", null, 43), false),
                new HumanTaskStep(info("taskAfterSubProcess", "Write report", "theEnd", 46), null,
                        List.of("engineering"), null),
                new EndStep(info("theEnd", "theEnd", null, 48), false));
    }

    @Test
    void shouldMapErrorBoundariesErrorEndsRacesAndNestedSubProcesses() {
        // given: codes from bpmn:error's errorCode, else (thrown) its id; no errorRef catches everything
        byte[] doc = bpmn("""
                <error id="E1" errorCode="NOT_FIXABLE"/>
                <error id="E2" name="No code"/>
                <message id="m" name="review.received"/>
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="fix"/>
                  <subProcess id="fix" name="Fix">
                    <subProcess id="inner">
                      <serviceTask id="diagnose"><extensionElements><baton:call operation="http.post"/></extensionElements></serviceTask>
                      <boundaryEvent id="failed" attachedToRef="diagnose"><errorEventDefinition errorRef="E1"/></boundaryEvent>
                      <sequenceFlow id="f2" sourceRef="failed" targetRef="giveUp"/>
                      <endEvent id="giveUp"><errorEventDefinition errorRef="E1"/></endEvent>
                    </subProcess>
                    <sequenceFlow id="f3" sourceRef="inner" targetRef="giveUp2"/>
                    <endEvent id="giveUp2"><errorEventDefinition errorRef="E2"/></endEvent>
                  </subProcess>
                  <boundaryEvent id="notFixable" attachedToRef="fix"><errorEventDefinition errorRef="E1"/></boundaryEvent>
                  <boundaryEvent id="anyError" attachedToRef="fix"><errorEventDefinition/></boundaryEvent>
                  <boundaryEvent id="slow" attachedToRef="fix" cancelActivity="false">
                    <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
                  </boundaryEvent>
                  <sequenceFlow id="f4" sourceRef="notFixable" targetRef="race"/>
                  <sequenceFlow id="f5" sourceRef="anyError" targetRef="race"/>
                  <sequenceFlow id="f6" sourceRef="slow" targetRef="race"/>
                  <sequenceFlow id="f7" sourceRef="fix" targetRef="race"/>
                  <eventBasedGateway id="race"/>
                  <sequenceFlow id="f8" sourceRef="race" targetRef="reviewed"/>
                  <sequenceFlow id="f9" sourceRef="race" targetRef="late"/>
                  <intermediateCatchEvent id="reviewed"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
                  <intermediateCatchEvent id="late"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></intermediateCatchEvent>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        SubprocessStep fix = (SubprocessStep) d.steps().get(0);
        assertThat(fix.info().catches()).containsExactly(new ErrorCatch("NOT_FIXABLE", "race"), new ErrorCatch(null, "race"));
        assertThat(fix.info().timeout()).isEqualTo(new StepTimeout(Duration.ofHours(1), "race", false));
        assertThat(fix.start()).isEqualTo("inner");
        SubprocessStep inner = (SubprocessStep) fix.steps().get(0);
        assertThat(inner.start()).isEqualTo("diagnose");
        assertThat(inner.steps()).extracting(s -> s.id()).containsExactly("diagnose", "giveUp");
        assertThat(inner.steps().get(0).info().catches()).containsExactly(new ErrorCatch("NOT_FIXABLE", "giveUp"));
        assertThat(d.step("giveUp")).contains(new EndStep(info("giveUp", "giveUp", null, 14), false, "NOT_FIXABLE"));
        assertThat(d.step("giveUp2")).contains(new EndStep(info("giveUp2", "giveUp2", null, 17), false, "E2"));
        assertThat(d.step("race")).contains(new RaceStep(info("race", "race", null, 28), List.of("reviewed", "late")));
    }

    @Test
    void shouldReportWhatSubProcessesErrorsAndRacesStillLack() {
        // given
        byte[] doc = bpmn("""
                <message id="m" name="x"/>
                <signal id="sig" name="y"/>
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="u"/>
                  <userTask id="u" camunda:candidateGroups="g"/>
                  <boundaryEvent id="uErr" attachedToRef="u"><errorEventDefinition/></boundaryEvent>
                  <sequenceFlow id="f2" sourceRef="uErr" targetRef="sub"/>
                  <sequenceFlow id="f3" sourceRef="u" targetRef="sub"/>
                  <subProcess id="sub"><task id="t"/></subProcess>
                  <boundaryEvent id="at" attachedToRef="sub">
                    <timerEventDefinition><timeDate>2026-12-01T09:00:00Z</timeDate></timerEventDefinition>
                  </boundaryEvent>
                  <sequenceFlow id="f4" sourceRef="at" targetRef="g"/>
                  <sequenceFlow id="f5" sourceRef="sub" targetRef="g"/>
                  <eventBasedGateway id="g"/>
                  <sequenceFlow id="f6" sourceRef="g" targetRef="msg"/>
                  <sequenceFlow id="f7" sourceRef="g" targetRef="sg"/>
                  <intermediateCatchEvent id="msg"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
                  <intermediateCatchEvent id="sg"><signalEventDefinition signalRef="sig"/></intermediateCatchEvent>
                  <endEvent id="oops"><errorEventDefinition/></endEvent>
                  <subProcess id="onEvent" triggeredByEvent="true"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).containsExactly(
                new Problem("bpmn boundaryEvent 'uErr'", String.format(BpmnMessages.NOT_EXECUTED, "an error boundary event on"
                        + " a user task (in Baton, errors come from sub-processes and from tasks that do work)"), 9),
                new Problem("bpmn boundaryEvent 'at'", String.format(BpmnMessages.NOT_EXECUTED,
                        "a timer boundary event at a date (timeDate; Baton's deadlines are durations)"), 13),
                new Problem("bpmn eventBasedGateway 'g'", String.format(BpmnMessages.NOT_EXECUTED, "an event-based gateway"
                        + " leading to a signal intermediate catch event 'sg' (Baton races message and timer catch events"
                        + " and receive tasks)"), 18),
                new Problem("bpmn intermediateCatchEvent 'sg'",
                        String.format(BpmnMessages.NOT_EXECUTED, "a signal intermediate catch event"), 22),
                new Problem("bpmn endEvent 'oops'", BpmnMessages.NO_ERROR_REF, 23),
                new Problem("bpmn subProcess 'onEvent'", String.format(BpmnMessages.NOT_EXECUTED, "an event sub-process"), 24));
    }

    @Test
    void shouldReportServiceTasksWithoutBindingByTheirType() throws IOException {
        // when
        Reading reading = reader.read(BpmnConformanceTest.resource("bpmn-real/camunda7-job-announcement-publication.bpmn"));

        // then
        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).extracting(Problem::element, Problem::line).containsExactly(
                tuple("bpmn serviceTask 'publish_announcement_website' (Publish announcement on website)", 9),
                tuple("bpmn serviceTask 'publish_announcement_twitter' (Publish announcement on Twitter)", 23),
                tuple("bpmn serviceTask 'publish_announcement_facebook' (Publish announcement on Facebook)", 42));
        assertThat(reading.problems().get(0).message()).isEqualTo(String.format(BpmnMessages.UNBOUND_TASK,
                "its type '#{jobAnnouncementService.postToWebsite(jobAnnouncementId)}' is not bound"));
    }

    @Test
    void shouldRefuseADoctypeWithoutReadingTheFileItsEntityNames(@TempDir Path dir) throws IOException {
        // given: an entity pointing at a file that exists
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-4711");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE definitions [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n"
                + "  <process id=\"p\" name=\"&xxe;\"><startEvent id=\"s\"/><sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"e\"/>"
                + "<endEvent id=\"e\" name=\"&xxe;\"/></process>\n</definitions>\n";

        // when
        Reading reading = reader.read(xml.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).containsExactly(new Problem("document", BpmnMessages.DOCTYPE_REFUSED, 2));
        assertThat(reading.problems().toString()).doesNotContain("TOP-SECRET");
    }

    @Test
    void shouldFetchNothingAnExternalDtdOrParameterEntityNames() throws IOException {
        // given: a server counting requests, named by an external DTD, a parameter entity and a general entity
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "<!ENTITY x 'PWNED'>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> doctypes = List.of(
                    "<!DOCTYPE definitions SYSTEM \"" + base + "/dtd\">",
                    "<!DOCTYPE definitions [<!ENTITY % p SYSTEM \"" + base + "/p\"> %p;]>",
                    "<!DOCTYPE definitions [<!ENTITY x SYSTEM \"" + base + "/x\">]>");
            for (String doctype : doctypes) {
                String xml = doctype + "\n<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">"
                        + "<process id=\"p\" name=\"&x;\"/></definitions>";

                // when
                Reading reading = reader.read(xml.getBytes(StandardCharsets.UTF_8));

                // then
                assertThat(reading.problems()).extracting(Problem::message).containsExactly(BpmnMessages.DOCTYPE_REFUSED);
            }
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldRefuseTheConformanceXxeProbe() throws IOException {
        Reading reading = reader.read(BpmnConformanceTest.resource("bpmn-negative/flowable-xxe-external-entity.bpmn20.xml"));

        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).containsExactly(new Problem("document", BpmnMessages.DOCTYPE_REFUSED, 2));
    }

    @Test
    void shouldReadIso88591AndDocumentsWithoutDeclaration() throws IOException {
        // given: the same process in ISO-8859-1 with its declaration, and in UTF-8 without one
        String body = "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n"
                + "<process id=\"p\"><startEvent id=\"s\"/><sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"t\"/>"
                + "<task id=\"t\" name=\"Prüfen – größer\"/></process></definitions>";
        byte[] latin1 = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + body.replace(" –", ""))
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] undeclared = body.getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThat(reader.read(latin1).definition().steps()).extracting(s -> s.name()).containsExactly("Prüfen größer");
        assertThat(reader.read(undeclared).definition().steps()).extracting(s -> s.name()).containsExactly("Prüfen – größer");
        assertThat(reader.read(BpmnConformanceTest.resource("bpmn-miwg/A.1.0.bpmn")).definition().steps())
                .extracting(s -> s.name()).containsExactly("Task 1", "Task 2", "Task 3", "End Event");
    }

    @Test
    void shouldMatchNamespacesByUriNotByPrefix() {
        // given: the same process written with three prefixes
        String process = "<%1$sprocess id=\"p\"><%1$sstartEvent id=\"s\"/><%1$ssequenceFlow id=\"f\" sourceRef=\"s\""
                + " targetRef=\"e\"/><%1$sendEvent id=\"e\"/></%1$sprocess>";
        String uri = "http://www.omg.org/spec/BPMN/20100524/MODEL";
        byte[] semantic = ("<semantic:definitions xmlns:semantic=\"" + uri + "\">" + String.format(process, "semantic:")
                + "</semantic:definitions>").getBytes(StandardCharsets.UTF_8);
        byte[] unprefixed = ("<definitions xmlns=\"" + uri + "\">" + String.format(process, "") + "</definitions>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] wrongUri = ("<bpmn:definitions xmlns:bpmn=\"urn:not-bpmn\">" + String.format(process, "bpmn:")
                + "</bpmn:definitions>").getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThat(reader.read(semantic).definition()).isEqualTo(reader.read(unprefixed).definition()).isNotNull();
        assertThat(reader.read(wrongUri).problems()).containsExactly(new Problem("document",
                String.format(BpmnMessages.NOT_BPMN, uri, "{urn:not-bpmn}definitions"), 1));
    }

    @Test
    void shouldReportMalformedXmlWithItsLine() {
        Reading reading = reader.read(bpmn("<process id=\"p\">\n<task id=\"t\">\n</process>\n"));

        assertThat(reading.problems()).singleElement().satisfies(p -> {
            assertThat(p.element()).isEqualTo("document");
            assertThat(p.message()).startsWith("Expected well-formed XML, but line 5, column ");
            assertThat(p.line()).isEqualTo(5);
        });
    }

    @Test
    void shouldMapZeebeMessagesTimersTypesGroupsAndFeelConditions() {
        // given
        BpmnReader zeebe = new BpmnReader(BpmnConformanceTest.ANY_OPERATION, ExpressionChecker.NONE,
                new BpmnBindings(Map.of("deploy", "http.post")));
        byte[] doc = bpmn("""
                <process id="pr" name="PR" isExecutable="true">
                  <startEvent id="created"><messageEventDefinition messageRef="m1"/></startEvent>
                  <sequenceFlow id="f1" sourceRef="created" targetRef="review"/>
                  <userTask id="review" name="Review">
                    <extensionElements><zeebe:assignmentDefinition candidateGroups="dev, qa"/></extensionElements>
                  </userTask>
                  <sequenceFlow id="f2" sourceRef="review" targetRef="reviewed"/>
                  <intermediateCatchEvent id="reviewed"><messageEventDefinition messageRef="m2"/></intermediateCatchEvent>
                  <sequenceFlow id="f3" sourceRef="reviewed" targetRef="ok"/>
                  <exclusiveGateway id="ok"/>
                  <sequenceFlow id="f4" sourceRef="ok" targetRef="deploy">
                    <conditionExpression xsi:type="tFormalExpression">= result = "approved"</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f5" sourceRef="ok" targetRef="wait">
                    <conditionExpression xsi:type="tFormalExpression">= not(result = "approved")</conditionExpression>
                  </sequenceFlow>
                  <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>= PT5M</timeDuration></timerEventDefinition></intermediateCatchEvent>
                  <sequenceFlow id="f6" sourceRef="wait" targetRef="review"/>
                  <serviceTask id="deploy" name="Deploy">
                    <extensionElements>
                      <zeebe:taskDefinition type="deploy"/>
                      <zeebe:taskHeaders><zeebe:header key="env" value="staging"/></zeebe:taskHeaders>
                    </extensionElements>
                  </serviceTask>
                  <sequenceFlow id="f7" sourceRef="deploy" targetRef="end"/>
                  <endEvent id="end"><terminateEventDefinition/></endEvent>
                </process>
                <message id="m1" name="prCreated"/>
                <message id="m2" name="reviewReceived">
                  <extensionElements><zeebe:subscription correlationKey="= pr.id"/></extensionElements>
                </message>
                """);

        // when
        Reading reading = zeebe.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        // the message's data becomes the variables, as in Zeebe (where the message's variables are the instance's)
        assertThat(d.triggers()).containsExactly(new EventTrigger("prCreated", null, null, null,
                Expression.jsonata("data")));
        assertThat(d.start()).isEqualTo("review");
        assertThat(d.steps()).containsExactly(
                new HumanTaskStep(info("review", "Review", "reviewed", 6), null, List.of("dev", "qa"), null, false),
                new WaitStep(info("reviewed", "reviewed", "ok", 10), "reviewReceived", Expression.jsonata("pr.id"), null, null),
                new ChoiceStep(info("ok", "ok", null, 12), List.of(new ChoiceStep.Branch(
                        Expression.jsonata("result = \"approved\""), "deploy")), "wait"),
                new TimerStep(info("wait", "wait", "review", 19), Duration.ofMinutes(5), null),
                new CallStep(info("deploy", "Deploy", "end", 21), "http.post", Map.of("env", "staging"),
                        Expression.jsonata("$"), Map.of()),
                new EndStep(info("end", "end", null, 28), true));
    }

    @Test
    void shouldMapMessageBoundaryEventsOnTasksAndSubProcessesWithTheirKeys() {
        // given: a Zeebe-style model; the cancellation interrupts the review, a comment does not, the sub-process
        // is interrupted by a withdrawal keyed by baton:key
        byte[] doc = bpmn("""
                <process id="pr" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
                  <userTask id="review" camunda:candidateGroups="dev"/>
                  <boundaryEvent id="cancelled" attachedToRef="review">
                    <messageEventDefinition messageRef="m1"/>
                  </boundaryEvent>
                  <boundaryEvent id="commented" attachedToRef="review" cancelActivity="false">
                    <messageEventDefinition messageRef="m2"/>
                  </boundaryEvent>
                  <sequenceFlow id="f2" sourceRef="cancelled" targetRef="stop"/>
                  <sequenceFlow id="f3" sourceRef="commented" targetRef="notify"/>
                  <sequenceFlow id="f4" sourceRef="review" targetRef="merge"/>
                  <task id="notify"/>
                  <endEvent id="stop"><terminateEventDefinition/></endEvent>
                  <subProcess id="merge">
                    <task id="inside"/>
                  </subProcess>
                  <boundaryEvent id="withdrawn" attachedToRef="merge">
                    <extensionElements><baton:key>pr.repo &amp; "/" &amp; pr.id</baton:key></extensionElements>
                    <messageEventDefinition messageRef="m3"/>
                  </boundaryEvent>
                  <sequenceFlow id="f5" sourceRef="withdrawn" targetRef="stop"/>
                </process>
                <message id="m1" name="prCancelled">
                  <extensionElements><zeebe:subscription correlationKey="= pr.id"/></extensionElements>
                </message>
                <message id="m2" name="prCommented"/>
                <message id="m3" name="prWithdrawn"/>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        assertThat(d.step("review").orElseThrow().info().messages()).containsExactly(
                new MessageCatch("prCancelled", Expression.jsonata("pr.id"), "stop", true),
                new MessageCatch("prCommented", null, "notify", false));
        assertThat(d.step("merge").orElseThrow().info().messages()).containsExactly(
                new MessageCatch("prWithdrawn", Expression.jsonata("pr.repo & \"/\" & pr.id"), "stop", true));
        assertThat(d.step("notify").orElseThrow().info().messages()).isEmpty();
    }

    @Test
    void shouldReadTheChannelsOfReceiveTasksCatchEventsAndMessageBoundariesFromBatonSource() {
        // given: a model edited by hand: blanks around and between the names, one catch event without baton:source
        byte[] doc = bpmn("""
                <process id="pr" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="shipped"/>
                  <receiveTask id="shipped" messageRef="m1" baton:source=" wms  wms-eu "/>
                  <boundaryEvent id="cancelled" attachedToRef="shipped" baton:source="shop">
                    <messageEventDefinition messageRef="m2"/>
                  </boundaryEvent>
                  <sequenceFlow id="f2" sourceRef="cancelled" targetRef="stop"/>
                  <sequenceFlow id="f3" sourceRef="shipped" targetRef="paid"/>
                  <intermediateCatchEvent id="paid"><messageEventDefinition messageRef="m3"/></intermediateCatchEvent>
                  <sequenceFlow id="f4" sourceRef="paid" targetRef="stop"/>
                  <endEvent id="stop"/>
                </process>
                <message id="m1" name="shipped"/>
                <message id="m2" name="cancelled"/>
                <message id="m3" name="paid"/>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        WaitStep shipped = (WaitStep) d.step("shipped").orElseThrow();
        assertThat(shipped.sources()).containsExactly("wms", "wms-eu");
        assertThat(shipped.info().messages()).containsExactly(
                new MessageCatch("cancelled", null, "stop", true, List.of("shop")));
        assertThat(((WaitStep) d.step("paid").orElseThrow()).sources()).isEmpty();
    }

    @Test
    void shouldReportMessageBoundaryEventsWithoutMessageOrPath() {
        // given
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
                  <userTask id="t" camunda:candidateGroups="g"/>
                  <boundaryEvent id="nameless" attachedToRef="t"><messageEventDefinition/></boundaryEvent>
                  <sequenceFlow id="f2" sourceRef="nameless" targetRef="t"/>
                  <boundaryEvent id="nowhere" attachedToRef="t"><messageEventDefinition messageRef="m"/></boundaryEvent>
                </process>
                <message id="m" name="x"/>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.definition()).isNull();
        assertThat(reading.problems()).containsExactly(
                new Problem("bpmn boundaryEvent 'nameless'", String.format(BpmnMessages.NO_MESSAGE, "it names none"), 7),
                new Problem("bpmn boundaryEvent 'nowhere'", BpmnMessages.NO_OUTGOING_FLOW, 9));
    }

    @Test
    void shouldTakeAZeebeCorrelationKeyWithoutEqualsSignAsAFixedKey() {
        // given
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="w"/>
                  <receiveTask id="w" messageRef="m"/>
                </process>
                <message id="m" name="go">
                  <extensionElements><zeebe:subscription correlationKey="order-&quot;42&quot;"/></extensionElements>
                </message>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(((WaitStep) reading.definition().steps().get(0)).key())
                .isEqualTo(Expression.jsonata("'order-\"42\"'"));
    }

    @Test
    void shouldMapCamundaAndFlowableTasksTimersAndBoundaryTimeouts() {
        // given
        byte[] doc = bpmn("""
                <process id="c7" isExecutable="true">
                  <startEvent id="nightly"><timerEventDefinition><timeCycle>0 0 2 * * ?</timeCycle></timerEventDefinition></startEvent>
                  <startEvent id="byHand"/>
                  <sequenceFlow id="f1" sourceRef="nightly" targetRef="approve"/>
                  <sequenceFlow id="f2" sourceRef="byHand" targetRef="approve"/>
                  <userTask id="approve" camunda:candidateGroups="managers,directors" baton:due="PT8H" baton:fourEyes="true"/>
                  <boundaryEvent id="late" attachedToRef="approve">
                    <timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition>
                  </boundaryEvent>
                  <sequenceFlow id="f3" sourceRef="late" targetRef="escalate"/>
                  <userTask id="escalate" flowable:candidateGroups="directors">
                    <potentialOwner><resourceAssignmentExpression><formalExpression>group(board), owners</formalExpression></resourceAssignmentExpression></potentialOwner>
                  </userTask>
                  <sequenceFlow id="f4" sourceRef="approve" targetRef="pay"/>
                  <receiveTask id="pay" messageRef="paid">
                    <extensionElements><baton:wait into="payment"><baton:eventKey>data.orderId</baton:eventKey></baton:wait></extensionElements>
                  </receiveTask>
                  <boundaryEvent id="remind" attachedToRef="pay" cancelActivity="false">
                    <timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition>
                  </boundaryEvent>
                  <sequenceFlow id="f5" sourceRef="remind" targetRef="nudge"/>
                  <manualTask id="nudge"/>
                  <sequenceFlow id="f6" sourceRef="pay" targetRef="until"/>
                  <sequenceFlow id="f7" sourceRef="escalate" targetRef="until"/>
                  <intermediateCatchEvent id="until"><timerEventDefinition><timeDate>2026-12-01T09:00:00+01:00</timeDate></timerEventDefinition></intermediateCatchEvent>
                  <sequenceFlow id="f8" sourceRef="until" targetRef="calc"/>
                  <scriptTask id="calc" scriptFormat="jsonata" camunda:resultVariable="total"><script>price * quantity</script></scriptTask>
                </process>
                <message id="paid" name="payment.received"/>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        ProcessDefinition d = reading.definition();
        assertThat(d.triggers()).containsExactly(new CronTrigger("0 0 2 * * ?"));
        assertThat(d.start()).isEqualTo("approve");
        assertThat(d.steps()).containsExactly(
                new HumanTaskStep(new StepInfo("approve", "approve", "pay", null,
                        new StepTimeout(Duration.ofHours(4), "escalate", true), 0, 8),
                        null, List.of("managers", "directors"), Duration.ofHours(8), true),
                new HumanTaskStep(info("escalate", "escalate", "until", 13), null, List.of("directors", "board", "owners"),
                        null, false),
                new WaitStep(new StepInfo("pay", "pay", "until", null, new StepTimeout(Duration.ofDays(1), "nudge", false),
                        0, 17), "payment.received", null, Expression.jsonata("data.orderId"), "payment"),
                new TaskStep(info("nudge", "nudge", null, 24), Map.of()),
                new TimerStep(info("until", "until", "calc", 27), null, Instant.parse("2026-12-01T08:00:00Z")),
                new TaskStep(info("calc", "calc", null, 29), Map.of("total", Expression.jsonata("price * quantity"))));
    }

    @Test
    void shouldMapTimerStartEventsAtADateAfterADurationAndRepeatingByIsoInterval() {
        // given: the forms Camunda 7 and Zeebe document for timer start events, one a FEEL string literal
        byte[] doc = bpmn("""
                <process id="timers" isExecutable="true">
                  <startEvent id="at"><timerEventDefinition><timeDate>2026-12-01T09:00:00+01:00</timeDate></timerEventDefinition></startEvent>
                  <startEvent id="atUtc"><timerEventDefinition><timeDate>2026-12-01T08:00:00</timeDate></timerEventDefinition></startEvent>
                  <startEvent id="hourly"><timerEventDefinition><timeCycle>R/PT1H</timeCycle></timerEventDefinition></startEvent>
                  <startEvent id="thrice"><timerEventDefinition><timeCycle>R3/PT10H</timeCycle></timerEventDefinition></startEvent>
                  <startEvent id="daily"><timerEventDefinition><timeCycle>R/2026-12-01T08:00:00Z/P1D</timeCycle></timerEventDefinition></startEvent>
                  <startEvent id="after"><timerEventDefinition><timeDuration>PT10M</timeDuration></timerEventDefinition></startEvent>
                  <startEvent id="feel"><timerEventDefinition><timeCycle>= "R2/PT5M"</timeCycle></timerEventDefinition></startEvent>
                  <sequenceFlow id="f1" sourceRef="at" targetRef="a"/>
                  <sequenceFlow id="f2" sourceRef="atUtc" targetRef="a"/>
                  <sequenceFlow id="f3" sourceRef="hourly" targetRef="a"/>
                  <sequenceFlow id="f4" sourceRef="thrice" targetRef="a"/>
                  <sequenceFlow id="f5" sourceRef="daily" targetRef="a"/>
                  <sequenceFlow id="f6" sourceRef="after" targetRef="a"/>
                  <sequenceFlow id="f7" sourceRef="feel" targetRef="a"/>
                  <task id="a"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        Instant eight = Instant.parse("2026-12-01T08:00:00Z");
        assertThat(reading.definition().triggers()).containsExactly(
                TimerTrigger.once(eight), TimerTrigger.once(eight),
                TimerTrigger.repeating(Duration.ofHours(1), null, null),
                TimerTrigger.repeating(Duration.ofHours(10), 3, null),
                TimerTrigger.repeating(Duration.ofDays(1), null, eight),
                TimerTrigger.repeating(Duration.ofMinutes(10), 1, null),
                TimerTrigger.repeating(Duration.ofMinutes(5), 2, null));
    }

    @Test
    void shouldReportTimerStartEventsWhoseTimeCannotBeRead() {
        // given
        byte[] doc = bpmn("""
                <process id="timers" isExecutable="true">
                  <startEvent id="monthly"><timerEventDefinition><timeCycle>R/P1M</timeCycle></timerEventDefinition></startEvent>
                  <startEvent id="soon"><timerEventDefinition><timeDate>soon</timeDate></timerEventDefinition></startEvent>
                  <startEvent id="empty"><timerEventDefinition><timeDate/></timerEventDefinition></startEvent>
                  <sequenceFlow id="f1" sourceRef="monthly" targetRef="a"/>
                  <sequenceFlow id="f2" sourceRef="soon" targetRef="a"/>
                  <sequenceFlow id="f3" sourceRef="empty" targetRef="a"/>
                  <task id="a"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).extracting(Problem::element, Problem::message).containsExactly(
                tuple("bpmn startEvent 'monthly'", String.format(BpmnMessages.BAD_TIMER, "an ISO-8601 repeating interval"
                        + " R[n]/[start/]duration (R/PT1H, R3/PT10H, R/2026-12-01T08:00:00Z/P1D)", "R/P1M")),
                tuple("bpmn startEvent 'soon'", String.format(BpmnMessages.BAD_TIMER,
                        "an ISO-8601 date-time (2026-12-01T08:00:00Z)", "soon")),
                tuple("bpmn startEvent 'empty'", BpmnMessages.NO_TIMER));
    }

    @Test
    void shouldMapInclusiveGatewaysAndExclusiveGatewaysWithoutDefault() {
        // given: an inclusive split with conditions, a plain flow and a default, its converging join, and a
        // Zeebe-style yes/no whose two conditions are not each other's negation
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f0" sourceRef="s" targetRef="how"/>
                  <inclusiveGateway id="how" name="Notify how?" default="f3"/>
                  <sequenceFlow id="f1" sourceRef="how" targetRef="email">
                    <conditionExpression xsi:type="tFormalExpression">${email}</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f2" sourceRef="how" targetRef="sms">
                    <conditionExpression xsi:type="tFormalExpression">#{sms}</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f3" sourceRef="how" targetRef="log"/>
                  <sequenceFlow id="f4" sourceRef="how" targetRef="audit"/>
                  <task id="email"/>
                  <task id="sms"/>
                  <task id="log"/>
                  <task id="audit"/>
                  <sequenceFlow id="f5" sourceRef="email" targetRef="merged"/>
                  <sequenceFlow id="f6" sourceRef="sms" targetRef="merged"/>
                  <sequenceFlow id="f7" sourceRef="log" targetRef="merged"/>
                  <sequenceFlow id="f8" sourceRef="audit" targetRef="merged"/>
                  <inclusiveGateway id="merged" gatewayDirection="Converging"/>
                  <sequenceFlow id="f9" sourceRef="merged" targetRef="review"/>
                  <exclusiveGateway id="review" name="Result?"/>
                  <sequenceFlow id="f10" sourceRef="review" targetRef="book">
                    <conditionExpression>= reviewResult = "approved"</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f11" sourceRef="review" targetRef="reject">
                    <conditionExpression>= reviewResult = "rejected"</conditionExpression>
                  </sequenceFlow>
                  <task id="book"/>
                  <task id="reject"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then: a plain flow of an inclusive gateway is always taken (as Camunda 7 takes it); the exclusive
        // gateway has no default, so no condition holding is an incident at run time, not a problem now
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().steps()).containsExactly(
                new InclusiveStep(info("how", "Notify how?", null, 6), List.of(
                        new ChoiceStep.Branch(Expression.jsonata("email"), "email"),
                        new ChoiceStep.Branch(Expression.jsonata("sms"), "sms"),
                        new ChoiceStep.Branch(Expression.jsonata("true"), "audit")), "log"),
                new TaskStep(info("email", "email", "merged", 15), Map.of()),
                new TaskStep(info("sms", "sms", "merged", 16), Map.of()),
                new TaskStep(info("log", "log", "merged", 17), Map.of()),
                new TaskStep(info("audit", "audit", "merged", 18), Map.of()),
                new JoinStep(info("merged", "merged", "review", 23)),
                new ChoiceStep(info("review", "Result?", null, 25), List.of(
                        new ChoiceStep.Branch(Expression.jsonata("reviewResult = \"approved\""), "book"),
                        new ChoiceStep.Branch(Expression.jsonata("reviewResult = \"rejected\""), "reject")), null),
                new TaskStep(info("book", "book", null, 32), Map.of()),
                new TaskStep(info("reject", "reject", null, 33), Map.of()));
    }

    @Test
    void shouldMapAComplexGatewayMarkedFirstAsADiscriminatorAndAnInclusiveGatewayThatJoinsAndSplits() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <sequenceFlow id="f0" sourceRef="s" targetRef="fork"/>
                  <parallelGateway id="fork"/>
                  <sequenceFlow id="f1" sourceRef="fork" targetRef="a"/>
                  <sequenceFlow id="f2" sourceRef="fork" targetRef="b"/>
                  <task id="a"/>
                  <task id="b"/>
                  <sequenceFlow id="f3" sourceRef="a" targetRef="first"/>
                  <sequenceFlow id="f4" sourceRef="b" targetRef="first"/>
                  <complexGateway id="first" gatewayDirection="Converging" baton:first="true"/>
                  <sequenceFlow id="f5" sourceRef="first" targetRef="done"/>
                  <endEvent id="done"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().step("first"))
                .contains(new JoinStep(info("first", "first", "done", 13), true));
    }

    @Test
    void shouldTreatSeveralPlainOutgoingFlowsAsAParallelSplit() {
        // given
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
                  <task id="a"/>
                  <sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
                  <sequenceFlow id="f3" sourceRef="a" targetRef="c"/>
                  <task id="b"/>
                  <task id="c"/>
                  <sequenceFlow id="f4" sourceRef="b" targetRef="j"/>
                  <sequenceFlow id="f5" sourceRef="c" targetRef="j"/>
                  <parallelGateway id="j"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().steps()).containsExactly(
                new TaskStep(info("a", "a", "a-split", 6), Map.of()),
                new ParallelStep(info("a-split", "a-split", null, 6), List.of("b", "c")),
                new TaskStep(info("b", "b", "j", 9), Map.of()),
                new TaskStep(info("c", "c", "j", 10), Map.of()),
                new JoinStep(info("j", "j", null, 13)));
    }

    @Test
    void shouldNameTheConditionItCannotTranslateAndWhy() {
        // given
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
                  <exclusiveGateway id="g" default="f3"/>
                  <sequenceFlow id="f2" name="big" sourceRef="g" targetRef="e">
                    <conditionExpression>${order.total() > 10}</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f3" sourceRef="g" targetRef="e"/>
                  <sequenceFlow id="f4" sourceRef="g" targetRef="e">
                    <conditionExpression language="https://jsonata.org">$count(items) > 1</conditionExpression>
                  </sequenceFlow>
                  <sequenceFlow id="f5" sourceRef="g" targetRef="e">
                    <conditionExpression language="javascript">a > 1</conditionExpression>
                  </sequenceFlow>
                  <endEvent id="e"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then: the JSONata one passes as written
        assertThat(reading.problems()).containsExactly(
                new Problem("bpmn sequenceFlow 'f2' (big)",
                        String.format(BpmnMessages.NOT_TRANSLATED, "${order.total() > 10}", "method calls"), 7),
                new Problem("bpmn sequenceFlow 'f5'",
                        String.format(BpmnMessages.NOT_TRANSLATED, "a > 1", "a condition in javascript"), 14));
    }

    @Test
    void shouldReportEveryProblemOfTheInvalidProcess() throws IOException {
        // when
        Reading reading = reader.read(BpmnConformanceTest.resource("bpmn-negative/flowable-invalidProcess.bpmn20.xml"));

        // then: every element the file breaks on purpose is named
        Set<String> named = reading.problems().stream()
                .map(p -> p.element().replaceAll("^bpmn \\w+ '([^']*)'.*", "$1")).collect(Collectors.toSet());
        assertThat(named).contains("invalidProcess", "theStart2", "theStart3", "serviceTaskWithWrongResultVariableUsage",
                "serviceTaskWithUseLocalScopeAndMissingResultVariableUsage", "serviceTask2", "serviceTask3",
                "serviceTask4", "sendTask1", "sendTask2", "sendTask3", "httpTask1", "httpTask2", "httpTask3", "mailTask1",
                "mailTask2", "mailTask3", "mailTask4", "shellTask1", "userTask1", "messageEvent1", "messageEvent2",
                "signalEvent1", "signalEvent2", "xGw1", "flow4", "xGw4", "flow6", "flow7", "scriptTask1",
                "scriptTask2", "subprocess1", "subprocess2", "subprocess3", "boundaryEvent1", "theEnd", "theEnd2",
                "subprocess5", "cancelSubprocess5", "transation1", "cancelTransaction1a", "cancelTransaction1b",
                "intermediateCatchEvent1", "intermediateCatchEvent2", "intermediateThrowEvent1", "eventGateway1",
                "dataAssociationServiceTask1", "miUserTask1", "timerBoundaryEvent1", "compensationEvent1",
                "someSubprocess3", "invalidSeqFlow1", "invalidSeqFlow2", "invalidSeqFlow3", "subprocess4",
                "beforeSubprocess");
        assertThat(named).doesNotContain("theStart1", "xGw5", "flow1", "flow8");
        // one conditional flow and no default runs, as in Camunda and Zeebe: when it does not hold, an incident
        assertThat(named).doesNotContain("xGw2");
        assertThat(reading.problems()).contains(
                new Problem("bpmn userTask 'userTask1' (userTask1)",
                        String.format(ValidationMessages.HUMAN_TASK_WITHOUT_ROLES, "userTask1"), 138),
                new Problem("bpmn exclusiveGateway 'xGw1' (gw)", BpmnMessages.NO_OUTGOING_FLOW, 165),
                new Problem("bpmn subProcess 'subprocess3' (subProcess3)",
                        String.format(BpmnMessages.NOT_EXECUTED, "an event sub-process"), 216),
                new Problem("bpmn userTask 'miUserTask1' (miUserTask2)",
                        BpmnMessages.MULTI_WITHOUT_COLLECTION, 287));
    }

    @Test
    void shouldTakeTheExecutableProcessOrRefuseAmbiguity() {
        // given
        String process = "<process id=\"%s\" %s><startEvent id=\"s%1$s\"/><sequenceFlow id=\"f%1$s\" sourceRef=\"s%1$s\""
                + " targetRef=\"e%1$s\"/><endEvent id=\"e%1$s\"/></process>\n";
        byte[] oneExecutable = bpmn(String.format(process, "a", "") + String.format(process, "b", "isExecutable=\"true\""));
        byte[] twoExecutable = bpmn(String.format(process, "a", "isExecutable=\"true\"")
                + String.format(process, "b", "isExecutable=\"true\""));
        byte[] noneMarked = bpmn(String.format(process, "a", "") + String.format(process, "b", "")
                + "<process id=\"blackBox\"/>\n");

        // when / then
        assertThat(reader.read(oneExecutable).definition().id()).isEqualTo("b");
        assertThat(reader.read(twoExecutable).problems()).containsExactly(new Problem("bpmn definitions 'defs'",
                String.format(BpmnMessages.SEVERAL_EXECUTABLE, 2, "'a', 'b'"), 2));
        assertThat(reader.read(noneMarked).problems()).containsExactly(new Problem("bpmn definitions 'defs'",
                String.format(BpmnMessages.SEVERAL_PROCESSES, 2, "'a', 'b'"), 2));
    }

    @Test
    void shouldTurnBpmnIdsIntoStepIdsBatonAccepts() {
        // given: ids with dots and leading underscores, one clashing once cleaned
        byte[] doc = bpmn("""
                <process id="_my.process">
                  <startEvent id="_s"/>
                  <sequenceFlow id="f1" sourceRef="_s" targetRef="_a.b"/>
                  <task id="_a.b"/>
                  <sequenceFlow id="f2" sourceRef="_a.b" targetRef="a-b"/>
                  <task id="a-b"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().id()).isEqualTo("my-process");
        assertThat(reading.definition().steps()).extracting(s -> s.id() + "→" + s.next()).containsExactly("a-b→a-b-2", "a-b-2→null");
    }

    @Test
    void shouldNameTheValidatorsProblemsAfterTheirElements() {
        // given: a valid mapping the validator refuses (an unknown operation, a cycle with no wait)
        BpmnReader strict = new BpmnReader(ConnectorCatalog.of(Set.of("http.get")), ExpressionChecker.NONE);
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
                  <serviceTask id="call" name="Call">
                    <extensionElements><baton:call operation="http.put"/></extensionElements>
                  </serviceTask>
                  <sequenceFlow id="f2" sourceRef="call" targetRef="call"/>
                </process>
                """);

        // when
        Reading reading = strict.read(doc);

        // then
        assertThat(reading.problems()).containsExactly(
                new Problem("bpmn serviceTask 'call' (Call)",
                        String.format(ValidationMessages.UNKNOWN_OPERATION, "http.put", "call", "http.get"), 6),
                new Problem("bpmn serviceTask 'call' (Call)",
                        String.format(ValidationMessages.CYCLE_WITHOUT_WAIT, "call → call"), 6));
    }

    @Test
    void shouldReportMalformedBatonExtensions() {
        // given
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="u"/>
                  <userTask id="u" camunda:candidateGroups="g" baton:due="tomorrow" baton:fourEyes="yes" baton:concurrency="many"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).extracting(Problem::message).containsExactlyInAnyOrder(
                String.format(BpmnMessages.BAD_EXTENSION, "baton:concurrency", "an integer", "many"),
                String.format(BpmnMessages.BAD_EXTENSION, "baton:due", "an ISO-8601 duration such as PT30S", "tomorrow"),
                String.format(BpmnMessages.BAD_EXTENSION, "baton:fourEyes", "true or false", "yes"));
    }

    @Test
    void shouldPointAtTheLineWhereAMultiLineStartTagBegins() {
        // given
        byte[] doc = bpmn("""
                <process id="p">
                  <startEvent id="s"/>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
                  <complexGateway
                      id="g"
                      name="Which?"/>
                </process>
                """);

        // when / then
        assertThat(reader.read(doc).problems()).containsExactly(new Problem("bpmn complexGateway 'g' (Which?)",
                String.format(BpmnMessages.NOT_EXECUTED, "a complex gateway"), 6));
    }

    @Test
    void shouldReadCamundaMultiInstanceWithCollectionElementVariableAndCompletionCondition() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <userTask id="review" camunda:candidateGroups="reviewers">
                    <multiInstanceLoopCharacteristics isSequential="true" camunda:collection="${reviewers}"
                        camunda:elementVariable="reviewer">
                      <completionCondition xsi:type="tFormalExpression">${rejected == true}</completionCondition>
                    </multiInstanceLoopCharacteristics>
                  </userTask>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().steps()).singleElement().satisfies(step -> assertThat(step.info().multi())
                .isEqualTo(new MultiInstance(Expression.jsonata("reviewers"), "reviewer", true, null, null,
                        Expression.jsonata("rejected = true"))));
    }

    @Test
    void shouldReadTheFlowableDogeModelsMultiInstanceSubProcess() throws IOException {
        // when
        Reading reading = reader.read(BpmnConformanceTest.resource("bpmn-real/flowable-doge.bpmn20.xml"));

        // then its activiti:collection and elementVariable are read; its other problems stay
        assertThat(reading.problems()).extracting(Problem::message)
                .noneMatch(m -> m.contains("multi-instance"))
                .isNotEmpty();
        assertThat(reading.problems()).extracting(Problem::element).noneMatch(e -> e.contains("subProcess 'sid-1AA38D08"));
    }

    @Test
    void shouldReadFlowableCollectionAsAVariableName() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <task id="each">
                    <multiInstanceLoopCharacteristics isSequential="false" flowable:collection="order.lines"
                        flowable:elementVariable="line"/>
                  </task>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="each"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().steps().get(0).info().multi())
                .isEqualTo(new MultiInstance(Expression.jsonata("order.lines"), "line", false, null, null, null));
    }

    @Test
    void shouldReportAFlowableElementIndexVariable() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <task id="each">
                    <multiInstanceLoopCharacteristics flowable:collection="lines" flowable:elementIndexVariable="i"/>
                  </task>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="each"/>
                </process>
                """);

        // when / then
        assertThat(reader.read(doc).problems()).containsExactly(new Problem("bpmn task 'each'",
                String.format(BpmnMessages.NOT_EXECUTED, "an element index variable (flowable:elementIndexVariable;"
                        + " Baton's instances see their number in loopCounter)"), 5));
    }

    @Test
    void shouldReadZeebeLoopCharacteristicsWithOutputCollection() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <subProcess id="each">
                    <multiInstanceLoopCharacteristics>
                      <extensionElements>
                        <zeebe:loopCharacteristics inputCollection="= items" inputElement="item"
                            outputCollection="results" outputElement="= result"/>
                      </extensionElements>
                      <completionCondition>= numberOfCompletedInstances >= 2</completionCondition>
                    </multiInstanceLoopCharacteristics>
                    <task id="inner"/>
                  </subProcess>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="each"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().steps().get(0).info().multi()).isEqualTo(new MultiInstance(
                Expression.jsonata("items"), "item", false, "results", Expression.jsonata("result"),
                Expression.jsonata("numberOfCompletedInstances >= 2")));
    }

    @Test
    void shouldReadALoopCardinalityAsTheNumbersOneToN() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <task id="three"><multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics></task>
                  <task id="n"><multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>${copies}</loopCardinality></multiInstanceLoopCharacteristics></task>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="three"/>
                  <sequenceFlow id="f2" sourceRef="three" targetRef="n"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).isEmpty();
        assertThat(reading.definition().steps()).extracting(step -> step.info().multi()).containsExactly(
                new MultiInstance(Expression.jsonata("[1..3]"), "element", false, null, null, null),
                new MultiInstance(Expression.jsonata("[1..(copies)]"), "element", true, null, null, null));
    }

    @Test
    void shouldReportAMultiInstanceWithoutCollectionAndAnUntranslatedCompletionCondition() {
        // given
        byte[] doc = bpmn("""
                <process id="p" isExecutable="true">
                  <startEvent id="s"/>
                  <task id="none"><multiInstanceLoopCharacteristics isSequential="true"/></task>
                  <task id="ratio">
                    <multiInstanceLoopCharacteristics camunda:collection="voters">
                      <completionCondition>${nrOfCompletedInstances/nrOfInstances >= 0.6}</completionCondition>
                    </multiInstanceLoopCharacteristics>
                  </task>
                  <sequenceFlow id="f1" sourceRef="s" targetRef="none"/>
                  <sequenceFlow id="f2" sourceRef="none" targetRef="ratio"/>
                </process>
                """);

        // when
        Reading reading = reader.read(doc);

        // then
        assertThat(reading.problems()).extracting(Problem::element, Problem::line).containsExactly(
                tuple("bpmn task 'none'", 5), tuple("bpmn task 'ratio'", 6));
        assertThat(reading.problems().get(0).message()).isEqualTo(BpmnMessages.MULTI_WITHOUT_COLLECTION);
        assertThat(reading.problems().get(1).message()).startsWith("Expected the completion condition to be JSONata"
                + " or a FEEL variable path or comparison, but '${nrOfCompletedInstances/nrOfInstances >= 0.6}' is not"
                + " translated");
    }
}
