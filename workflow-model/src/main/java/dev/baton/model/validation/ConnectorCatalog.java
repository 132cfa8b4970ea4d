package dev.baton.model.validation;

import java.util.Set;

/** Port: the connector operations the hub can call. Implementations answer from memory, no I/O. */
public interface ConnectorCatalog {

    /** Every known operation, as {@code <connector>.<operation>}. */
    Set<String> operations();

    default boolean has(String operation) {
        return operations().contains(operation);
    }

    static ConnectorCatalog of(Set<String> operations) {
        Set<String> copy = Set.copyOf(operations);
        return () -> copy;
    }
}
