package dev.baton.hub.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.baton.hub.BatonApplication;

/**
 * The hub in its own JVM, as {@code java -jar} runs it, so a test can kill it with SIGKILL or stop it
 * with SIGTERM and start it again on the same data dir.
 */
public final class ForkedHub implements AutoCloseable {

    private final Path dataDir;
    private final Path usersFile;
    private final int port;
    private final List<String> extraArgs;
    private volatile Process process;
    private File log;
    private int starts;

    public ForkedHub(Path dataDir, String... extraArgs) {
        this.dataDir = dataDir;
        this.usersFile = TestUsers.write(dataDir.resolveSibling(dataDir.getFileName() + "-users"));
        this.port = freePort();
        this.extraArgs = List.of(extraArgs);
    }

    /** Starts the JVM and waits until the hub reports UP. */
    public ForkedHub start() throws IOException {
        launch();
        Api api = api();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the hub exited with " + process.exitValue() + "; see " + log);
                    }
                    return api.get("/actuator/health", null).status() == 200;
                });
        return this;
    }

    /**
     * Starts the JVM and waits until the hub reports UP or its process ends (a test that kills it may
     * do so while it starts).
     *
     * @return whether the hub is up
     */
    public boolean startUnlessItDies() throws IOException {
        launch();
        Api api = api();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> !process.isAlive() || api.get("/actuator/health", null).status() == 200);
        return process.isAlive();
    }

    /** Whether the hub's JVM runs. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), BatonApplication.class.getName(),
                "--baton.data-dir=" + dataDir, "--baton.users-file=" + usersFile, "--server.port=" + port,
                "--baton.broker.acceptor=", "--baton.deploy.examples=",
                "--baton.sandboxes.salesforce.port=0", "--baton.sandboxes.sap.port=0", "--logging.level.root=WARN",
                "--logging.level.dev.baton=INFO"));
        command.addAll(extraArgs);
        starts++;
        log = dataDir.resolveSibling(dataDir.getFileName() + "-run" + starts + ".log").toFile();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    public Api api() {
        return new Api(port);
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** {@code kill -TERM}; returns the exit code, or -1 if the hub did not exit in time. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
