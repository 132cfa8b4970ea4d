package dev.baton.model.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param locals       variables local to a scope, by scope ({@code m4} a multi-instance step's body, {@code m4/i0}
 *                     its first instance): what a token sees over {@code variables} (see {@link #variablesFor})
 * @param loops        the multi-instance steps running, by the id of the token that holds their body
 * @param called       whether another instance's call activity started this one: an error no step catches then
 *                     ends it and goes to the caller, instead of stopping in an incident here
 */
public record InstanceState(String instanceId, String definitionId, int version, InstanceStatus status,
                            String businessKey, Map<String, Object> variables, Map<String, Token> tokens,
                            Map<String, JoinCounter> joins, long seq, Map<String, Map<String, Object>> locals,
                            Map<String, LoopState> loops, boolean called) {

    /** An instance nobody called. */
    public InstanceState(String instanceId, String definitionId, int version, InstanceStatus status,
                         String businessKey, Map<String, Object> variables, Map<String, Token> tokens,
                         Map<String, JoinCounter> joins, long seq, Map<String, Map<String, Object>> locals,
                         Map<String, LoopState> loops) {
        this(instanceId, definitionId, version, status, businessKey, variables, tokens, joins, seq, locals, loops,
                false);
    }

    public InstanceState {
        locals = locals == null ? Map.of() : locals;
        loops = loops == null ? Map.of() : loops;
    }

    /** An instance without scope-local variables or multi-instance steps running. */
    public InstanceState(String instanceId, String definitionId, int version, InstanceStatus status,
                         String businessKey, Map<String, Object> variables, Map<String, Token> tokens,
                         Map<String, JoinCounter> joins, long seq) {
        this(instanceId, definitionId, version, status, businessKey, variables, tokens, joins, seq, Map.of(), Map.of(),
                false);
    }

    /**
     * The variables a token sees: the instance's, overlaid by the locals of every scope it lies in, outer ones
     * first (inside an instance of a multi-instance step: its element and {@code loopCounter}). Every expression
     * evaluated for a token, and every step action run for one, sees this view. The instance's variables when
     * the token is unknown or no local applies.
     */
    public Map<String, Object> variablesFor(String tokenId) {
        Token token = tokens.get(tokenId);
        return token == null ? variables : overlay(variables, locals, token.scope());
    }

    /** The view of a scope: {@code variables} overlaid by the locals of {@code scope} and the scopes around it. */
    static Map<String, Object> overlay(Map<String, Object> variables, Map<String, Map<String, Object>> locals,
                                       String scope) {
        if (locals.isEmpty() || scope == null || scope.isEmpty()) {
            return variables;
        }
        Map<String, Object> view = null;
        int from = 0;
        while (true) {
            int cut = scope.indexOf('/', from);
            Map<String, Object> own = locals.get(cut < 0 ? scope : scope.substring(0, cut));
            if (own != null) {
                if (view == null) {
                    view = new LinkedHashMap<>(variables);
                }
                view.putAll(own);
            }
            if (cut < 0) {
                break;
            }
            from = cut + 1;
        }
        return view == null ? variables : Collections.unmodifiableMap(view);
    }
}
