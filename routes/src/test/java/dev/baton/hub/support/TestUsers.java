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
    /** Holds {@code integration}: posts events for any source (a relay). */
    public static final String INTEGRATION = "erp";
    /** Holds {@code integration:shop}: posts to {@code /events/shop} only. */
    public static final String SHOP = "shop-feed";
    /** Holds {@code integration:wms}: the warehouse, posts to {@code /events/wms} only. */
    public static final String WMS = "wms-feed";
    public static final String MANAGER = "mia";
    public static final String CLERK = "carl";
    public static final String DIRECTOR = "dora";
    /** Operator and sales manager at once: starts instances and approves, the four-eyes rule's case. */
    public static final String OPERATING_MANAGER = "otto";
    /** An operator cleared for personal data. */
    public static final String CLEARED_OPERATOR = "pia";
    /** Works the engineering group's tasks (the Flowable example models' candidate groups). */
    public static final String ENGINEER = "eve";
    /** Works the management group's tasks. */
    public static final String SUPPORT_MANAGER = "max";

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
                    SHOP + ":" + password(SHOP) + ":integration:shop",
                    WMS + ":" + password(WMS) + ":integration:wms",
                    MANAGER + ":" + password(MANAGER) + ":sales-manager",
                    CLERK + ":" + password(CLERK) + ":clerk",
                    DIRECTOR + ":" + password(DIRECTOR) + ":sales-director",
                    OPERATING_MANAGER + ":" + password(OPERATING_MANAGER) + ":operator,sales-manager",
                    CLEARED_OPERATOR + ":" + password(CLEARED_OPERATOR) + ":operator,personal-data",
                    ENGINEER + ":" + password(ENGINEER) + ":engineering",
                    SUPPORT_MANAGER + ":" + password(SUPPORT_MANAGER) + ":management"));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
