package dev.baton.model.engine;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;
import dev.baton.model.engine.Effect.Subscribe;
import dev.baton.model.engine.Effect.Unsubscribe;

/**
 * Message-boundary subscriptions follow tokens: a token at a work step with message boundaries is subscribed
 * to each boundary's message from the transition that creates it until the one in which it leaves the step.
 * Worked out once per transition from the tokens before and after it, so a token created and gone within one
 * transition subscribes to nothing.
 */
final class BoundarySubscriptions {

    private final ProcessDefinition def;
    private final Evaluations evaluations;

    BoundarySubscriptions(ProcessDefinition def, Evaluations evaluations) {
        this.def = def;
        this.evaluations = evaluations;
    }

    /**
     * Subscribes the tokens this transition put on steps with message boundaries, and unsubscribes those that
     * left such steps (unless their wait's own unsubscription, which drops every message of the token, is
     * there already).
     *
     * @param viewOf  the variables a path in a scope sees after the transition (the instance's, overlaid by the
     *                locals of its scopes: a multi-instance element), which the boundaries' keys are evaluated over
     * @param effects the transition's effects so far, added to
     */
    void update(Map<String, Token> before, Map<String, Token> after, Function<String, Map<String, Object>> viewOf,
                List<Effect> effects) {
        for (Token t : before.values()) {
            if (!after.containsKey(t.id()) && hasBoundaries(t.step()) && !unsubscribed(t.id(), effects)) {
                effects.add(new Unsubscribe(t.step(), t.id()));
            }
        }
        for (Token t : after.values()) {
            if (!before.containsKey(t.id()) && hasBoundaries(t.step())) {
                for (MessageCatch m : def.step(t.step()).orElseThrow().info().messages()) {
                    effects.add(new Subscribe(t.step(), t.id(), m.message(),
                            evaluations.correlationKey(m.key(), viewOf.apply(t.scope()))));
                }
            }
        }
    }

    private boolean hasBoundaries(String stepId) {
        Step step = def.step(stepId).orElse(null);
        return step != null && step.isWork() && !step.info().messages().isEmpty();
    }

    private static boolean unsubscribed(String tokenId, List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Unsubscribe u && u.token().equals(tokenId)) {
                return true;
            }
        }
        return false;
    }
}
