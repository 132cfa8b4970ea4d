package dev.baton.hub.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
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
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();
    private volatile Process process;
    private Path log;
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
        return awaitReady(Duration.ofSeconds(90));
    }

    /**
     * Starts the JVM and returns at once: its start-up window (HTTP already answering, the hub not ready)
     * is the caller's to probe.
     */
    public ForkedHub launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), BatonApplication.class.getName()));
        // A setting given twice on the command line would be joined with a comma: the test's own wins.
        for (String setting : List.of("--baton.data-dir=" + dataDir, "--baton.users-file=" + usersFile,
                "--server.port=" + port, "--baton.broker.acceptor=", "--baton.deploy.examples=",
                "--baton.sandboxes.salesforce.port=0", "--baton.sandboxes.sap.port=0",
                "--baton.connectors.http.allow-private=127.0.0.1", "--logging.level.root=WARN",
                "--logging.level.dev.baton=INFO")) {
            String key = setting.substring(0, setting.indexOf('=') + 1);
            if (extraArgs.stream().noneMatch(a -> a.startsWith(key))) {
                command.add(setting);
            }
        }
        command.addAll(extraArgs);
        starts++;
        File log = dataDir.resolveSibling(dataDir.getFileName() + "-run" + starts + ".log").toFile();
        this.log = log.toPath();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /** Sets an environment variable of the hub's JVM, from the next start on. */
    public ForkedHub environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Waits until {@code /actuator/health} answers 200 (UP); fails at once if the JVM exits. */
    public ForkedHub awaitReady(Duration within) {
        Api api = api();
        Process started = process;
        // Fails at once when the JVM exits (Awaitility would ignore an error thrown in the condition).
        await().atMost(within).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("the hub exited; see " + log, () -> !started.isAlive())
                .until(() -> api.get("/actuator/health", null).status() == 200);
        return this;
    }

    /** Whether the JVM of the last start still runs. */
    public boolean isAlive() {
        return process != null && process.isAlive();
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

    /** The exit code of the last start's JVM, once it has ended; empty while it runs after {@code within}. */
    public OptionalInt awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    /** The output of the last start. */
    public Path log() {
        return log;
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
