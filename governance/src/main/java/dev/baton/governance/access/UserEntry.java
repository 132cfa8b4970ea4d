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

    public UserEntry {
        roles = List.copyOf(roles);
    }

    public String toLine() {
        return name + ":" + password + ":" + String.join(",", roles);
    }
}
