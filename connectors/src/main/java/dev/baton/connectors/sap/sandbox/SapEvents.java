package dev.baton.connectors.sap.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes SAP business events as CloudEvents 1.0 (structured JSON) on a background thread, the way SAP's event
 * mesh would. A failing sink is retried with doubling back-off, then the event is logged and dropped: the sink can
 * never fail the write that caused the event.
 */
final class SapEvents implements SapStore.Listener, AutoCloseable {

    static final String SOURCE = "/default/sap.s4.beh/GW1_100";
    static final String SALES_ORDER_CREATED = "sap.s4.beh.salesorder.v1.SalesOrder.Created.v1";
    static final String BUSINESS_PARTNER_CREATED = "sap.s4.beh.businesspartner.v1.BusinessPartner.Created.v1";
    static final String BUSINESS_PARTNER_CHANGED = "sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1";
    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(SapEvents.class);

    private final SapSandbox.EventSink sink;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /**
     * Deliveries run in parallel lanes, one thread each, an event's lane chosen by its subject: each
     * order's or partner's events keep their order, while one slow delivery (the hub's durable commit)
     * does not hold up all others, as an event mesh with several consumers would not.
     */
    static final int LANES = 8;
    private final ScheduledExecutorService[] lanes;

    SapEvents(SapSandbox.EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.lanes = sink == null ? null : new ScheduledExecutorService[LANES];
        if (lanes != null) {
            for (int i = 0; i < LANES; i++) {
                String name = "sap-sandbox-events-" + i;
                lanes[i] = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
            }
        }
    }

    private ScheduledExecutorService lane(String subject) {
        return lanes[Math.floorMod(String.valueOf(subject).hashCode(), LANES)];
    }

    @Override
    public void salesOrderCreated(String salesOrderId, String customerId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("SalesOrder", salesOrderId);
        data.put("SalesOrderType", "OR");
        data.put("SoldToParty", customerId);
        emit(SALES_ORDER_CREATED, salesOrderId, data);
    }

    @Override
    public void businessPartnerCreated(String businessPartnerId) {
        emit(BUSINESS_PARTNER_CREATED, businessPartnerId, Map.of("BusinessPartner", businessPartnerId));
    }

    @Override
    public void businessPartnerChanged(String businessPartnerId) {
        emit(BUSINESS_PARTNER_CHANGED, businessPartnerId, Map.of("BusinessPartner", businessPartnerId));
    }

    private void emit(String type, String subject, Map<String, Object> data) {
        if (lanes == null || lane(subject).isShutdown()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", SOURCE);
        event.put("type", type);
        event.put("subject", subject);
        event.put("time", clock.instant().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        String text;
        try {
            text = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        lane(subject).execute(() -> deliver(text, type, subject, 1));
    }

    private void deliver(String event, String type, String subject, int attempt) {
        try {
            sink.publish(event);
        } catch (Exception e) {
            if (attempt >= MAX_ATTEMPTS) {
                LOG.warn("Dropping SAP event {} for {} after {} failed attempts: {}", type, subject, attempt, e.toString());
                return;
            }
            long delay = FIRST_BACK_OFF.toMillis() << (attempt - 1);
            LOG.debug("SAP event {} for {} failed (attempt {}), retrying in {} ms", type, subject, attempt, delay, e);
            try {
                lane(subject).schedule(() -> deliver(event, type, subject, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } catch (RuntimeException rejected) {
                LOG.warn("Dropping SAP event {} for {}: sandbox closed", type, subject);
            }
        }
    }

    @Override
    public void close() {
        if (lanes == null) {
            return;
        }
        for (ScheduledExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ScheduledExecutorService lane : lanes) {
            try {
                lane.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lane.shutdownNow();
        }
    }
}
