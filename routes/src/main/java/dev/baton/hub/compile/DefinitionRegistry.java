package dev.baton.hub.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.springframework.stereotype.Component;

/** The definitions compiled on this node, every version, by id. */
@Component
public class DefinitionRegistry {

    private final Map<String, NavigableMap<Integer, CompiledDefinition>> byId = new ConcurrentHashMap<>();

    void register(CompiledDefinition compiled) {
        byId.computeIfAbsent(compiled.id(), id -> new ConcurrentSkipListMap<>()).put(compiled.version(), compiled);
    }

    public Optional<CompiledDefinition> get(String id, int version) {
        NavigableMap<Integer, CompiledDefinition> versions = byId.get(id);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /** The newest version: the one new instances take. */
    public Optional<CompiledDefinition> latest(String id) {
        NavigableMap<Integer, CompiledDefinition> versions = byId.get(id);
        return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** The newest version of every definition. */
    public List<CompiledDefinition> latestOfEach() {
        List<CompiledDefinition> latest = new ArrayList<>();
        byId.values().forEach(v -> {
            if (!v.isEmpty()) {
                latest.add(v.lastEntry().getValue());
            }
        });
        return latest;
    }

    /** Every compiled version of every definition. */
    public List<CompiledDefinition> all() {
        List<CompiledDefinition> all = new ArrayList<>();
        byId.values().forEach(v -> all.addAll(v.values()));
        return all;
    }
}
