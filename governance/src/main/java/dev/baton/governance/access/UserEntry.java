package dev.baton.governance.access;

import java.util.List;

/**
 * One line of a users file: {@code name:password:role1,role2}.
 *
 * @param name     login name
 * @param password clear text as written in the file (the hub hashes it in memory)
 * @param roles    at least one
 */
public record UserEntry(String name, String password, List<String> roles) {

    /** The longest user name: what the hub records as who started, completed or deployed something holds no more. */
    public static final int MAX_NAME_LENGTH = 100;

    public UserEntry {
        roles = List.copyOf(roles);
    }

    /** Never the password: whoever prints an entry (a debugger, a log line) must not leak it. */
    @Override
    public String toString() {
        return "UserEntry[name=" + name + ", password=****, roles=" + roles + "]";
    }

    public String toLine() {
        return name + ":" + password + ":" + String.join(",", roles);
    }
}
