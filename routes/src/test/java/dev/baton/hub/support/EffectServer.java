package dev.baton.hub.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * An external system as a call step meets it: a real HTTP server that applies each write once per
 * {@code Idempotency-Key}, as idempotent APIs do, and counts every call it receives. Its status can
 * be scripted (fail N times, always fail, answer slowly).
 */
public final class EffectServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
    private final Map<String, String> lastBodyByKey = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private volatile int status = 200;
    private volatile int failuresLeft;
    private volatile int failureStatus = 503;
    private volatile long delayMillis;

    public EffectServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis); // the remote system is slow, not the test waiting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status;
            synchronized (this) {
                if (failuresLeft > 0) {
                    failuresLeft--;
                    answer = failureStatus;
                }
            }
            if (answer < 300 && key != null) {
                callsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                lastBodyByKey.put(key, body);
            }
            byte[] out = ("{\"status\":" + answer + ",\"path\":\"" + exchange.getRequestURI().getPath()
                    + "\",\"echo\":" + (body.isBlank() ? "null" : body) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every call received, failed or not. */
    public long calls() {
        return calls.get();
    }

    /**
     * Successful writes by idempotency key. An idempotent API applies a key once: the map's size is
     * the number of effects applied; a count above 1 is a duplicate call it de-duplicated.
     */
    public Map<String, AtomicInteger> effects() {
        return callsByKey;
    }

    /** Successful calls that repeated a key already applied (at-least-once delivery made visible). */
    public long duplicateCalls() {
        return callsByKey.values().stream().mapToLong(c -> c.get() - 1).sum();
    }

    public String lastBody(String key) {
        return lastBodyByKey.get(key);
    }

    public void alwaysAnswer(int status) {
        this.status = status;
    }

    public synchronized void failNext(int times, int withStatus) {
        this.failuresLeft = times;
        this.failureStatus = withStatus;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
