package dev.baton.hub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The users every test hub runs with (a users file, as {@code BATON_USERS} names one). */
public final class TestUsers {

    public static final String ADMIN = "admin";
    public static final String DEVELOPER = "dev";
    public static final String OPERATOR = "ops";
    public static final String AUDITOR = "audit";
    public static final String INTEGRATION = "erp";
    public static final String MANAGER = "mia";
    public static final String CLERK = "carl";
    public static final String DIRECTOR = "dora";
    /** An operator cleared for personal data. */
    public static final String CLEARED_OPERATOR = "pia";

    private TestUsers() {
    }

    public static String password(String user) {
        return user + "-secret";
    }

    /** Writes the users file into {@code dir} and returns its path. */
    public static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("users.txt");
            Files.write(file, List.of(
                    ADMIN + ":" + password(ADMIN) + ":admin",
                    DEVELOPER + ":" + password(DEVELOPER) + ":developer",
                    OPERATOR + ":" + password(OPERATOR) + ":operator",
                    AUDITOR + ":" + password(AUDITOR) + ":auditor",
                    INTEGRATION + ":" + password(INTEGRATION) + ":integration",
                    MANAGER + ":" + password(MANAGER) + ":sales-manager",
                    CLERK + ":" + password(CLERK) + ":clerk",
                    DIRECTOR + ":" + password(DIRECTOR) + ":sales-director",
                    CLEARED_OPERATOR + ":" + password(CLEARED_OPERATOR) + ":operator,personal-data"));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
