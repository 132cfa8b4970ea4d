package dev.baton.hub.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that records every request it receives, headers included (what an
 * attack must never reach, and what a secret must reach). It answers {@code {"ok":true}}, a scripted
 * status, or a redirect.
 */
public final class RecordingServer implements AutoCloseable {

    /** A request as received: method, path with query, headers (names lower case). */
    public record Request(String method, String uri, Map<String, List<String>> headers) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String redirectTo;
    private volatile int status = 200;
    private int failuresLeft;
    private int failureStatus;

    public RecordingServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers));
            exchange.getRequestBody().readAllBytes();
            int answer = status;
            synchronized (this) {
                if (failuresLeft > 0) {
                    failuresLeft--;
                    answer = failureStatus;
                }
            }
            if (redirectTo != null) {
                exchange.getResponseHeaders().add("Location", redirectTo);
                exchange.sendResponseHeaders(302, -1);
            } else {
                byte[] out = ("{\"ok\":" + (answer < 300) + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer, out.length);
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Request> requests() {
        return requests;
    }

    /** Answers every request with {@code 302 Location: url}; null: answers again. */
    public void redirectTo(String url) {
        this.redirectTo = url;
    }

    public void alwaysAnswer(int status) {
        this.status = status;
    }

    public synchronized void failNext(int times, int withStatus) {
        this.failuresLeft = times;
        this.failureStatus = withStatus;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
