package dev.baton.connectors.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.baton.connectors.ConnectorCodes;

/**
 * Values a definition names but never holds: {@code {{secret:crm-token}}} is resolved when a call is sent,
 * from the secrets file ({@code name=value} lines, {@code #} comments) or else from the environment variable
 * {@code BATON_SECRET_CRM_TOKEN}. The file must be readable by its owner only. It is looked at (one
 * {@code stat}) at every resolution and read again when its modification time, size, inode or permissions
 * changed, so a rotated secret is used from the next call on; the environment is fixed for the process's life.
 * Thread-safe.
 */
public final class Secrets {

    /** A reference: {@code {{secret:<name>}}}, the name letters, digits, {@code _ . -}. */
    public static final Pattern REFERENCE = Pattern.compile("\\{\\{secret:([A-Za-z0-9][A-Za-z0-9_.-]*)}}");
    /** Prefix of the environment variables holding secrets. */
    public static final String ENVIRONMENT_PREFIX = "BATON_SECRET_";
    /** The setting naming the secrets file. */
    public static final String FILE_SETTING = "baton.secrets.file";

    private record Snapshot(Object version, Map<String, String> values) {
    }

    private final Path file;
    private final Map<String, String> environment;
    private volatile Snapshot snapshot;

    /**
     * @param file        the secrets file, or null for none
     * @param environment the process environment ({@code System.getenv()})
     * @throws IllegalStateException when the file is missing, unreadable, or readable by group or others
     */
    public Secrets(Path file, Map<String, String> environment) {
        this.file = file;
        this.environment = Map.copyOf(environment);
        if (file != null) {
            try {
                snapshot = read();
            } catch (SecretUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /** No file, no environment: every reference is unknown. */
    public static Secrets none() {
        return new Secrets(null, Map.of());
    }

    /** The environment variable that holds secret {@code name}: {@code crm-token} → {@code BATON_SECRET_CRM_TOKEN}. */
    public static String environmentName(String name) {
        return ENVIRONMENT_PREFIX + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The secret names {@code text} refers to, in order. */
    public static List<String> references(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Whether {@code name} is known now (the file as it is now, then the environment). */
    public boolean has(String name) {
        try {
            return value(name).isPresent();
        } catch (SecretUnavailableException e) {
            return false;
        }
    }

    /**
     * {@code text} with every reference replaced by its secret's value.
     *
     * @throws SecretUnavailableException when a name is unknown or the file cannot be read, naming the secret
     *                                    (never a value)
     */
    public String resolve(String text) throws SecretUnavailableException {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = value(name).orElseThrow(() -> new SecretUnavailableException(ConnectorCodes.SECRET_UNKNOWN,
                    "Secret '" + name + "' is in neither " + describeFile() + " nor the environment variable "
                            + environmentName(name)));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Optional<String> value(String name) throws SecretUnavailableException {
        if (file != null) {
            String v = current().values().get(name);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.ofNullable(environment.get(environmentName(name)));
    }

    private Snapshot current() throws SecretUnavailableException {
        Snapshot s = snapshot;
        if (s != null && Objects.equals(s.version(), version())) {
            return s;
        }
        synchronized (this) {
            snapshot = read();
            return snapshot;
        }
    }

    private Object version() throws SecretUnavailableException {
        try {
            BasicFileAttributes a = Files.getFileAttributeView(file, PosixFileAttributeView.class) != null
                    ? Files.readAttributes(file, PosixFileAttributes.class)
                    : Files.readAttributes(file, BasicFileAttributes.class);
            Object permissions = a instanceof PosixFileAttributes p ? p.permissions() : "";
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()), permissions);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private Snapshot read() throws SecretUnavailableException {
        try {
            Object version = version();
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new SecretUnavailableException(ConnectorCodes.SECRET_FILE, FILE_SETTING + " " + file
                            + " may be read by others than its owner (" + PosixFilePermissions.toString(perms)
                            + "): chmod 600 it");
                }
            }
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    // The line may be a value pasted on its own: never quote it.
                    throw new SecretUnavailableException(ConnectorCodes.SECRET_FILE, FILE_SETTING + " " + file
                            + " has a line that is not name=value");
                }
                values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
            return new Snapshot(version, Map.copyOf(values));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private SecretUnavailableException unreadable(IOException e) {
        String why = e instanceof NoSuchFileException ? "does not exist" : "cannot be read: " + e.getMessage();
        return new SecretUnavailableException(ConnectorCodes.SECRET_FILE, FILE_SETTING + " " + file + " " + why);
    }

    private String describeFile() {
        return file == null ? "a secrets file (" + FILE_SETTING + " is not set)" : "the secrets file " + file;
    }
}
