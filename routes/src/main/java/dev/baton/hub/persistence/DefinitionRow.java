package dev.baton.hub.persistence;

import java.time.Instant;

/** A deployed definition version with its source. */
public record DefinitionRow(String id, int version, String name, String owner, Long slaMillis, String sourceFormat,
                            String source, String sourceHash, Instant deployedAt, String deployedBy) {
}
