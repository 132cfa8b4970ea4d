package dev.baton.model.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.Effect.Subscribe;
import dev.baton.model.engine.Effect.Unsubscribe;
import dev.baton.model.engine.Event.Cancelled;
import dev.baton.model.engine.Event.ChildEnded;
import dev.baton.model.engine.Event.IncidentRetried;
import dev.baton.model.engine.Event.MessageCorrelated;
import dev.baton.model.engine.Event.StepExecuted;
import dev.baton.model.engine.Event.StepFailed;
import dev.baton.model.engine.Event.TaskCompleted;
import dev.baton.model.engine.Event.TimeoutFired;
import dev.baton.model.engine.Event.TimerFired;

/**
 * The decision function: given an instance's state and what happened, the new state and what the
 * runtime must do. It sequences steps and nothing else: no I/O, no clock (the caller passes
 * {@code now}), expressions only through the {@link ExpressionEvaluator} port. Deterministic for the
 * same inputs, so a transition can be recomputed or tested without a runtime.
 *
 * <p>Idempotency contract: an event for a token that is gone, or for an attempt other than the one
 * the token expects, is ignored ({@link Transition#isIgnored()}). The runtime relies on this to make
 * redelivered commands harmless, and timers (which cannot be recalled) stale once their path is gone.
 *
 * <p>Scopes: a token's {@link Token#scope()} is a path of segments, innermost last: {@code sN} a
 * fork's branches (a parallel split's, or those an inclusive split took), joined by its counter; {@code xN}
 * a detached escalation path, {@code rN} the alternatives of one race, and {@code tN} the inside of the
 * sub-process whose token is {@code tN}.
 * Cancelling a scope (a sub-process's interrupting timeout, a caught error, a terminating end inside it,
 * a race won) closes every token whose scope lies within it; a sub-process completes once no token is
 * left within its scope.
 *
 * <p>Message boundaries ({@link MessageCatch}): a token at a work step with message boundaries is subscribed to
 * each boundary's message from the transition that creates it until the one in which it leaves the step, however
 * it leaves ({@link Subscribe} per message, one {@link Unsubscribe} for all). A correlated boundary message
 * ({@link MessageCorrelated#message()} names it) abandons the step as an interrupting deadline does, or starts its
 * path in a detached scope beside the still-subscribed step, once per message.
 *
 * <p>Multi-instance steps ({@code StepInfo#multi()}): entering one evaluates its collection and creates the
 * token of its <em>body</em> (waiting, at the step, holding the {@link LoopState} and the step's timeout), whose
 * instances run in scope {@code mN} ({@code N} the body token's number), each in its own scope {@code mN/iK}
 * ({@code K} its 0-based index) as a token at the same step. Instance scopes hold the instance's local variables
 * (its element and {@code loopCounter}), {@code mN} the counters ({@code nrOfInstances}, {@code numberOfInstances},
 * ...); every expression evaluated for a token sees them over the instance's
 * variables ({@link InstanceState#variablesFor}). The body completes once every instance has completed, or its
 * completion condition holds (the others are cancelled), and only then continues at the step's {@code next}.
 * Its timeout and catches apply to the body: they cancel every instance.
 *
 * <p>This class is the entry point and the event dispatch; one transition is worked out by a package-private
 * {@link Decision}, with {@link Evaluations} (what expressions give), {@link BoundarySubscriptions} and
 * {@link Scopes} (scope paths).
 */
public final class Engine {

    /** The failure type of a multi-instance step whose collection is not a JSON array or cannot be evaluated. */
    public static final String NOT_A_COLLECTION = "BATON-MI-001";
    /** The local variable that holds an instance's 1-based number, as in Zeebe. */
    public static final String LOOP_COUNTER = "loopCounter";
    /**
     * Counters of a multi-instance body, local to it and seen by its instances and its completion condition: under
     * Camunda 7's and Flowable's names ({@code nrOf…}) and Zeebe's ({@code numberOf…}), so that either vendor's
     * completion conditions read them.
     */
    public static final String NR_OF_INSTANCES = "nrOfInstances";
    public static final String NR_OF_ACTIVE_INSTANCES = "nrOfActiveInstances";
    public static final String NR_OF_COMPLETED_INSTANCES = "nrOfCompletedInstances";
    public static final String NUMBER_OF_INSTANCES = "numberOfInstances";
    public static final String NUMBER_OF_ACTIVE_INSTANCES = "numberOfActiveInstances";
    public static final String NUMBER_OF_COMPLETED_INSTANCES = "numberOfCompletedInstances";
    /** The names the engine sets local to a multi-instance step's instances: no element variable may take one. */
    public static final Set<String> LOOP_VARIABLES = Set.of(LOOP_COUNTER, NR_OF_INSTANCES,
            NR_OF_ACTIVE_INSTANCES, NR_OF_COMPLETED_INSTANCES, NUMBER_OF_INSTANCES, NUMBER_OF_ACTIVE_INSTANCES,
            NUMBER_OF_COMPLETED_INSTANCES);

    /** Routing steps one transition may pass before it is treated as a loop without a wait. */
    public static final int MAX_ROUTING_HOPS = 1_000;

    private final ExpressionEvaluator expressions;

    public Engine(ExpressionEvaluator expressions) {
        this.expressions = expressions;
    }

    /** Starts an instance: routes from the start step to the first work steps. */
    public Transition start(ProcessDefinition def, String instanceId, String businessKey,
                            Map<String, Object> variables, Instant now) {
        return start(def, instanceId, businessKey, variables, now, false);
    }

    /**
     * Starts an instance, possibly for another instance's call activity ({@code called}): an error no step of
     * a called instance catches ends it and goes to its caller ({@link Effect.ThrowToCaller}).
     */
    public Transition start(ProcessDefinition def, String instanceId, String businessKey,
                            Map<String, Object> variables, Instant now, boolean called) {
        InstanceState initial = new InstanceState(instanceId, def.id(), def.version(), InstanceStatus.RUNNING,
                businessKey, variables == null ? Map.of() : variables, Map.of(), Map.of(), 0, Map.of(), Map.of(),
                called);
        Decision d = new Decision(expressions, def, initial, now);
        d.enter(def.start(), "");
        return d.finish(Intent.INSTANCE_STARTED);
    }

    /** Applies an event to a running instance. */
    public Transition apply(ProcessDefinition def, InstanceState state, Event event, Instant now) {
        if (state.status().isFinal()) {
            return Transition.ignored(state, "instance is " + state.status());
        }
        if (event instanceof Cancelled) {
            Decision d = new Decision(expressions, def, state, now);
            d.endAll(InstanceStatus.CANCELLED, "instance cancelled");
            return d.finish(Intent.INSTANCE_CANCELLED);
        }
        Token token = state.tokens().get(event.token());
        String step = stepOf(event);
        if (token == null || !token.step().equals(step)) {
            return Transition.ignored(state, "token " + event.token() + " is no longer at step '" + step + "'");
        }
        Step definitionStep = def.step(step).orElseThrow(
                () -> new IllegalStateException("Step '" + step + "' is not in " + def.id() + "@" + def.version()));
        Decision d = new Decision(expressions, def, state, now);
        if (event instanceof StepExecuted e) {
            return d.executed(definitionStep, token, e);
        } else if (event instanceof StepFailed e) {
            return d.failed(definitionStep, token, e);
        } else if (event instanceof TimerFired) {
            return d.resumed(definitionStep, token, definitionStep instanceof TimerStep, null, Intent.TIMER_FIRED);
        } else if (event instanceof MessageCorrelated e && isBoundaryMessage(definitionStep, e.message())) {
            return d.boundaryMessage(definitionStep, token, e);
        } else if (event instanceof MessageCorrelated e) {
            return d.resumed(definitionStep, token, definitionStep instanceof WaitStep,
                    definitionStep instanceof WaitStep w ? messageVariables(w, e.data()) : null,
                    Intent.MESSAGE_CORRELATED);
        } else if (event instanceof TaskCompleted e) {
            return d.resumed(definitionStep, token, definitionStep instanceof HumanTaskStep, e.variables(),
                    Intent.TASK_COMPLETED);
        } else if (event instanceof TimeoutFired) {
            return d.timedOut(definitionStep, token);
        } else if (event instanceof IncidentRetried) {
            return d.retried(definitionStep, token);
        } else if (event instanceof ChildEnded e) {
            return d.childEnded(definitionStep, token, e);
        }
        throw new IllegalArgumentException("Unknown event " + event);
    }

    /**
     * Parks a token in an incident whatever it was doing: for failures that happen while deciding
     * (an expression that cannot be evaluated, a routing loop), which no retry of the step can fix.
     */
    public Transition raiseIncident(ProcessDefinition def, InstanceState state, String tokenId, int attempt,
                                    Failure failure, Instant now) {
        Token token = state.tokens().get(tokenId);
        if (state.status().isFinal() || token == null) {
            return Transition.ignored(state, "token " + tokenId + " is not open");
        }
        Decision d = new Decision(expressions, def, state, now);
        return d.incident(token, attempt, failure);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> messageVariables(WaitStep wait, Object data) {
        if (wait.resultVariable() != null) {
            Map<String, Object> one = new HashMap<>();
            one.put(wait.resultVariable(), data);
            return one;
        }
        if (data instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> one = new HashMap<>();
        one.put(wait.id(), data);
        return one;
    }

    /** Whether a message is for one of the step's boundaries rather than for the wait step itself. */
    private static boolean isBoundaryMessage(Step step, String message) {
        return message != null && !(step instanceof WaitStep wait && message.equals(wait.message()));
    }

    private static String stepOf(Event event) {
        if (event instanceof StepExecuted e) {
            return e.step();
        } else if (event instanceof StepFailed e) {
            return e.step();
        } else if (event instanceof TimerFired e) {
            return e.step();
        } else if (event instanceof TimeoutFired e) {
            return e.step();
        } else if (event instanceof MessageCorrelated e) {
            return e.step();
        } else if (event instanceof TaskCompleted e) {
            return e.step();
        } else if (event instanceof IncidentRetried e) {
            return e.step();
        } else if (event instanceof ChildEnded e) {
            return e.step();
        }
        return null;
    }

    /**
     * A choice or inclusive split where no condition holds and there is no default path (a BPMN gateway
     * without default flow): the token that reached it cannot go on. The runtime parks that token in an
     * incident naming the step, which a retry re-decides, as Camunda and Zeebe do.
     */
    public static final class NoPathException extends RuntimeException {
        private final String step;

        public NoPathException(Step gateway) {
            super("No condition of " + gateway.kind() + " '" + gateway.id()
                    + "' holds and it has no default path ('otherwise', a default flow)");
            this.step = gateway.id();
        }

        /** The choice or inclusive split where the path stopped. */
        public String step() {
            return step;
        }
    }

    /** Routing passed too many choices, forks and joins in one transition: a loop without a wait. */
    public static final class RoutingLoopException extends RuntimeException {
        public RoutingLoopException(String stepId, int hops) {
            super("Routing reached step '" + stepId + "' after " + hops
                    + " routing steps without a work step: a loop with no wait");
        }
    }
}
