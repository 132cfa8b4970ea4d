package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.CROSSES_SUBPROCESS;
import static dev.baton.model.validation.ValidationMessages.CYCLE_WITHOUT_WAIT;
import static dev.baton.model.validation.ValidationMessages.DUPLICATE_STEP_ID;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS;
import static dev.baton.model.validation.ValidationMessages.INCLUSIVE_BRANCH_WITHOUT_JOIN;
import static dev.baton.model.validation.ValidationMessages.RACE_ALTERNATIVE_SHARED;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_TARGET;
import static dev.baton.model.validation.ValidationMessages.UNREACHABLE;
import static dev.baton.model.validation.ValidationRun.element;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.baton.model.definition.ChoiceStep;
import dev.baton.model.definition.EndStep;
import dev.baton.model.definition.ErrorCatch;
import dev.baton.model.definition.InclusiveStep;
import dev.baton.model.definition.JoinStep;
import dev.baton.model.definition.MessageCatch;
import dev.baton.model.definition.ParallelStep;
import dev.baton.model.definition.RaceStep;
import dev.baton.model.definition.Step;
import dev.baton.model.definition.StepTimeout;
import dev.baton.model.definition.SubprocessStep;

/**
 * The checks of how steps lead to each other, along the engine's routing as {@link DefinitionValidator}
 * describes it ({@link #successors}): unique ids, known targets inside the same scope, reachability from
 * the start, forks whose branches meet at one join, races that own their alternatives, and cycles that
 * wait somewhere.
 */
final class GraphChecks {

    private final ValidationRun run;

    GraphChecks(ValidationRun run) {
        this.run = run;
    }

    /** Every graph rule, in the order their problems are reported. */
    void check() {
        checkDuplicateIds();
        checkTargets();
        checkReachability();
        checkForks();
        checkRaces();
        checkCycles();
    }

    /** The steps a step can lead to, in a stable order, nulls left out. */
    static List<String> successors(Step step) {
        List<String> out = new ArrayList<>(2);
        if (step instanceof ChoiceStep choice) {
            for (ChoiceStep.Branch b : choice.branches()) {
                out.add(b.next());
            }
            out.add(choice.otherwise());
        } else if (step instanceof ParallelStep parallel) {
            out.addAll(parallel.branches());
        } else if (step instanceof InclusiveStep inclusive) {
            out.addAll(forkBranches(inclusive));
        } else if (step instanceof RaceStep race) {
            out.addAll(race.alternatives());
        } else if (!(step instanceof EndStep)) {
            out.add(step.next());
        }
        if (step instanceof SubprocessStep sub) {
            out.add(sub.start());
        }
        StepTimeout timeout = step.info().timeout();
        if (timeout != null) {
            out.add(timeout.next());
        }
        for (ErrorCatch c : step.info().catches()) {
            out.add(c.next());
        }
        for (MessageCatch m : step.info().messages()) {
            out.add(m.next());
        }
        out.removeIf(s -> s == null);
        return out;
    }

    /** The first steps of a fork's branches: a parallel step's, an inclusive split's (its default included); else null. */
    private static List<String> forkBranches(Step step) {
        if (step instanceof ParallelStep parallel) {
            return parallel.branches();
        }
        if (step instanceof InclusiveStep inclusive) {
            List<String> out = new ArrayList<>();
            for (ChoiceStep.Branch b : inclusive.branches()) {
                out.add(b.next());
            }
            out.add(inclusive.otherwise());
            out.removeIf(Objects::isNull);
            return out;
        }
        return null;
    }

    /** Whether a step waits for something outside the instance; a sub-process when a step inside does. */
    private static boolean waits(Step step) {
        if (step instanceof SubprocessStep sub) {
            return sub.steps().stream().anyMatch(GraphChecks::waits);
        }
        return step.isWaiting();
    }

    private void checkDuplicateIds() {
        Map<String, List<Step>> byIdAll = new LinkedHashMap<>();
        for (Step s : run.steps()) {
            if (s.id() != null) {
                byIdAll.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<String, List<Step>> e : byIdAll.entrySet()) {
            List<Step> same = e.getValue();
            if (same.size() > 1) {
                // The first one is the step the others are mistaken for: point at the second.
                run.report("step '" + e.getKey() + "'", same.get(1).info().line(), DUPLICATE_STEP_ID, e.getKey(),
                        same.size());
            }
        }
    }

    private void checkTargets() {
        List<Step> steps = run.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            // A sub-process's start is checked as its own field; its other targets lead beside it.
            Set<String> targets = new LinkedHashSet<>(step instanceof SubprocessStep sub
                    ? successorsOutside(sub) : successors(step));
            for (String target : targets) {
                if (!run.has(target)) {
                    run.report(element(step, i + 1), step.info().line(), UNKNOWN_TARGET, step.id(), target);
                } else if (step.id() != null
                        && !Objects.equals(run.enclosing(step.id()), run.enclosing(target))) {
                    run.report(element(step, i + 1), step.info().line(), CROSSES_SUBPROCESS, step.id(),
                            run.where(step.id()), target, run.where(target));
                }
            }
        }
    }

    /** A sub-process's targets but its start: next, escalation and catches, all beside it. */
    private List<String> successorsOutside(SubprocessStep sub) {
        List<String> out = new ArrayList<>(successors(sub));
        out.remove(sub.start());
        return out;
    }

    /**
     * Each alternative of a race is reached through it alone (BPMN: the targets of an event-based
     * gateway have no other incoming flow), so a race's tokens are exactly its alternatives.
     */
    private void checkRaces() {
        Map<String, List<String>> referrers = new LinkedHashMap<>();
        for (Step step : run.distinctSteps()) {
            for (String target : new LinkedHashSet<>(successors(step))) {
                referrers.computeIfAbsent(target, k -> new ArrayList<>()).add(step.id());
            }
        }
        for (Step step : run.distinctSteps()) {
            if (!(step instanceof RaceStep race)) {
                continue;
            }
            for (String id : new LinkedHashSet<>(race.alternatives())) {
                if (!run.has(id)) {
                    continue;
                }
                List<String> others = new ArrayList<>();
                if (id.equals(run.def().start())) {
                    others.add("the definition's start");
                }
                for (String from : referrers.getOrDefault(id, List.of())) {
                    if (!from.equals(race.id())) {
                        others.add("step '" + from + "'");
                    }
                }
                if (!others.isEmpty()) {
                    run.report(element(step, 0), step.info().line(), RACE_ALTERNATIVE_SHARED, id, race.id(),
                            String.join(", ", others));
                }
            }
        }
    }

    private void checkReachability() {
        if (run.def().start() == null || !run.has(run.def().start())) {
            return; // already reported; every step would look unreachable
        }
        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        reached.add(run.def().start());
        queue.add(run.def().start());
        while (!queue.isEmpty()) {
            for (String next : successors(run.step(queue.poll()))) {
                if (run.has(next) && reached.add(next)) {
                    queue.add(next);
                }
            }
        }
        for (Step step : run.distinctSteps()) {
            if (!reached.contains(step.id())) {
                run.report(element(step, 0), step.info().line(), UNREACHABLE, step.id());
            }
        }
    }

    private void checkForks() {
        for (Step step : run.distinctSteps()) {
            List<String> forkBranches = forkBranches(step);
            if (forkBranches == null) {
                continue;
            }
            boolean inclusive = step instanceof InclusiveStep;
            Map<String, List<String>> branchesByJoin = new LinkedHashMap<>();
            for (String branch : new LinkedHashSet<>(forkBranches)) {
                if (branch == null || !run.has(branch)) {
                    continue; // reported as an unknown target
                }
                BranchEnds ends = walkBranch(branch);
                if (ends.withoutJoin) {
                    run.report(element(step, 0), step.info().line(),
                            inclusive ? INCLUSIVE_BRANCH_WITHOUT_JOIN : BRANCH_WITHOUT_JOIN, step.id(), branch);
                }
                for (String join : ends.joins) {
                    branchesByJoin.computeIfAbsent(join, k -> new ArrayList<>()).add(branch);
                }
            }
            if (branchesByJoin.size() > 1) {
                String reached = branchesByJoin.entrySet().stream()
                        .map(e -> "'" + e.getKey() + "' (from " + quoted(e.getValue()) + ")")
                        .collect(Collectors.joining(", "));
                run.report(element(step, 0), step.info().line(),
                        inclusive ? INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS : BRANCHES_REACH_DIFFERENT_JOINS,
                        step.id(), reached);
            }
        }
    }

    /**
     * Follows every path of one branch, counting nested forks, until it reaches a join at depth 0 or
     * ends. A path ending deeper is the nested fork's own problem, reported when that fork is checked.
     */
    private BranchEnds walkBranch(String branch) {
        BranchEnds ends = new BranchEnds();
        // Forks inside loops could nest forever; deeper than the number of steps cannot be meaningful.
        int maxDepth = run.ids().size();
        Set<Position> seen = new HashSet<>();
        Deque<Position> todo = new ArrayDeque<>();
        todo.push(new Position(branch, 0));
        while (!todo.isEmpty()) {
            Position at = todo.pop();
            Step step = run.step(at.step());
            if (step == null || at.depth() > maxDepth || !seen.add(at)) {
                continue;
            }
            int depth = at.depth();
            if (step instanceof JoinStep join) {
                if (depth == 0) {
                    ends.joins.add(join.id());
                } else {
                    follow(join.next(), depth - 1, todo, ends);
                }
            } else if (step instanceof ParallelStep nested) {
                for (String b : nested.branches()) {
                    if (b != null) {
                        todo.push(new Position(b, depth + 1));
                    }
                }
            } else if (step instanceof InclusiveStep nested) {
                for (String b : forkBranches(nested)) {
                    todo.push(new Position(b, depth + 1));
                }
            } else if (step instanceof ChoiceStep || step instanceof RaceStep) {
                for (String alternative : successors(step)) {
                    todo.push(new Position(alternative, depth));
                }
            } else if (step instanceof EndStep end) {
                // A terminating end finishes its scope on purpose, and a thrown error cancels the scope
                // that catches it: nobody waits at the join.
                if (!end.terminate() && end.error() == null && depth == 0) {
                    ends.withoutJoin = true;
                }
            } else {
                follow(step.next(), depth, todo, ends);
                StepTimeout timeout = step.info().timeout();
                // A non-interrupting escalation runs detached and is never joined, so only the
                // interrupting one continues this branch; so does an error path, which interrupts.
                if (timeout != null && timeout.interrupting() && timeout.next() != null) {
                    todo.push(new Position(timeout.next(), depth));
                }
                for (ErrorCatch c : step.info().catches()) {
                    if (c.next() != null) {
                        todo.push(new Position(c.next(), depth));
                    }
                }
                // Like deadlines: an interrupting message boundary continues the branch, the others detach.
                for (MessageCatch m : step.info().messages()) {
                    if (m.interrupting() && m.next() != null) {
                        todo.push(new Position(m.next(), depth));
                    }
                }
            }
        }
        return ends;
    }

    private void follow(String next, int depth, Deque<Position> todo, BranchEnds ends) {
        if (next != null) {
            todo.push(new Position(next, depth));
        } else if (depth == 0) {
            ends.withoutJoin = true;
        }
    }

    private void checkCycles() {
        for (List<String> component : new StrongComponents(run).inSourceOrder()) {
            String first = component.stream().min((a, b) -> run.sourceIndex(a) - run.sourceIndex(b)).orElseThrow();
            boolean loops = component.size() > 1 || successors(run.step(first)).contains(first);
            if (loops && component.stream().noneMatch(id -> waits(run.step(id)))) {
                Step step = run.step(first);
                run.report(element(step, 0), step.info().line(), CYCLE_WITHOUT_WAIT,
                        cycleThrough(first, Set.copyOf(component)));
            }
        }
    }

    /** The shortest cycle from {@code first} back to it inside its component, as {@code a → b → a}. */
    private String cycleThrough(String first, Set<String> component) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(first);
        String last = null;
        while (!queue.isEmpty() && last == null) {
            String at = queue.poll();
            for (String next : successors(run.step(at))) {
                if (next.equals(first)) {
                    last = at;
                    break;
                }
                if (component.contains(next) && !next.equals(first) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        List<String> path = new ArrayList<>();
        for (String at = last; at != null && !at.equals(first); at = cameFrom.get(at)) {
            path.add(0, at);
        }
        path.add(0, first);
        path.add(first);
        return String.join(" → ", path);
    }
    private static String quoted(List<String> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
    }

    private record Position(String step, int depth) {
    }

    /** Where the paths of one branch end: the joins they reach at depth 0, and whether one ends before any. */
    private static final class BranchEnds {
        private final Set<String> joins = new LinkedHashSet<>();
        private boolean withoutJoin;
    }
}
