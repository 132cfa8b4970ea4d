package dev.baton.model.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tarjan's strongly connected components over the existing steps of a run, along
 * {@link GraphChecks#successors}: the cycles {@link GraphChecks} looks into. Used once.
 */
final class StrongComponents {

    private final ValidationRun run;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<List<String>> found = new ArrayList<>();

    StrongComponents(ValidationRun run) {
        this.run = run;
    }

    /** Every component, a single step without a loop included, ordered by its first step in source order. */
    List<List<String>> inSourceOrder() {
        for (String id : run.ids()) {
            if (!index.containsKey(id)) {
                visit(id);
            }
        }
        found.sort((a, b) -> minIndex(a) - minIndex(b));
        return found;
    }

    /**
     * Tarjan's algorithm with an explicit stack of frames (a step and how many of its successors
     * are done), so that a chain of many thousand steps cannot overflow the thread's stack.
     */
    private void visit(String root) {
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(enter(root));
        while (!frames.isEmpty()) {
            Frame frame = frames.peek();
            if (frame.next < frame.successors.size()) {
                String next = frame.successors.get(frame.next++);
                if (!run.has(next)) {
                    continue;
                }
                if (!index.containsKey(next)) {
                    frames.push(enter(next));
                } else if (onStack.contains(next)) {
                    low.put(frame.id, Math.min(low.get(frame.id), index.get(next)));
                }
                continue;
            }
            frames.pop();
            String id = frame.id;
            if (!frames.isEmpty()) {
                String parent = frames.peek().id;
                low.put(parent, Math.min(low.get(parent), low.get(id)));
            }
            if (low.get(id).equals(index.get(id))) {
                List<String> component = new ArrayList<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(id));
                found.add(component);
            }
        }
    }

    private Frame enter(String id) {
        index.put(id, index.size());
        low.put(id, index.get(id));
        stack.push(id);
        onStack.add(id);
        return new Frame(id, GraphChecks.successors(run.step(id)));
    }

    private int minIndex(List<String> component) {
        return component.stream().mapToInt(run::sourceIndex).min().orElse(0);
    }

    /** A step Tarjan's walk is in, and how many of its successors it has followed. */
    private static final class Frame {
        private final String id;
        private final List<String> successors;
        private int next;

        private Frame(String id, List<String> successors) {
            this.id = id;
            this.successors = successors;
        }
    }
}
