package dev.baton.model.engine;

import java.util.Map;

/**
 * Everything the decision function needs about one instance. Immutable; the maps are not copied
 * defensively on the hot path, so callers must not modify them.
 *
 * @param instanceId   globally unique
 * @param definitionId the definition it runs
 * @param version      the definition version it keeps for life
 * @param status       as reported by the API
 * @param businessKey  the business transaction it belongs to (a sales-order number, ...), or null
 * @param variables    JSON-shaped data: maps, lists, strings, numbers, booleans, null
 * @param tokens       open paths by token id
 * @param joins        join counters by parallel scope
 * @param seq          last number handed out for tokens and scopes
 */
public record InstanceState(String instanceId, String definitionId, int version, InstanceStatus status,
                            String businessKey, Map<String, Object> variables, Map<String, Token> tokens,
                            Map<String, JoinCounter> joins, long seq) {
}
