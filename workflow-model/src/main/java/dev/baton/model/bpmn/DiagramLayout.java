package dev.baton.model.bpmn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simple automatic layout for BPMNDI, good enough for a modeler to draw a definition: layered left
 * to right by the longest path from the start (back edges of loops left out), nodes of one layer
 * stacked vertically, each as near its first predecessor's row as a free row allows; boundary events
 * sit on their activity's lower edge, side by side; edges run orthogonally, loops back below the nodes
 * they join. An expanded sub-process is a node whose inside is laid out the same way by a layout of its
 * own ({@link #expanded}), drawn within its bounds; columns are as wide, and rows as high, as their
 * largest node. Not thread-safe; one instance per diagram.
 */
final class DiagramLayout {

    /** A shape's size, as bpmn.io draws the kind. */
    enum Shape {
        EVENT(36, 36), TASK(100, 80), GATEWAY(50, 50);

        final double width;
        final double height;

        Shape(double width, double height) {
            this.width = width;
            this.height = height;
        }
    }

    record Bounds(double x, double y, double width, double height) {
        double centerX() {
            return x + width / 2;
        }

        double centerY() {
            return y + height / 2;
        }

        double right() {
            return x + width;
        }

        double bottom() {
            return y + height;
        }
    }

    record Point(double x, double y) {
    }

    private static final double COLUMN = 170;
    private static final double ROW = 130;
    /** The space between two columns, and between two rows. */
    private static final double COLUMN_GAP = COLUMN - Shape.TASK.width;
    private static final double ROW_GAP = ROW - Shape.TASK.height;
    /** The margin between an expanded sub-process's border and what is inside. */
    private static final double PADDING = 30;
    private static final double LEFT = 100;
    private static final double TOP = 100;
    /** How far into the space between two columns an edge turns. */
    private static final double GAP = 20;
    /** How far a boundary event sits from its activity's right edge. */
    private static final double BOUNDARY_INSET = 12;

    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final Map<String, String[]> edges = new LinkedHashMap<>();
    private final Map<String, DiagramLayout> inners = new LinkedHashMap<>();
    /** After {@link #place}: this level's bounds, and each node's cell (its column's and row's extent). */
    private final Map<String, Bounds> placed = new LinkedHashMap<>();
    private final Map<String, Bounds> cells = new HashMap<>();
    /**
     * After {@link #place}: each row's shapes (boundary events in their activity's row) sorted by x, and
     * each node's row. A shape lies within its row's band, so an edge's horizontal run can only be in the
     * way of shapes of its own row: {@link #crosses} looks there, not at every shape.
     */
    private final Map<Integer, List<Bounds>> rowShapes = new HashMap<>();
    private final Map<Integer, Double> rowWidest = new HashMap<>();
    private final Map<String, Integer> rowOf = new HashMap<>();

    void node(String id, Shape shape) {
        shapes.put(id, shape);
    }

    /** An expanded sub-process: a node drawn around the returned layout of its inside. */
    DiagramLayout expanded(String id) {
        shapes.put(id, Shape.TASK);
        return inners.computeIfAbsent(id, k -> new DiagramLayout());
    }

    /** A boundary event on an activity, placed by the activity. */
    void boundary(String id, String host) {
        hosts.put(id, host);
    }

    void edge(String id, String source, String target) {
        edges.put(id, new String[] {source, target});
    }

    /** The bounds of every node and boundary event, those inside expanded sub-processes included; call after adding them all. */
    Map<String, Bounds> bounds() {
        return place(LEFT, TOP);
    }

    /** Lays this level out with its first column at x and first row at y; returns every bounds, nested ones too. */
    private Map<String, Bounds> place(double x, double y) {
        Map<String, List<String>> successors = new LinkedHashMap<>();
        Set<String> escalations = new HashSet<>();
        shapes.keySet().forEach(id -> successors.put(id, new ArrayList<>()));
        for (String[] e : edges.values()) {
            String source = hosts.getOrDefault(e[0], e[0]);
            if (successors.containsKey(source) && shapes.containsKey(e[1])) {
                successors.get(source).add(e[1]);
                if (hosts.containsKey(e[0])) {
                    escalations.add(source + "\u0000" + e[1]);
                }
            }
        }
        Set<String> back = backEdges(successors);
        Map<String, List<String>> predecessors = new HashMap<>();
        Map<String, Integer> missing = new HashMap<>();
        shapes.keySet().forEach(id -> {
            predecessors.put(id, new ArrayList<>());
            missing.put(id, 0);
        });
        successors.forEach((s, ts) -> {
            for (String t : ts) {
                if (!back.contains(s + "\u0000" + t)) {
                    predecessors.get(t).add(s);
                    missing.merge(t, 1, Integer::sum);
                }
            }
        });
        // Kahn's order, ties in insertion order; longest path gives the layer
        Map<String, Integer> layer = new LinkedHashMap<>();
        Map<String, Integer> row = new HashMap<>();
        Map<Integer, Set<Integer>> taken = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        shapes.keySet().stream().filter(id -> missing.get(id) == 0).forEach(ready::add);
        while (!ready.isEmpty()) {
            String id = ready.poll();
            int l = predecessors.get(id).stream().mapToInt(p -> layer.get(p) + 1).max().orElse(0);
            layer.put(id, l);
            int desired = 0;
            if (!predecessors.get(id).isEmpty()) {
                String first = predecessors.get(id).get(0);
                // an escalation path starts below its activity, where the boundary event sits
                desired = row.get(first) + (escalations.contains(first + "\u0000" + id) ? 1 : 0);
            }
            Set<Integer> rows = taken.computeIfAbsent(l, k -> new HashSet<>());
            int r = desired;
            while (rows.contains(r)) {
                r++;
            }
            rows.add(r);
            row.put(id, r);
            for (String t : successors.get(id)) {
                if (!back.contains(id + "\u0000" + t) && missing.merge(t, -1, Integer::sum) == 0) {
                    ready.add(t);
                }
            }
        }
        // sizes: an expanded sub-process is as large as its inside, laid out at the origin to measure it
        Map<String, double[]> size = new HashMap<>();
        Map<Integer, Double> width = new HashMap<>();
        Map<Integer, Double> height = new HashMap<>();
        for (String id : layer.keySet()) {
            double[] wh = inners.containsKey(id) ? inners.get(id).extent()
                    : new double[] {shapes.get(id).width, shapes.get(id).height};
            size.put(id, wh);
            width.merge(layer.get(id), Math.max(wh[0], Shape.TASK.width), Math::max);
            height.merge(row.get(id), Math.max(wh[1], Shape.TASK.height), Math::max);
        }
        Map<Integer, Double> left = offsets(width, x, COLUMN_GAP);
        Map<Integer, Double> top = offsets(height, y, ROW_GAP);
        placed.clear();
        cells.clear();
        for (String id : layer.keySet()) {
            int l = layer.get(id);
            int r = row.get(id);
            Bounds cell = new Bounds(left.get(l), top.get(r), width.get(l), height.get(r));
            double[] wh = size.get(id);
            cells.put(id, cell);
            placed.put(id, new Bounds(cell.centerX() - wh[0] / 2, cell.centerY() - wh[1] / 2, wh[0], wh[1]));
        }
        Map<String, Integer> onHost = new HashMap<>();
        hosts.forEach((id, host) -> {
            Bounds h = placed.get(host);
            if (h != null) {
                int n = onHost.merge(host, 1, Integer::sum) - 1;
                placed.put(id, new Bounds(h.right() - 36 - BOUNDARY_INSET - n * (36 + BOUNDARY_INSET), h.bottom() - 18, 36, 36));
                cells.put(id, cells.get(host));
            }
        });
        indexRows(row);
        Map<String, Bounds> out = new LinkedHashMap<>(placed);
        inners.forEach((id, inner) -> {
            Bounds b = placed.get(id);
            if (b != null) {
                out.putAll(inner.place(b.x() + PADDING, b.y() + PADDING));
            }
        });
        return out;
    }

    private void indexRows(Map<String, Integer> row) {
        rowShapes.clear();
        rowWidest.clear();
        rowOf.clear();
        placed.forEach((id, b) -> {
            Integer r = row.get(hosts.getOrDefault(id, id));
            if (r != null) {
                rowOf.put(id, r);
                rowShapes.computeIfAbsent(r, k -> new ArrayList<>()).add(b);
                rowWidest.merge(r, b.width(), Math::max);
            }
        });
        rowShapes.values().forEach(shapesOfRow -> shapesOfRow.sort(Comparator.comparingDouble(Bounds::x)));
    }

    /** Where each column (or row) starts: after the ones before it and a gap each. */
    private static Map<Integer, Double> offsets(Map<Integer, Double> sizes, double start, double gap) {
        Map<Integer, Double> out = new HashMap<>();
        double at = start;
        int last = sizes.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (int i = 0; i <= last; i++) {
            out.put(i, at);
            at += sizes.getOrDefault(i, 0.0) + gap;
        }
        return out;
    }

    /** Width and height of an expanded sub-process around this layout: its extent and the padding. */
    private double[] extent() {
        double right = 0;
        double bottom = 0;
        for (Bounds b : place(0, 0).values()) {
            right = Math.max(right, b.right());
            bottom = Math.max(bottom, b.bottom());
        }
        return new double[] {Math.max(right + 2 * PADDING, Shape.TASK.width), Math.max(bottom + 2 * PADDING, Shape.TASK.height)};
    }

    /** Waypoints of every edge between laid-out nodes, those inside expanded sub-processes included; after {@link #bounds}. */
    Map<String, List<Point>> waypoints() {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        edges.forEach((id, e) -> {
            Bounds s = placed.get(e[0]);
            Bounds t = placed.get(e[1]);
            if (s == null || t == null) {
                return;
            }
            Bounds sc = cells.get(e[0]);
            Bounds tc = cells.get(e[1]);
            List<Point> points = new ArrayList<>();
            if (hosts.containsKey(e[0])) {
                // from a boundary event: down into the space below the activity's row, out to the gap
                // after its column, then to the target's row and into its left side
                double below = Math.max(s.bottom(), sc.bottom()) + GAP / 2;
                double gap = sc.right() + GAP;
                points.add(new Point(s.centerX(), s.bottom()));
                points.add(new Point(s.centerX(), below));
                points.add(new Point(gap, below));
                points.add(new Point(gap, t.centerY()));
                points.add(new Point(t.x(), t.centerY()));
            } else if (t.x() > s.right() && crosses(e[0], e[1], s, t, sc, tc)) {
                // a shape in the way: along the free channel below both rows, turning in the column gaps
                double leave = sc.right() + GAP;
                double in = tc.x() - GAP;
                double channel = Math.max(sc.bottom(), tc.bottom()) + ROW_GAP / 2;
                points.add(new Point(s.right(), s.centerY()));
                points.add(new Point(leave, s.centerY()));
                points.add(new Point(leave, channel));
                points.add(new Point(in, channel));
                points.add(new Point(in, t.centerY()));
                points.add(new Point(t.x(), t.centerY()));
            } else if (t.x() > s.right()) {
                points.add(new Point(s.right(), s.centerY()));
                if (s.centerY() != t.centerY()) {
                    // turn in the gap between columns: after the source when branching out (downwards),
                    // before the target when merging (upwards), so the vertical run crosses no shape
                    points.add(new Point(turn(s, t, sc, tc), s.centerY()));
                    points.add(new Point(turn(s, t, sc, tc), t.centerY()));
                }
                points.add(new Point(t.x(), t.centerY()));
            } else {
                // back to an earlier layer: below both nodes
                double below = Math.max(s.bottom(), t.bottom()) + 30;
                points.add(new Point(s.centerX(), s.bottom()));
                points.add(new Point(s.centerX(), below));
                points.add(new Point(t.centerX(), below));
                points.add(new Point(t.centerX(), t.bottom()));
            }
            out.put(id, points);
        });
        inners.values().forEach(inner -> out.putAll(inner.waypoints()));
        return out;
    }

    /** Where an edge from s to t on another row turns: in the gap after s's column, or before t's. */
    private static double turn(Bounds s, Bounds t, Bounds sc, Bounds tc) {
        return t.centerY() > s.centerY()
                ? Math.min(sc.right() + GAP, t.x() - GAP / 2)
                : Math.max(tc.x() - GAP, s.right() + GAP / 2);
    }

    /** Whether the direct route from s to t (see {@link #waypoints}) runs through another shape of this level. */
    private boolean crosses(String source, String target, Bounds s, Bounds t, Bounds sc, Bounds tc) {
        double turn = s.centerY() == t.centerY() ? t.x() : turn(s, t, sc, tc);
        return inTheWay(rowOf.get(source), s, t, s.centerY(), s.right(), turn)
                || inTheWay(rowOf.get(target), s, t, t.centerY(), turn, t.x());
    }

    /** Whether a shape of the row, other than s and t, lies across the horizontal run at y from x1 to x2. */
    private boolean inTheWay(Integer row, Bounds s, Bounds t, double y, double x1, double x2) {
        List<Bounds> candidates = row == null ? List.of() : rowShapes.getOrDefault(row, List.of());
        // the first shape that can reach past x1: none starting before x1 minus the row's widest shape
        double from = x1 - rowWidest.getOrDefault(row, 0.0);
        int low = 0;
        int high = candidates.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (candidates.get(mid).x() < from) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        for (int i = low; i < candidates.size() && candidates.get(i).x() < x2; i++) {
            Bounds b = candidates.get(i);
            if (!b.equals(s) && !b.equals(t) && b.y() <= y && y <= b.bottom() && b.right() > x1) {
                return true;
            }
        }
        return false;
    }

    /** Edges that close a loop, found by depth-first search from the nodes nothing leads to, in insertion order. */
    private Set<String> backEdges(Map<String, List<String>> successors) {
        Set<String> back = new HashSet<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Set<String> targets = new HashSet<>();
        successors.values().forEach(targets::addAll);
        List<String> roots = new ArrayList<>(successors.keySet().stream().filter(id -> !targets.contains(id)).toList());
        roots.addAll(successors.keySet());
        for (String root : roots) {
            if (done.contains(root)) {
                continue;
            }
            // iterative DFS: a frame is a node and the index of its next successor
            Deque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[] {root, 0});
            onPath.add(root);
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                String id = (String) frame[0];
                List<String> next = successors.get(id);
                int i = (Integer) frame[1];
                if (i < next.size()) {
                    frame[1] = i + 1;
                    String t = next.get(i);
                    if (onPath.contains(t)) {
                        back.add(id + "\u0000" + t);
                    } else if (!done.contains(t)) {
                        onPath.add(t);
                        stack.push(new Object[] {t, 0});
                    }
                } else {
                    stack.pop();
                    onPath.remove(id);
                    done.add(id);
                }
            }
        }
        return back;
    }
}
