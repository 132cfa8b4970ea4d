package dev.baton.governance.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads and writes the users file of the embedded default: one user a line,
 * {@code name:password:role1,role2}; blank lines and lines starting with {@code #} are ignored.
 */
public final class UsersFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private UsersFile() {
    }

    /**
     * @throws IllegalArgumentException naming the line that is malformed
     */
    public static List<UserEntry> parse(List<String> lines, String origin) {
        List<UserEntry> users = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 3);
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isEmpty() || parts[2].isBlank()) {
                throw new IllegalArgumentException("Expected line " + (i + 1) + " of " + origin
                        + " to read name:password:role1,role2, but it does not");
            }
            if (parts[0].strip().length() > UserEntry.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("Expected the user name on line " + (i + 1) + " of " + origin
                        + " to have at most " + UserEntry.MAX_NAME_LENGTH + " characters, but it has "
                        + parts[0].strip().length());
            }
            List<String> roles = Arrays.stream(parts[2].split(",")).map(String::strip).filter(r -> !r.isEmpty())
                    .toList();
            users.add(new UserEntry(parts[0].strip(), parts[1], roles));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("Expected " + origin + " to name at least one user, but it names none");
        }
        return users;
    }

    public static List<UserEntry> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Returns the users in {@code file}, first generating them with random passwords if the file does
     * not exist: one user per built-in role, one per event source ({@code source-<name>} holding
     * {@code integration:<name>}, so each system's credential posts its own events only), and an
     * example approver. The file is created readable by its owner only; passwords are never logged.
     *
     * @param sources the event sources to generate a user for (names as in {@code /events/{source}})
     * @throws IllegalArgumentException when a source name is not valid
     */
    public static List<UserEntry> readOrGenerate(Path file, List<String> sources) throws IOException {
        sources.forEach(Roles::checkSource);
        if (Files.exists(file)) {
            return read(file);
        }
        List<UserEntry> users = new ArrayList<>();
        for (String role : Roles.BUILT_IN) {
            users.add(new UserEntry(role, newPassword(), List.of(role)));
        }
        for (String source : new LinkedHashSet<>(sources)) {
            users.add(new UserEntry(Roles.SOURCE_USER_PREFIX + source, newPassword(),
                    List.of(Roles.integrationFor(source))));
        }
        users.add(new UserEntry("approver", newPassword(), Roles.EXAMPLE_APPROVER_GROUPS));
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# Baton users: name:password:role1,role2 (generated; edit or point BATON_USERS at your own file)");
        users.forEach(u -> lines.add(u.toLine()));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return read(file); // another node generated it first
        }
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return users;
    }

    static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
