package dev.baton.hub.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.baton.hub.HubCodes;

/**
 * Makes the data dir owner-only before anything opens a file in it: it holds the H2 database (user
 * {@code sa}, no password), the Artemis journal (every command and its variables), the generated
 * credentials and the audit signing key. The folder becomes {@code rwx------} and everything in it
 * {@code rwx------} (folders) or {@code rw-------} (files), so files left by an earlier start are fixed too;
 * files H2 and Artemis create later get the process's umask, but nobody else can reach them through an
 * owner-only folder. Runs as a bean factory post-processor: before any bean (the data source, the broker)
 * is made. Symbolic links are neither followed nor changed. Without POSIX permissions (Windows) it does
 * nothing.
 *
 * <p>A data dir that is not the hub's alone (a file system root, the home or temp folder, a world-writable
 * folder) is left as it is, with a warning, and only the hub's own entries in it are made owner-only.
 */
@Component
public final class DataDirectory implements BeanFactoryPostProcessor, EnvironmentAware {

    /** What the hub keeps in its data dir. */
    static final List<String> HUB_ENTRIES = List.of("db", "artemis", "audit", "credentials", "hub.running");

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Path dir = Binder.get(environment).bind("baton.data-dir", Path.class).orElse(Path.of("./data"));
        protect(dir);
    }

    /** Creates the data dir if need be and makes it, and what is in it, owner-only; see the class comment. */
    public static void protect(Path dataDir) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, FOLDER);
                return;
            }
            if (shared(dir)) {
                LOG.warn("{} the data dir {} is not the hub's alone; it is left as it is and only the hub's own"
                        + " entries in it ({}) are made owner-only: give the hub a folder of its own",
                        HubCodes.DATA_DIR_SHARED, dir, String.join(", ", HUB_ENTRIES));
                for (String entry : HUB_ENTRIES) {
                    restrict(dir.resolve(entry));
                }
                return;
            }
            restrict(dir);
        } catch (IOException e) {
            LOG.warn("{} the data dir {} could not be made owner-only: {}", HubCodes.DATA_DIR_PERMISSIONS, dir,
                    e.toString());
        }
    }

    /** Whether others keep things in this folder too, so that changing its mode would change theirs. */
    private static boolean shared(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (real.getParent() == null) {
            return true;
        }
        for (String property : List.of("user.home", "java.io.tmpdir")) {
            String value = System.getProperty(property);
            if (value != null && Files.exists(Path.of(value)) && Path.of(value).toRealPath().equals(real)) {
                return true;
            }
        }
        return Files.getPosixFilePermissions(real).contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** The path and everything below it owner-only; missing paths are skipped, links are not followed. */
    private static void restrict(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                set(folder, FOLDER);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    set(file, FILE);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                LOG.warn("{} {} could not be read to make it owner-only: {}", HubCodes.DATA_DIR_PERMISSIONS, file,
                        e.toString());
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void set(Path path, Set<PosixFilePermission> permissions) {
        try {
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(permissions)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("{} {} could not be made owner-only: {}", HubCodes.DATA_DIR_PERMISSIONS, path, e.toString());
        }
    }
}
