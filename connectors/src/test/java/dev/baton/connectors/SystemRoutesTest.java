package dev.baton.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard of every outbound system route: its breaker opens on a failing system, not on bad requests. */
class SystemRoutesTest {

    static class Permanent extends RuntimeException {
        Permanent() {
            super("400 bad request");
        }
    }

    private final AtomicInteger calls = new AtomicInteger();
    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("direct:system").routeId("system").process(exchange -> {
                    calls.incrementAndGet();
                    String mode = exchange.getMessage().getHeader("mode", String.class);
                    if ("permanent".equals(mode)) {
                        throw new Permanent();
                    }
                    if ("throttled".equals(mode)) {
                        throw new org.apache.camel.http.base.HttpOperationFailedException("http://system/x", 429,
                                "Too Many Requests", null, null, "slow down");
                    }
                    if ("down".equals(mode)) {
                        throw new java.io.IOException("connection refused");
                    }
                    exchange.getMessage().setBody("ok");
                });
                ProcessorDefinition<?> guarded = from("direct:guarded").routeId("guarded");
                SystemRoutes.guardedTo(guarded, new SystemRoutes.Guard(1000, 50, 10, 5, 60_000),
                        "direct:system", t -> t instanceof Permanent || t.getCause() instanceof Permanent);
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Exchange call(String mode) {
        return producer.send("direct:guarded", e -> e.getMessage().setHeader("mode", mode));
    }

    @Test
    void badRequestsFailTheirCallButNeverOpenTheBreaker() {
        for (int i = 0; i < 20; i++) {
            assertThat(call("permanent").getException()).isInstanceOf(Permanent.class);
        }
        Exchange ok = call("fine");
        assertThat(ok.getException()).isNull();
        assertThat(ok.getMessage().getBody(String.class)).isEqualTo("ok");
        assertThat(calls).hasValue(21);
    }

    @Test
    void throttlingFailsItsCallButNeverOpensTheBreaker() {
        for (int i = 0; i < 20; i++) {
            Exchange throttled = call("throttled");
            assertThat(SystemRoutes.isThrottled(throttled.getException())).as("the 429 reaches the caller").isTrue();
        }
        Exchange ok = call("fine");
        assertThat(ok.getException()).isNull();
        assertThat(calls).hasValue(21);
    }

    @Test
    void aSystemThatKeepsFailingIsNotCalledOnceTheBreakerOpens() {
        for (int i = 0; i < 10; i++) {
            call("down");
        }
        int before = calls.get();
        Exchange refused = call("fine");
        assertThat(SystemRoutes.isBreakerOpen(refused.getException())).as("refused by the open breaker").isTrue();
        assertThat(calls).hasValue(before);
    }
}
