package dev.baton.hub.connect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.baton.connectors.sap.sandbox.SapSandbox;

/**
 * The demo switch ({@code --baton.demo.orders-every=5s}): the SAP sandbox creates a sales order that
 * often, as a clerk in SAP would, so a newcomer sees order-to-cash moving in the first minute. Now and
 * then an order is large enough to wait for a sales manager's approval.
 */
@Component
class DemoOrders extends RouteBuilder {

    private static final List<String> PRODUCTS = List.of("HT-1000", "HT-1001", "HT-1002", "HT-1010", "HT-1502");

    private final Duration every;
    private final ObjectProvider<SapSandbox> sap;

    DemoOrders(Environment env, ObjectProvider<SapSandbox> sap) {
        this.every = env.getProperty("baton.demo.orders-every", Duration.class, Duration.ZERO);
        this.sap = sap;
    }

    @Override
    public void configure() {
        if (every.isZero() || every.isNegative() || sap.getIfAvailable() == null) {
            return;
        }
        from("timer:baton.demo?delay=5000&period=" + every.toMillis()).routeId("baton.demo.orders")
                .process(exchange -> {
                    SapSandbox sandbox = sap.getObject();
                    List<Map<String, Object>> partners = sandbox.businessPartners();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    String customer = String.valueOf(partners.get(random.nextInt(partners.size()))
                            .get("BusinessPartnerID"));
                    boolean large = random.nextInt(5) == 0;
                    String product = large ? "HT-1502" : PRODUCTS.get(random.nextInt(PRODUCTS.size() - 1));
                    int quantity = large ? 5 + random.nextInt(3) : 1 + random.nextInt(5);
                    String id = sandbox.createSalesOrder(customer, List.of(new SapSandbox.Item(product, quantity)),
                            "Demo order");
                    log.info("Demo: sales order {} created in the SAP sandbox for customer {}", id, customer);
                });
    }
}
