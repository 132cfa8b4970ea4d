package dev.baton.hub;

import static dev.baton.hub.support.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

/**
 * An event source is who its credential says: the channel an event arrives on ({@code /events/{channel}},
 * checked against {@code integration:<channel>}) is part of its identity, and waits, race alternatives and
 * message boundaries that name a channel take only its events, whatever the CloudEvent's own {@code source}
 * claims. The warehouse's channel here also lists the sources it may send. Run on H2 and on PostgreSQL, whose
 * unique keys hold back a concurrent delivery each in its own way.
 */
abstract class EventChannelBehaviour extends HubTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void warehouseSources(DynamicPropertyRegistry registry) {
        registry.add("baton.events.allowed-sources.wms", () -> "/wms,urn:wms:*");
    }

    @Test
    void shouldNeitherCorrelateNorSuppressTheWarehousesEventWhenTheShopClaimsItsSource() throws Exception {
        // given: the example order-approval, an order from the shop approved at once and waiting for its shipment
        deployExample("order-approval");
        String order = unique("SO");
        Api.Response created = post(TestUsers.SHOP, "shop", event("o-" + order, "/shop", "com.example.order.created",
                Map.of("orderId", order, "amount", 500)));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String instance = created.json().get("instances").get(0).get("instanceId").asText();
        await().atMost(WAIT).until(() -> openSteps(instance).contains("await-shipment WAITING"));
        String shipment = "s-77-" + order;

        // when: the shop's credential posts the warehouse's shipment event, claiming the warehouse's source and id
        Api.Response spoofed = post(TestUsers.SHOP, "shop", event(shipment, "/wms", "com.example.order.shipped",
                Map.of("orderId", order)));

        // then: taken in as the shop's event, it resumes nothing
        assertThat(spoofed.status()).as(spoofed.body()).isEqualTo(202);
        assertThat(spoofed.json().get("channel").asText()).isEqualTo("shop");
        assertThat(spoofed.json().get("source").asText()).isEqualTo("/wms");
        assertThat(spoofed.json().get("correlated")).isEmpty();
        assertThat(api.status(instance)).isEqualTo("WAITING");

        // when: the warehouse sends the real event with the same source and id on its own channel
        Api.Response real = post(TestUsers.WMS, "wms", event(shipment, "/wms", "com.example.order.shipped",
                Map.of("orderId", order, "carrier", "DHL")));

        // then: it is no duplicate of the claim, and it ships the order
        assertThat(real.status()).as(real.body()).isEqualTo(202);
        assertThat(real.json().get("duplicate").asBoolean()).isFalse();
        assertThat(real.json().get("correlated")).hasSize(1);
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).get("variables").get("shipment").get("carrier").asText()).isEqualTo("DHL");

        // and: the audit trail tells the two apart by channel and claimed source
        assertThat(auditSummaries(shipment)).containsExactlyInAnyOrder(
                "event com.example.order.shipped (id " + shipment + ", source /wms) on /events/shop matched no process",
                "event com.example.order.shipped (id " + shipment + ", source /wms) on /events/wms resumed step"
                        + " 'await-shipment'");
    }

    @Test
    void shouldTakeTheSameSourceAndIdOnTwoChannelsAsTwoEvents() throws Exception {
        // given
        String type = "test.ticket.opened." + unique("t");
        String id = deployed("""
                id: %s
                triggers:
                  - event: %s
                steps:
                  - id: log
                    task: {}
                """.formatted(unique("tickets"), type));
        Map<String, Object> ticket = event("same-id", "/helpdesk", type, Map.of("n", 1));

        // when: the shop's credential and the relay on another channel send the same source and id
        Api.Response fromShop = post(TestUsers.SHOP, "shop", ticket);
        Api.Response fromErp = post(TestUsers.INTEGRATION, "erp", ticket);
        Api.Response shopAgain = post(TestUsers.SHOP, "shop", ticket);

        // then: two events, two instances; the same channel again is the duplicate with the first answer
        assertThat(fromShop.status()).isEqualTo(202);
        assertThat(fromErp.status()).isEqualTo(202);
        String first = fromShop.json().get("instances").get(0).get("instanceId").asText();
        String second = fromErp.json().get("instances").get(0).get("instanceId").asText();
        assertThat(first).isNotEqualTo(second);
        assertThat(shopAgain.status()).isEqualTo(200);
        assertThat(shopAgain.json().get("duplicate").asBoolean()).isTrue();
        assertThat(shopAgain.json().get("instances")).isEqualTo(fromShop.json().get("instances"));
        awaitStatus(first, "COMPLETED");
        awaitStatus(second, "COMPLETED");
        List<String> startedBy = new ArrayList<>();
        api.get("/api/instances?definition=" + id, TestUsers.OPERATOR).json().get("instances")
                .forEach(i -> startedBy.add(i.get("startedBy").asText()));
        assertThat(startedBy).containsExactlyInAnyOrder("event:shop", "event:erp");
    }

    @Test
    void shouldResumeAWaitAndARaceAlternativeOnlyFromTheChannelsTheyName() throws Exception {
        // given: a payment accepted from the bank's or the relay's channel, then a race whose delivery only the
        // warehouse can win
        String prefix = unique("t");
        String id = deployed("""
                id: %s
                steps:
                  - id: pay
                    wait: {message: %s.paid, source: [bank, erp]}
                    next: deliver
                  - id: deliver
                    race: [delivered, late]
                  - id: delivered
                    wait: {message: %s.delivered, source: wms}
                    next: done
                  - id: late
                    timer: {duration: P1D}
                    next: done
                  - id: done
                    end: {}
                """.formatted(unique("race"), prefix, prefix));
        String key = unique("K");
        String instance = api.start(id, key, Map.of());
        await().atMost(WAIT).until(() -> openSteps(instance).contains("pay WAITING"));

        // when / then: the shop's payment resumes nothing; the relay's on channel erp does
        Api.Response fromShop = post(TestUsers.SHOP, "shop", keyed("p1", "/bank", prefix + ".paid", key));
        assertThat(fromShop.json().get("correlated")).isEmpty();
        Api.Response fromErp = post(TestUsers.INTEGRATION, "erp", keyed("p1", "/bank", prefix + ".paid", key));
        assertThat(fromErp.json().get("correlated")).hasSize(1);
        await().atMost(WAIT).until(() -> openSteps(instance).contains("delivered WAITING"));

        // when / then: the delivery from the shop's channel loses to nobody; the warehouse's wins the race
        Api.Response spoofed = post(TestUsers.SHOP, "shop", keyed("d1", "/wms", prefix + ".delivered", key));
        assertThat(spoofed.json().get("correlated")).isEmpty();
        assertThat(api.status(instance)).isEqualTo("WAITING");
        Api.Response real = post(TestUsers.WMS, "wms", keyed("d1", "/wms", prefix + ".delivered", key));
        assertThat(real.json().get("correlated")).hasSize(1);
        awaitStatus(instance, "COMPLETED");
        assertThat(handoffs(instance)).contains("delivered COMPLETED").doesNotContain("late COMPLETED");
    }

    @Test
    void shouldMatchAWaitingInstanceByItsOwnVersionsChannels() throws Exception {
        // given: version 1 waits for the shipment from any channel, version 2 from the warehouse only; an
        // instance waits in each
        String prefix = unique("t");
        String yaml = """
                id: %s
                steps:
                  - id: ship
                    wait: {message: %s.shipped%s}
                """;
        String id = unique("versions");
        deployed(yaml.formatted(id, prefix, ""));
        String old = api.start(id, unique("K"), Map.of());
        deployed(yaml.formatted(id, prefix, ", source: wms"));
        String narrowed = api.start(id, unique("K"), Map.of());
        await().atMost(WAIT).until(() -> openSteps(old).contains("ship WAITING")
                && openSteps(narrowed).contains("ship WAITING"));
        String oldKey = api.instance(old).get("businessKey").asText();
        String narrowedKey = api.instance(narrowed).get("businessKey").asText();

        // when: the shop sends a shipment for each
        Api.Response forOld = post(TestUsers.SHOP, "shop", keyed("v1", "/shop", prefix + ".shipped", oldKey));
        Api.Response forNarrowed = post(TestUsers.SHOP, "shop", keyed("v2", "/shop", prefix + ".shipped", narrowedKey));

        // then: the instance of version 1 takes it, the one of version 2 only the warehouse's
        assertThat(forOld.json().get("correlated")).hasSize(1);
        assertThat(forNarrowed.json().get("correlated")).isEmpty();
        awaitStatus(old, "COMPLETED");
        assertThat(api.status(narrowed)).isEqualTo("WAITING");
        Api.Response fromWms = post(TestUsers.WMS, "wms", keyed("v2", "/wms", prefix + ".shipped", narrowedKey));
        assertThat(fromWms.json().get("correlated")).hasSize(1);
        awaitStatus(narrowed, "COMPLETED");
    }

    @Test
    void shouldTakeAMessageBoundaryOnlyFromTheChannelItNames() throws Exception {
        // given: an approval that only the shop can cancel
        String prefix = unique("t");
        String id = deployed("""
                id: %s
                steps:
                  - id: approve
                    human: {title: "Approve", roles: [sales-manager]}
                    messages:
                      - {message: %s.cancelled, next: cancel, source: shop}
                    next: done
                  - id: cancel
                    task: {set: {cancelled: "true"}}
                  - id: done
                    end: {}
                """.formatted(unique("boundary"), prefix));
        String key = unique("K");
        String instance = api.start(id, key, Map.of());
        await().atMost(WAIT).until(() -> openSteps(instance).contains("approve WAITING"));

        // when: the relay sends the cancellation on another channel, claiming the shop's source
        Api.Response fromErp = post(TestUsers.INTEGRATION, "erp", keyed("c1", "/shop", prefix + ".cancelled", key));

        // then: the approval stays open
        assertThat(fromErp.json().get("correlated")).isEmpty();
        assertThat(api.status(instance)).isEqualTo("WAITING");

        // when: the shop cancels
        Api.Response fromShop = post(TestUsers.SHOP, "shop", keyed("c1", "/shop", prefix + ".cancelled", key));

        // then
        assertThat(fromShop.json().get("correlated")).hasSize(1);
        awaitStatus(instance, "COMPLETED");
        assertThat(api.instance(instance).get("variables").get("cancelled").asBoolean()).isTrue();
    }

    @Test
    void shouldStartADefinitionDeployedAfterItsEventWhenTheEventIsSentAgain() throws Exception {
        // given: an event that nothing is deployed for yet
        String type = "test.invoice.received." + unique("t");
        Map<String, Object> invoice = event("inv-1", "/erp", type, Map.of("amount", 10));
        Api.Response early = post(TestUsers.INTEGRATION, "erp", invoice);
        assertThat(early.status()).isEqualTo(202);
        assertThat(early.json().get("instances")).isEmpty();

        // when: its definition is deployed and the sender retries
        deployed("""
                id: %s
                triggers:
                  - event: %s
                steps:
                  - id: book
                    task: {}
                """.formatted(unique("invoices"), type));
        Api.Response retried = post(TestUsers.INTEGRATION, "erp", invoice);
        Api.Response again = post(TestUsers.INTEGRATION, "erp", invoice);

        // then: the retry is evaluated again and starts it; from then on the event is a duplicate
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        assertThat(retried.json().get("duplicate").asBoolean()).isFalse();
        assertThat(retried.json().get("instances")).hasSize(1);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("instances")).isEqualTo(retried.json().get("instances"));
        awaitStatus(retried.json().get("instances").get(0).get("instanceId").asText(), "COMPLETED");
    }

    @Test
    void shouldStartOnceForTwentyConcurrentDeliveriesAndHoldNoneThatStartedNothing() throws Exception {
        // given
        String type = "test.order.placed." + unique("t");
        String id = deployed("""
                id: %s
                triggers:
                  - event: %s
                steps:
                  - id: book
                    task: {}
                """.formatted(unique("placed"), type));

        // when: 20 senders deliver one event that starts the definition, then 20 one that matches nothing
        List<Api.Response> starting = concurrently(20, () -> post(TestUsers.INTEGRATION, "erp",
                event("once", "/erp", type, Map.of())));
        List<Api.Response> unmatched = concurrently(20, () -> post(TestUsers.INTEGRATION, "erp",
                event("nothing", "/erp", type + ".unknown", Map.of())));

        // then: one instance, one first answer and 19 duplicates naming it; the unmatched one never a duplicate
        assertThat(starting).extracting(Api.Response::status).containsOnly(200, 202);
        assertThat(starting).filteredOn(r -> r.status() == 202).hasSize(1);
        assertThat(starting).extracting(r -> r.json().get("instances")).containsOnly(
                starting.stream().filter(r -> r.status() == 202).findFirst().orElseThrow().json().get("instances"));
        assertThat(api.get("/api/instances?definition=" + id, TestUsers.OPERATOR).json().get("instances")).hasSize(1);
        assertThat(unmatched).extracting(Api.Response::status).containsOnly(202);
        assertThat(unmatched).allSatisfy(r -> assertThat(r.json().get("duplicate").asBoolean()).isFalse());
    }

    @Test
    void shouldRefuseASourceTheChannelMayNotSendNamingBoth() throws Exception {
        // given: channel wms may send /wms and urn:wms:* only (baton.events.allowed-sources.wms)
        String type = "test.stock.counted." + unique("t");
        deployed("""
                id: %s
                triggers:
                  - event: %s
                    source: wms
                steps:
                  - id: count
                    task: {}
                """.formatted(unique("stock"), type));

        // when
        Api.Response refused = post(TestUsers.WMS, "wms", event("c-1", "/shop", type, Map.of()));
        Api.Response byPattern = post(TestUsers.WMS, "wms", event("c-1", "urn:wms:hall-3", type, Map.of()));
        Api.Response elsewhere = post(TestUsers.SHOP, "shop", event("c-1", "/anything", type, Map.of()));

        // then: 400 naming the channel and the claimed source, nothing stored; the listed source and other
        // channels (without a list) are taken
        JsonNode error = assertError(refused, 400, HubCodes.EVENT_SOURCE_REFUSED);
        assertThat(error.get("error").asText()).contains("'wms'").contains("'/shop'").contains("urn:wms:*");
        assertThat(byPattern.status()).as(byPattern.body()).isEqualTo(202);
        assertThat(byPattern.json().get("instances")).hasSize(1);
        assertThat(elsewhere.status()).isEqualTo(202);
        assertThat(elsewhere.json().get("instances")).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private void deployExample(String name) throws Exception {
        Api.Response r = api.deploy(Files.readString(Path.of("../examples/processes/" + name + ".yaml")));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    private static Map<String, Object> event(String id, String source, String type, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", source);
        event.put("type", type);
        event.put("data", data);
        return event;
    }

    /** An event whose subject is the correlation key (the default of waits and boundaries keyed by business key). */
    private static Map<String, Object> keyed(String id, String source, String type, String subject) {
        Map<String, Object> event = event(id, source, type, Map.of());
        event.put("subject", subject);
        return event;
    }

    private Api.Response post(String user, String channel, Map<String, Object> event) throws Exception {
        return api.post("/events/" + channel, user, "application/cloudevents+json", JSON.writeValueAsString(event));
    }

    /** The steps the instance's tokens are at, with their status: {@code "pay WAITING"}. */
    private List<String> openSteps(String instance) {
        List<String> out = new ArrayList<>();
        api.instance(instance).path("openSteps").forEach(t -> out.add(t.path("step").asText() + " "
                + t.path("status").asText()));
        return out;
    }

    private List<String> handoffs(String instance) {
        List<String> out = new ArrayList<>();
        api.instance(instance).get("handoffs").forEach(h -> out.add(h.get("step").asText() + " "
                + h.get("status").asText()));
        return out;
    }

    private List<String> auditSummaries(String eventId) {
        List<String> out = new ArrayList<>();
        api.get("/api/audit?eventType=EVENT_RECEIVED&limit=1000", TestUsers.AUDITOR).json().get("entries")
                .forEach(e -> {
                    if (e.path("summary").asText().contains("(id " + eventId + ",")) {
                        out.add(e.path("summary").asText());
                    }
                });
        return out;
    }

    /** Runs the call from n threads released at once; their responses. */
    private static List<Api.Response> concurrently(int n, java.util.concurrent.Callable<Api.Response> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return call.call();
                }));
            }
            gate.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
