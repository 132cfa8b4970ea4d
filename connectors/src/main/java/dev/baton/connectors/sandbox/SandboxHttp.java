package dev.baton.connectors.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * The JDK HTTP server the sandboxes run on, with Nagle's algorithm off. The JDK server writes a
 * response's headers and body as separate segments; with Nagle on and the client's delayed ACK, every
 * answer waits about 40 ms (measured: an SAP read 42–93 ms instead of ~4 ms). The JDK reads the switch
 * ({@code sun.net.httpserver.nodelay}) once, when the JVM's first server is created; a value set
 * explicitly is left alone.
 */
public final class SandboxHttp {

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private SandboxHttp() {
    }

    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return HttpServer.create(address, backlog);
    }
}
