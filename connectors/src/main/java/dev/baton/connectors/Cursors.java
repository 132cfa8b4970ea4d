package dev.baton.connectors;

import java.util.Optional;

/** Durable positions of inbound routes, stored by the hub, so a restart resumes where it stopped. */
public interface Cursors {

    Optional<String> read(String name);

    void write(String name, String position);
}
