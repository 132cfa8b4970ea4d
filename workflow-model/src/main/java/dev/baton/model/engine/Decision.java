package dev.baton.model.engine;

import static dev.baton.model.engine.Engine.LOOP_COUNTER;
import static dev.baton.model.engine.Engine.MAX_ROUTING_HOPS;
import static dev.baton.model.engine.Engine.NOT_A_COLLECTION;
import static dev.baton.model.engine.Scopes.child;
import static dev.baton.model.engine.Scopes.innerScope;
import static dev.baton.model.engine.Scopes.loopScope;
import static dev.baton.model.engine.Scopes.parent;
import static dev.baton.model.engine.Scopes.segment;
import static dev.baton.model.engine.Scopes.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.baton.model.definition.CallActivityStep;
import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.HumanTaskStep;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.MultiInstance;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;
import dev.baton.model.definition.TimerStep;
import dev.baton.model.definition.WaitStep;
import dev.baton.model.engine.Effect.CloseTask;
import dev.baton.model.engine.Effect.CreateTask;
import dev.baton.model.engine.Effect.ExecuteStep;
import dev.baton.model.engine.Effect.RaiseIncident;
import dev.baton.model.engine.Effect.ScheduleTimer;
import dev.baton.model.engine.Effect.Subscribe;
import dev.baton.model.engine.Effect.Unsubscribe;
import dev.baton.model.engine.Engine.RoutingLoopException;
import dev.baton.model.engine.Event.ChildEnded;
import dev.baton.model.engine.Event.MessageCorrelated;
import dev.baton.model.engine.Event.StepExecuted;
import dev.baton.model.engine.Event.StepFailed;

/**
 * One transition under construction: copies of the state's parts, changed in place, and the effects
 * gathered on the way. {@link Engine} makes one per call and hands it the event; how tokens move is
 * here: routing through gateways, joins and ends, scopes and their cancelling, sub-processes, error
 * propagation, multi-instance bodies and message-boundary subscriptions. Not thread-safe; used once.
 */
final class Decision {

    private final ExpressionEvaluator expressions;
    private final Evaluations evaluations;
    private final ProcessDefinition def;
    private final InstanceState before;
    private final Instant now;
    private Map<String, Object> variables;
    private boolean variablesCopied;
    private final Map<String, Token> tokens;
    private final Map<String, JoinCounter> joins;
    private final Map<String, Map<String, Object>> locals;
    private final Map<String, LoopState> loops;
    private long seq;
    private InstanceStatus endedAs;
    private final List<Effect> effects = new ArrayList<>(2);
    private int hops;
    /** Scopes a path left or ended in during this transition: their sub-processes may have completed. */
    private final Set<String> touched = new LinkedHashSet<>();

    Decision(ExpressionEvaluator expressions, ProcessDefinition def, InstanceState state, Instant now) {
        this.expressions = expressions;
        this.evaluations = new Evaluations(expressions, state.businessKey());
        this.def = def;
        this.before = state;
        this.now = now;
        this.variables = state.variables();
        this.tokens = new LinkedHashMap<>(state.tokens());
        this.joins = state.joins().isEmpty() ? new HashMap<>(2) : new HashMap<>(state.joins());
        this.locals = state.locals().isEmpty() ? new HashMap<>(2) : new HashMap<>(state.locals());
        this.loops = state.loops().isEmpty() ? new HashMap<>(2) : new HashMap<>(state.loops());
        this.seq = state.seq();
    }

    Transition executed(Step step, Token token, StepExecuted e) {
        if (token.status() != TokenStatus.QUEUED || token.attempt() != e.attempt()) {
            return Transition.ignored(before, "attempt " + e.attempt() + " of token " + token.id()
                    + " already handled (token is " + token.status() + " at attempt " + token.attempt() + ")");
        }
        Intent done = e.attempt() == 1 ? Intent.STEP_EXECUTED : Intent.STEP_RETRIED;
        if (step.isWaiting()) {
            tokens.put(token.id(), token.with(TokenStatus.WAITING));
            openWait(step, token);
            settle();
            // A sub-process whose paths all ended at once has completed already.
            return finish(tokens.containsKey(token.id()) ? Intent.STEP_WAITING : done);
        }
        merge(e.outputs());
        proceed(step, token);
        return finish(done);
    }

    Transition failed(Step step, Token token, StepFailed e) {
        if (token.status() != TokenStatus.QUEUED || token.attempt() != e.attempt()) {
            return Transition.ignored(before, "attempt " + e.attempt() + " of token " + token.id()
                    + " already handled (token is " + token.status() + " at attempt " + token.attempt() + ")");
        }
        if (e.failure().retryable() && token.attempt() < token.lastAttempt()) {
            Token next = token.nextAttempt(token.lastAttempt());
            tokens.put(token.id(), next);
            Instant at = now.plus(def.retryOf(step).backoffAfter(token.attempt()));
            effects.add(new ExecuteStep(step.id(), token.id(), next.attempt(), at));
            return finish(Intent.STEP_FAILED);
        }
        return failedForGood(step, token, e.failure());
    }

    /** A step's failure no retry fixes: its type is an error code an error boundary may catch, else an incident. */
    private Transition failedForGood(Step step, Token token, Failure failure) {
        String code = failure.type();
        String reason = "error " + code + " of '" + step.id() + "'";
        ErrorCatch own = step.info().catchOf(code);
        Token body = bodyOf(token);
        if (own != null && body != null) {
            // A catch of a multi-instance step is a boundary of its body: every instance is cancelled.
            closeLoop(body, reason + ", caught by '" + step.id() + "'");
            enter(own.next(), leave(body));
            return finish(Intent.ERROR_CAUGHT);
        }
        if (own != null) {
            closeWait(step, token, reason);
            enter(own.next(), leave(token));
            return finish(Intent.ERROR_CAUGHT);
        }
        if (propagate(code, token.scope(), reason)) {
            return finish(Intent.ERROR_CAUGHT);
        }
        tokens.put(token.id(), token.with(TokenStatus.INCIDENT));
        effects.add(new RaiseIncident(step.id(), token.id(), token.attempt(), failure));
        return finish(Intent.INCIDENT_RAISED);
    }

    /**
     * The child instance of a call activity ended: completed, its variables come back through the
     * step's output and the path continues; cancelled, the step fails for good with
     * {@link CallActivityStep#CANCELLED}. A child of an earlier attempt (started before an incident's
     * retry) is stale.
     */
    Transition childEnded(Step step, Token token, ChildEnded e) {
        if (!(step instanceof CallActivityStep call) || token.status() != TokenStatus.WAITING
                || token.attempt() != e.attempt()) {
            return Transition.ignored(before, "child instance " + e.child() + " of attempt " + e.attempt()
                    + " does not apply to token " + token.id() + " (" + token.status() + " at attempt "
                    + token.attempt() + " of " + step.kind() + " step '" + step.id() + "')");
        }
        if (e.error() != null) {
            tokens.put(token.id(), token.with(TokenStatus.QUEUED));
            return failedForGood(step, token.with(TokenStatus.QUEUED), new Failure(e.error(), "Error " + e.error()
                    + " thrown in instance " + e.child() + " of '" + call.definition() + "', called by step '"
                    + step.id() + "'", false, List.of("error=" + e.error(), "instance=" + e.child())));
        }
        if (!e.completed()) {
            tokens.put(token.id(), token.with(TokenStatus.QUEUED));
            return failedForGood(step, token.with(TokenStatus.QUEUED), Failure.permanent(CallActivityStep.CANCELLED,
                    "Instance " + e.child() + " of '" + call.definition() + "', called by step '" + step.id()
                            + "', was cancelled"));
        }
        merge(evaluations.childOutputs(call, e.variables()));
        proceed(step, token);
        return finish(Intent.CHILD_COMPLETED);
    }

    Transition incident(Token token, int attempt, Failure failure) {
        tokens.put(token.id(), new Token(token.id(), token.step(), token.scope(), TokenStatus.INCIDENT,
                Math.max(attempt, token.attempt()), token.lastAttempt(), token.escalated()));
        effects.add(new RaiseIncident(token.step(), token.id(), Math.max(attempt, token.attempt()), failure));
        return finish(Intent.INCIDENT_RAISED);
    }

    Transition resumed(Step step, Token token, boolean kindMatches, Map<String, Object> outputs, Intent event) {
        if (!kindMatches || token.status() != TokenStatus.WAITING) {
            return Transition.ignored(before, event + " does not apply to token " + token.id() + " ("
                    + token.status() + " at " + step.kind() + " step '" + step.id() + "')");
        }
        if (step instanceof HumanTaskStep) {
            effects.add(new CloseTask(step.id(), token.id(), "completed"));
        } else if (step instanceof WaitStep) {
            effects.add(new Unsubscribe(step.id(), token.id()));
        }
        merge(outputs);
        proceed(step, token);
        return finish(event);
    }

    Transition timedOut(Step step, Token token) {
        StepTimeout timeout = step.info().timeout();
        if (timeout == null) {
            return Transition.ignored(before, "step '" + step.id() + "' has no deadline");
        }
        if (timeout.interrupting()) {
            if (step instanceof SubprocessStep) {
                cancelScope(innerScope(token), "deadline of '" + step.id() + "' passed");
            }
            if (loops.containsKey(token.id())) {
                closeLoop(token, "deadline of '" + step.id() + "' passed");
            }
            closeWait(step, token, "deadline passed");
            enter(timeout.next(), leave(token));
        } else {
            if (token.escalated()) {
                // Its deadline command came again (redelivered after a crash before the broker heard
                // of the commit): the path it starts has started.
                return Transition.ignored(before, "the deadline of token " + token.id() + " at '" + step.id()
                        + "' has passed already");
            }
            tokens.put(token.id(), token.escalate());
            // A detached scope: the escalation path runs beside the step and is never joined.
            enter(timeout.next(), token.scope() + "/x" + (++seq));
        }
        return finish(Intent.STEP_ESCALATED);
    }

    /**
     * A message for one of the step's boundaries, whatever the token is doing there (queued, waiting, in an
     * incident): interrupting, the step is abandoned as by an interrupting deadline and the path continues at
     * the boundary's {@code next}; else {@code next} starts in a detached scope and the step stays open.
     */
    Transition boundaryMessage(Step step, Token token, MessageCorrelated e) {
        MessageCatch boundary = null;
        for (MessageCatch m : step.info().messages()) {
            if (m.message().equals(e.message())) {
                boundary = m;
                break;
            }
        }
        if (boundary == null) {
            return Transition.ignored(before, "step '" + step.id() + "' has no boundary for message "
                    + e.message());
        }
        merge(boundaryVariables(e.data()));
        if (boundary.interrupting()) {
            String reason = "message " + e.message() + " for '" + step.id() + "'";
            if (step instanceof SubprocessStep) {
                cancelScope(innerScope(token), reason);
            }
            closeWait(step, token, reason);
            enter(boundary.next(), leave(token));
        } else {
            // A detached scope, as a non-interrupting deadline's: the path runs beside the step, never joined.
            enter(boundary.next(), child(token.scope(), "x" + (++seq)));
        }
        return finish(Intent.MESSAGE_CORRELATED);
    }

    Transition retried(Step step, Token token) {
        if (token.status() != TokenStatus.INCIDENT) {
            return Transition.ignored(before, "token " + token.id() + " has no incident (" + token.status() + ")");
        }
        if (!step.isWork()) {
            return Transition.ignored(before, "the incident of token " + token.id() + " is an error no step"
                    + " catches, thrown at '" + step.id() + "': running it again throws it again");
        }
        if (loops.containsKey(token.id())) {
            return Transition.ignored(before, "token " + token.id() + " is the body of multi-instance step '"
                    + step.id() + "', which has no work of its own: retry its instances' incidents");
        }
        if (step.info().multi() != null && bodyOf(token) == null) {
            // The collection could not be evaluated or was no JSON array: entering the step evaluates it again.
            tokens.remove(token.id());
            activate(step, token.scope());
            return finish(Intent.INCIDENT_RETRIED);
        }
        Token next = token.nextAttempt(token.attempt() + def.retryOf(step).maxAttempts());
        tokens.put(token.id(), next);
        effects.add(new ExecuteStep(step.id(), token.id(), next.attempt(), null));
        return finish(Intent.INCIDENT_RETRIED);
    }

    void endAll(InstanceStatus status, String reason) {
        // Work started earlier in this same transition must not run for an ended instance.
        effects.removeIf(e -> (e instanceof ExecuteStep x && tokens.containsKey(x.token()))
                || (e instanceof ScheduleTimer y && tokens.containsKey(y.token())));
        for (Token t : tokens.values()) {
            def.step(t.step()).ifPresent(s -> closeWait(s, t, reason));
        }
        tokens.clear();
        joins.clear();
        locals.clear();
        loops.clear();
        endedAs = status;
    }

    private void advance(String next, String scope) {
        if (next != null) {
            enter(next, scope);
        }
    }

    void enter(String stepId, String scope) {
        if (endedAs != null) {
            return;
        }
        if (++hops > MAX_ROUTING_HOPS) {
            throw new RoutingLoopException(stepId, MAX_ROUTING_HOPS);
        }
        Step step = def.step(stepId).orElseThrow(() -> new IllegalStateException(
                "Step '" + stepId + "' is not in " + def.id() + "@" + def.version()));
        if (step instanceof ChoiceStep choice) {
            enter(evaluations.choose(choice, viewOf(scope)), scope);
        } else if (step instanceof ParallelStep parallel) {
            String inner = child(scope, "s" + (++seq));
            joins.put(inner, new JoinCounter(parallel.branches().size(), 0));
            for (String branch : parallel.branches()) {
                enter(branch, inner);
            }
        } else if (step instanceof RaceStep race) {
            String inner = child(scope, "r" + (++seq));
            for (String alternative : race.alternatives()) {
                enter(alternative, inner);
            }
        } else if (step instanceof InclusiveStep inclusive) {
            List<String> taken = evaluations.takenBranches(inclusive, viewOf(scope));
            String inner = child(scope, "s" + (++seq));
            joins.put(inner, new JoinCounter(taken.size(), 0));
            for (String branch : taken) {
                enter(branch, inner);
            }
        } else if (step instanceof JoinStep join) {
            arrive(join, scope);
        } else if (step instanceof EndStep end) {
            touched.add(scope);
            if (end.error() != null) {
                throwError(end, scope);
            } else if (end.terminate()) {
                terminate(end, scope);
            }
        } else {
            activate(step, scope);
        }
    }

    private void arrive(JoinStep join, String scope) {
        JoinCounter counter = joins.get(scope);
        if (counter == null) {
            return; // not inside a fork (a detached escalation path): the path ends here
        }
        counter = counter.arrive();
        if (join.first()) {
            discriminate(join, scope, counter);
        } else if (counter.complete()) {
            joins.remove(scope);
            advance(join.next(), parent(scope));
        } else {
            joins.put(scope, counter);
        }
    }

    /**
     * A structured discriminator: the first arrival continues, later ones end their paths here; the
     * counter goes once every branch has arrived, so a loop back to the fork starts a new round.
     */
    private void discriminate(JoinStep join, String scope, JoinCounter counter) {
        if (counter.complete()) {
            joins.remove(scope);
        } else {
            joins.put(scope, counter);
        }
        if (counter.arrived() == 1) {
            advance(join.next(), parent(scope));
        }
    }

    private void activate(Step step, String scope) {
        if (step.info().multi() != null) {
            loop(step, scope);
            return;
        }
        String id = "t" + (++seq);
        int lastAttempt = def.retryOf(step).maxAttempts();
        tokens.put(id, new Token(id, step.id(), scope, TokenStatus.QUEUED, 1, lastAttempt));
        effects.add(new ExecuteStep(step.id(), id, 1, null));
        StepTimeout timeout = step.info().timeout();
        if (timeout != null) {
            effects.add(new ScheduleTimer(step.id(), id, now.plus(timeout.after()), Intent.ESCALATE_STEP));
        }
    }

    private void openWait(Step step, Token token) {
        if (step instanceof TimerStep timer) {
            effects.add(new ScheduleTimer(step.id(), token.id(),
                    timer.date() != null ? timer.date() : now.plus(timer.duration()), Intent.FIRE_TIMER));
        } else if (step instanceof HumanTaskStep task) {
            effects.add(new CreateTask(step.id(), token.id(), task.title() != null ? task.title() : task.name(),
                    task.candidateRoles(), task.due() == null ? null : now.plus(task.due()),
                    evaluations.assignee(task, viewOf(token.scope()))));
        } else if (step instanceof WaitStep wait) {
            effects.add(new Subscribe(step.id(), token.id(), wait.message(),
                    evaluations.correlationKey(wait.key(), viewOf(token.scope()))));
        } else if (step instanceof CallActivityStep call) {
            effects.add(new Effect.StartChild(step.id(), token.id(), token.attempt(), call.definition(),
                    call.version(), evaluations.childVariables(call, viewOf(token.scope()))));
        } else if (step instanceof SubprocessStep sub) {
            String inner = innerScope(token);
            touched.add(inner); // a sub-process whose paths end at once completes in this transition
            enter(sub.start(), inner);
        } else {
            throw new IllegalStateException("Step '" + step.id() + "' does not wait");
        }
    }

    /** Removes a token that leaves its step; returns the scope its path continues in. */
    private String leave(Token token) {
        tokens.remove(token.id());
        loops.remove(token.id());
        touched.add(token.scope());
        String scope = token.scope();
        if (segment(scope).startsWith("r")) {
            // The first alternative of a race to happen wins; the others are withdrawn.
            cancelScope(scope, "race won by '" + token.step() + "'");
            return parent(scope);
        }
        return scope;
    }

    /**
     * Closes every token within a scope (tasks closed, subscriptions dropped, incidents closed; timers
     * already scheduled find their token gone), drops work this transition started there, and the
     * scope's join counters.
     */
    private void cancelScope(String scope, String reason) {
        Set<String> ids = new LinkedHashSet<>();
        for (Token t : tokens.values()) {
            if (within(t.scope(), scope)) {
                ids.add(t.id());
            }
        }
        if (!ids.isEmpty()) {
            effects.removeIf(e -> (e instanceof ExecuteStep x && ids.contains(x.token()))
                    || (e instanceof ScheduleTimer y && ids.contains(y.token())));
            for (String id : ids) {
                Token t = tokens.remove(id);
                def.step(t.step()).ifPresent(s -> closeWait(s, t, reason));
            }
            loops.keySet().removeAll(ids);
        }
        joins.keySet().removeIf(k -> within(k, scope));
        locals.keySet().removeIf(k -> within(k, scope));
    }

    /**
     * An error thrown by an end step: the innermost enclosing sub-process that catches its code takes
     * it; when none does, the path stops in an incident at the end step, naming the code.
     */
    private void throwError(EndStep end, String scope) {
        String code = end.error();
        if (propagate(code, scope, "error " + code + " thrown at '" + end.id() + "'")) {
            return;
        }
        if (before.called()) {
            // BPMN: an error a called process does not catch goes to the call activity that called it
            endAll(InstanceStatus.CANCELLED, "error " + code + " thrown at '" + end.id() + "' to the caller");
            effects.add(new Effect.ThrowToCaller(end.id(), code));
            return;
        }
        String id = "t" + (++seq);
        tokens.put(id, new Token(id, end.id(), scope, TokenStatus.INCIDENT, 1, 1));
        effects.add(new RaiseIncident(end.id(), id, 1, new Failure(code, "Error " + code
                + " thrown at end step '" + end.id() + "' is caught by no enclosing step", false,
                List.of("error=" + code))));
    }

    /**
     * Hands an error to the innermost sub-process enclosing {@code scope} that catches its code: its
     * scope is cancelled and the path continues at the catch's step, beside the sub-process.
     *
     * @return false when no enclosing sub-process catches it
     */
    private boolean propagate(String code, String scope, String reason) {
        for (String s = scope; !s.isEmpty(); s = parent(s)) {
            Token holder = holderOf(s);
            if (holder == null) {
                continue;
            }
            Step sub = def.step(holder.step()).orElseThrow();
            ErrorCatch caught = sub.info().catchOf(code);
            Token body = bodyOf(holder);
            if (caught != null && body != null) {
                // Caught by a multi-instance sub-process: its body, with every instance, is cancelled.
                closeLoop(body, reason + ", caught by '" + sub.id() + "'");
                enter(caught.next(), leave(body));
                return true;
            }
            if (caught != null) {
                cancelScope(s, reason + ", caught by '" + sub.id() + "'");
                closeWait(sub, holder, reason);
                enter(caught.next(), leave(holder));
                return true;
            }
        }
        return false;
    }

    /** A terminating end inside a sub-process ends that sub-process's paths, which completes it; else the instance. */
    private void terminate(EndStep end, String scope) {
        for (String s = scope; !s.isEmpty(); s = parent(s)) {
            Token holder = holderOf(s);
            if (holder != null) {
                cancelScope(s, "sub-process '" + holder.step() + "' terminated at '" + end.id() + "'");
                complete(holder);
                return;
            }
        }
        endAll(InstanceStatus.COMPLETED, "instance terminated at '" + end.id() + "'");
    }

    /** Completes every sub-process left without a token inside, innermost first, and continues after it. */
    private void settle() {
        while (endedAs == null && !touched.isEmpty()) {
            Iterator<String> next = touched.iterator();
            String scope = next.next();
            next.remove();
            for (String s = scope; !s.isEmpty(); s = parent(s)) {
                Token holder = holderOf(s);
                if (holder == null) {
                    continue;
                }
                // Only the innermost can be empty: the holder itself is inside the outer ones.
                if (holder.status() == TokenStatus.WAITING && !anyWithin(s)) {
                    complete(holder);
                }
                break;
            }
        }
    }

    private void complete(Token holder) {
        String inner = innerScope(holder);
        joins.keySet().removeIf(k -> within(k, inner));
        proceed(def.step(holder.step()).orElseThrow(), holder);
    }

    /** The open sub-process whose inside is the scope {@code s} ends with, or null. */
    private Token holderOf(String s) {
        String segment = segment(s);
        if (!segment.startsWith("t")) {
            return null;
        }
        Token holder = tokens.get(segment);
        return holder != null && def.step(holder.step()).orElse(null) instanceof SubprocessStep ? holder : null;
    }

    private boolean anyWithin(String scope) {
        for (Token t : tokens.values()) {
            if (within(t.scope(), scope)) {
                return true;
            }
        }
        return false;
    }

    private void closeWait(Step step, Token token, String reason) {
        if (loops.containsKey(token.id())) {
            return; // a multi-instance body waits for its instances, which are closed one by one
        }
        if (token.status() == TokenStatus.INCIDENT) {
            effects.add(new Effect.CloseIncident(step.id(), token.id(), reason));
            return;
        }
        if (token.status() != TokenStatus.WAITING) {
            return;
        }
        if (step instanceof HumanTaskStep) {
            effects.add(new CloseTask(step.id(), token.id(), reason));
        } else if (step instanceof WaitStep) {
            effects.add(new Unsubscribe(step.id(), token.id()));
        } else if (step instanceof CallActivityStep) {
            effects.add(new Effect.CancelChild(step.id(), token.id(), reason));
        }
    }

    private void merge(Map<String, Object> outputs) {
        if (outputs == null || outputs.isEmpty()) {
            return;
        }
        if (!variablesCopied) {
            variables = new LinkedHashMap<>(variables);
            variablesCopied = true;
        }
        variables.putAll(outputs);
    }

    /** The variables a path in {@code scope} sees: the instance's, overlaid by the locals of its scopes. */
    private Map<String, Object> viewOf(String scope) {
        return InstanceState.overlay(variables, locals, scope);
    }

    /**
     * A token's step is done: its path continues at the step's next, or, for an instance of a multi-instance
     * step, the instance has completed.
     */
    private void proceed(Step step, Token token) {
        Token body = bodyOf(token);
        if (body == null) {
            advance(step.next(), leave(token));
        } else {
            instanceCompleted(step, body, token);
        }
    }

    /**
     * Enters a multi-instance step: evaluates its collection once (an incident at the step when that is not
     * a JSON array), then starts its body and the first instance (sequential) or all of them (parallel). An
     * empty collection passes the step: its {@code collect} variable becomes an empty list.
     */
    private void loop(Step step, String scope) {
        MultiInstance multi = step.info().multi();
        Object collection;
        try {
            collection = expressions.evaluate(multi.collection(), viewOf(scope));
        } catch (ExpressionEvaluator.EvaluationException e) {
            loopIncident(step, scope, e instanceof ExpressionEvaluator.LimitExceeded
                    ? ExpressionEvaluator.LIMIT_EXCEEDED : NOT_A_COLLECTION,
                    "Could not evaluate the collection of multi-instance step '" + step.id() + "': "
                            + e.getMessage());
            return;
        }
        if (!(collection instanceof List<?> elements)) {
            loopIncident(step, scope, NOT_A_COLLECTION, "Expected the collection of multi-instance step '"
                    + step.id() + "' (" + multi.collection().text() + ") to be a JSON array, but it is "
                    + typeOf(collection));
            return;
        }
        if (elements.isEmpty()) {
            if (multi.collect() != null) {
                Map<String, Object> empty = new HashMap<>();
                empty.put(multi.collect(), new ArrayList<>());
                merge(empty);
            }
            advance(step.next(), scope);
            return;
        }
        String id = "t" + (++seq);
        tokens.put(id, new Token(id, step.id(), scope, TokenStatus.WAITING, 1, 1));
        loops.put(id, new LoopState(step.id(), new ArrayList<>(elements), 0, 0, null));
        StepTimeout timeout = step.info().timeout();
        if (timeout != null) {
            effects.add(new ScheduleTimer(step.id(), id, now.plus(timeout.after()), Intent.ESCALATE_STEP));
        }
        Token body = tokens.get(id);
        int first = multi.sequential() ? 1 : elements.size();
        for (int i = 0; i < first; i++) {
            startInstance(step, body, i);
        }
    }

    private void loopIncident(Step step, String scope, String code, String message) {
        String id = "t" + (++seq);
        tokens.put(id, new Token(id, step.id(), scope, TokenStatus.INCIDENT, 1, 1));
        effects.add(new RaiseIncident(step.id(), id, 1, new Failure(code, message, false,
                List.of("collection=" + step.info().multi().collection()))));
    }

    /** Starts the instance for element {@code index}: its locals, and its token queued at the step. */
    private void startInstance(Step step, Token body, int index) {
        LoopState loop = loops.get(body.id()).start(1);
        loops.put(body.id(), loop);
        String scope = child(loopScope(body), "i" + index);
        Map<String, Object> own = new LinkedHashMap<>();
        own.put(step.info().multi().element(), loop.elements().get(index));
        own.put(LOOP_COUNTER, index + 1);
        locals.put(scope, own);
        counters(body, loop);
        String id = "t" + (++seq);
        tokens.put(id, new Token(id, step.id(), scope, TokenStatus.QUEUED, 1, def.retryOf(step).maxAttempts()));
        effects.add(new ExecuteStep(step.id(), id, 1, null));
    }

    /**
     * An instance completed: its result is kept at its index; then the completion condition, the next
     * instance (sequential), or the end of the body once none is left.
     */
    private void instanceCompleted(Step step, Token body, Token instance) {
        MultiInstance multi = step.info().multi();
        String scope = instance.scope();
        int index = Integer.parseInt(segment(scope).substring(1));
        leave(instance);
        LoopState loop = loops.get(body.id());
        counters(body, loop.complete(index, null));
        Map<String, Object> view = viewOf(scope);
        Object result = multi.collect() == null ? null
                : multi.result() == null ? view.get(multi.element()) : expressions.evaluate(multi.result(), view);
        loop = loop.complete(index, result);
        loops.put(body.id(), loop);
        boolean all = loop.completed() >= loop.elements().size();
        boolean met = !all && multi.completion() != null && expressions.test(multi.completion(), view);
        locals.remove(scope);
        if (all || met) {
            closeLoop(body, "completion condition of '" + step.id() + "' met");
            if (multi.collect() != null) {
                Map<String, Object> collected = new HashMap<>();
                collected.put(multi.collect(), new ArrayList<>(loop.results()));
                merge(collected);
            }
            advance(step.next(), leave(body));
        } else if (multi.sequential()) {
            startInstance(step, body, loop.started());
        }
    }

    /**
     * Ends a multi-instance body's instances: cancels those still running and drops their locals (leaving the
     * body drops its loop state).
     */
    private void closeLoop(Token body, String reason) {
        cancelScope(loopScope(body), reason);
    }

    private void counters(Token body, LoopState loop) {
        locals.put(loopScope(body), loop.counters());
    }

    /** The body of the multi-instance step whose instance {@code token} is, or null when it is none. */
    private Token bodyOf(Token token) {
        String scope = token.scope();
        if (!segment(scope).startsWith("i")) {
            return null;
        }
        String loop = segment(parent(scope));
        if (!loop.startsWith("m")) {
            return null;
        }
        Token body = tokens.get("t" + loop.substring(1));
        return body != null && loops.containsKey(body.id()) ? body : null;
    }

    Transition finish(Intent event) {
        settle();
        new BoundarySubscriptions(def, evaluations).update(before.tokens(), tokens, this::viewOf, effects);
        InstanceStatus status;
        if (endedAs != null) {
            status = endedAs;
        } else if (tokens.isEmpty()) {
            status = InstanceStatus.COMPLETED;
        } else {
            boolean anyIncident = false;
            boolean allWaiting = true;
            for (Token t : tokens.values()) {
                anyIncident |= t.status() == TokenStatus.INCIDENT;
                allWaiting &= t.status() == TokenStatus.WAITING;
            }
            status = anyIncident ? InstanceStatus.FAILED
                    : allWaiting ? InstanceStatus.WAITING : InstanceStatus.RUNNING;
        }
        InstanceState after = new InstanceState(before.instanceId(), before.definitionId(), before.version(),
                status, before.businessKey(), variables, Collections.unmodifiableMap(tokens),
                Collections.unmodifiableMap(joins), seq, Collections.unmodifiableMap(locals),
                Collections.unmodifiableMap(loops), before.called());
        return new Transition(after, List.copyOf(effects), event, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> boundaryVariables(Object data) {
        // As Zeebe's message variables: a document's fields are merged; anything else has no name to go by.
        return data instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    /** What a value is, for messages: {@code a string ("x")}, {@code an object}, {@code null}. */
    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Map<?, ?>) {
            return "an object";
        } else if (value instanceof String s) {
            return "a string (\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\")";
        } else if (value instanceof Number n) {
            return "a number (" + n + ")";
        } else if (value instanceof Boolean b) {
            return "a boolean (" + b + ")";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
