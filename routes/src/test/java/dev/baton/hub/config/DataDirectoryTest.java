package dev.baton.hub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.baton.hub.BatonApplication;
import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.TestUsers;

/**
 * The data dir as an earlier version left it (folders {@code rwxr-xr-x}, the H2 file and the Artemis
 * journal {@code rw-r--r--}, readable by every local user): once the hub has started on it, the folder and
 * everything that was in it are owner-only, and what H2 and Artemis created since is inside that folder.
 */
@SpringBootTest(classes = BatonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DataDirectoryTest {

    private static Path dataDir;

    @DynamicPropertySource
    static void dataDirAsAnEarlierVersionLeftIt(DynamicPropertyRegistry registry) throws IOException {
        Path dir = HubTestBase.embeddedDefaultWithoutUsers(registry);
        registry.add("baton.users-file", () -> TestUsers.write(dir.resolveSibling(dir.getFileName() + "-users"))
                .toString());
        for (String file : List.of("db/baton.trace.db", "artemis/journal/left-by-an-earlier-start", "audit/old.key")) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), "written by an earlier start");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        dataDir = dir;
    }

    @Test
    void theDataDirAndEverythingAnEarlierStartLeftInItAreOwnerOnly() throws IOException {
        assertThat(mode(dataDir)).isEqualTo("rwx------");
        for (String folder : List.of("db", "artemis", "artemis/journal", "audit")) {
            assertThat(mode(dataDir.resolve(folder))).as(folder).isEqualTo("rwx------");
        }
        for (String file : List.of("db/baton.trace.db", "artemis/journal/left-by-an-earlier-start", "audit/old.key")) {
            assertThat(mode(dataDir.resolve(file))).as(file).isEqualTo("rw-------");
        }
        // what H2 and Artemis opened since is behind the owner-only folder
        assertThat(dataDir.resolve("db/baton.mv.db")).exists();
        try (Stream<Path> journal = Files.list(dataDir.resolve("artemis/journal"))) {
            assertThat(journal.filter(p -> p.getFileName().toString().endsWith(".amq"))).isNotEmpty();
        }
    }

    @Test
    void aDataDirSharedWithOthersIsLeftAsItIsAndOnlyTheHubsEntriesAreRestricted() throws IOException {
        // given: a world-writable folder, as /tmp is, holding someone else's file and a link out of it
        Path shared = Files.createTempDirectory("baton-shared-");
        Path outside = Files.createTempFile("baton-outside-", ".txt");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(shared.resolve("theirs.txt"), "not the hub's");
        Files.setPosixFilePermissions(shared.resolve("theirs.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(shared.resolve("db"));
        Files.writeString(shared.resolve("db/baton.mv.db"), "the hub's");
        Files.setPosixFilePermissions(shared.resolve("db/baton.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(shared.resolve("credentials"), outside);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        // when
        DataDirectory.protect(shared);

        // then
        assertThat(mode(shared)).isEqualTo("rwxrwxrwx");
        assertThat(mode(shared.resolve("theirs.txt"))).isEqualTo("rw-r--r--");
        assertThat(mode(shared.resolve("db"))).isEqualTo("rwx------");
        assertThat(mode(shared.resolve("db/baton.mv.db"))).isEqualTo("rw-------");
        assertThat(mode(outside)).as("a link's target is not changed").isEqualTo("rw-r--r--");
    }

    @Test
    void aMissingDataDirIsCreatedOwnerOnly() throws IOException {
        Path dir = Files.createTempDirectory("baton-new-").resolve("nested/data");

        DataDirectory.protect(dir);

        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
