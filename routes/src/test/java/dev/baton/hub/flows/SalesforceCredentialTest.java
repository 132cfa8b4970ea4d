package dev.baton.hub.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.hub.BatonApplication;
import dev.baton.hub.support.TestUsers;

/**
 * A wrong Salesforce password (the configured value wins over the sandbox's) makes start-up fail
 * promptly with an error that says what failed where, and the process exits: no hang, and not only a
 * stack trace.
 */
class SalesforceCredentialTest {

    /** The sandbox's integration user, whose password is configured wrong. */
    private static final String USER = SalesforceSandbox.Settings.defaults().username();
    /** The wrong password: the failure says whose login failed, never with what. */
    private static final String WRONG_PASSWORD = "wrong-Pa55-7e1c";
    /**
     * The failure comes about a second after the context is up (the login is the first thing the hub does
     * then); what takes longer is the JVM and Spring start-up, up to 40 s on a busy build machine.
     */
    private static final Duration START_UP_FAILS_WITHIN = Duration.ofSeconds(60);
    /** From the failure report to the end of the process: closing the context, then exit. */
    private static final Duration EXITS_WITHIN = Duration.ofSeconds(15);

    /** Kept when a test fails: the hub's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private Process process;

    @AfterEach
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldExitWithAClearLoginErrorWhenThePasswordIsWrong() throws Exception {
        // given: the hub with its sandboxes, but a wrong Salesforce password
        Path data = Files.createDirectories(tmp.resolve("data"));
        int sandboxPort = freePort();
        String loginUrl = "http://127.0.0.1:" + sandboxPort;
        File log = tmp.resolve("hub.log").toFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), BatonApplication.class.getName()));
        command.addAll(arguments(data, sandboxPort));

        // when: it starts
        long started = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();

        // then: start-up fails and says so
        await().atMost(START_UP_FAILS_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive()
                || Files.readString(log.toPath(), StandardCharsets.UTF_8).contains("APPLICATION FAILED TO START"));
        Duration reported = Duration.ofNanos(System.nanoTime() - started);
        // and the process ends right after (nothing left running keeps the JVM up), non-zero
        await().atMost(EXITS_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(process.exitValue()).as("exit code").isNotZero();
        // and says what failed, where, as whom and why, in plain lines (not only inside a stack trace)
        List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
        List<String> plain = lines.stream().filter(l -> !l.startsWith("\tat ") && !l.startsWith("Caused by")
                && !l.contains("Exception:")).toList();
        assertThat(plain).as("the hub's log, stack traces left out").anySatisfy(l -> assertThat(l)
                .contains("Salesforce login failed at " + loginUrl + " as " + USER)
                .contains("invalid_grant").contains("authentication failure")
                .contains("baton.connectors.salesforce"));
        assertThat(lines).as("the hub's log").contains("APPLICATION FAILED TO START")
                .noneMatch(l -> l.contains("Cannot auto create component"))
                .noneMatch(l -> l.contains(WRONG_PASSWORD));
        System.out.printf("The hub reported the failure after %d ms, exited with %d after %d ms; its log:%n%s%n",
                reported.toMillis(), process.exitValue(), took.toMillis(),
                String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
    }

    @Test
    void shouldFailStartUpInProcessWithAnExceptionNamingSalesforceTheLoginUrlAndTheAnswer() throws Exception {
        // given
        Path data = Files.createDirectories(tmp.resolve("in-process"));
        int sandboxPort = freePort();
        List<String> args = new ArrayList<>(arguments(data, sandboxPort));
        args.add("--camel.main.name=baton-credentials-" + ThreadLocalRandom.current().nextInt(1000, 100_000));

        // when
        long started = System.nanoTime();
        Throwable failure = catchThrowable(() -> {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(BatonApplication.class)
                    .run(args.toArray(String[]::new));
            context.close(); // only if it started, which it must not
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertThat(failure).as("start-up fails").isNotNull();
        assertThat(took).as("time to fail").isLessThan(START_UP_FAILS_WITHIN);
        assertThat(failure.getMessage()).startsWith("Salesforce login failed at http://127.0.0.1:" + sandboxPort
                + " as " + USER + ": invalid_grant authentication failure").contains("baton.connectors.salesforce")
                .doesNotContain(WRONG_PASSWORD);
        System.out.printf("Start-up failed after %d ms: %s%n", took.toMillis(), failure);
    }

    private static List<String> arguments(Path data, int sandboxPort) {
        return List.of("--baton.data-dir=" + data,
                "--baton.users-file=" + TestUsers.write(data.resolveSibling(data.getFileName() + "-users")),
                "--server.port=" + freePort(), "--baton.broker.acceptor=", "--baton.deploy.examples=",
                "--baton.broker.server-id=" + ThreadLocalRandom.current().nextInt(1000, 100_000),
                "--baton.sandboxes.enabled=true", "--baton.sandboxes.salesforce.port=" + sandboxPort,
                "--baton.sandboxes.sap.port=0", "--baton.connectors.salesforce.password=" + WRONG_PASSWORD,
                "--logging.level.root=WARN", "--logging.level.dev.baton=INFO");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
