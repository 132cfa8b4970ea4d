package dev.baton.hub.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PostgreSQL the *IT tests use: {@code BATON_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code BATON_TEST_POSTGRES_USER} default
 * {@code postgres}). {@code .ci/run} starts it when it is not running.
 */
public final class Postgres {

    private Postgres() {
    }

    public static String url() {
        return System.getenv().getOrDefault("BATON_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String user() {
        return System.getenv().getOrDefault("BATON_TEST_POSTGRES_USER", "postgres");
    }

    /** Spring properties for a hub whose tables live in their own, new schema. */
    public static Map<String, String> properties(String schema) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("spring.datasource.username", user());
        p.put("spring.datasource.password", System.getenv().getOrDefault("BATON_TEST_POSTGRES_PASSWORD", ""));
        p.put("spring.flyway.schemas", schema);
        p.put("spring.flyway.create-schemas", "true");
        return p;
    }
}
