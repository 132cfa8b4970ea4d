package dev.baton.hub.expression;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON-shaped data as Simple and JSONPath read it: read-only views of its objects and arrays whose every read
 * ticks the evaluation's {@link Budget}. Neither language has a hook of its own, but neither can do work
 * without reading the data (the regular expressions that could are refused at deploy), so the clock and
 * the allocation bound are checked as they walk it.
 */
final class BoundedView {

    private BoundedView() {
    }

    /** The value as the budget's view: objects and arrays wrapped, everything else as it is. */
    static Object of(Object value, Budget budget) {
        if (value instanceof ViewMap || value instanceof ViewList) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return new ViewMap(map, budget);
        }
        if (value instanceof List<?> list) {
            return new ViewList(list, budget);
        }
        return value;
    }

    /**
     * A result with its views replaced by the data they show. A list or map that is not a view was built by
     * the language (a JSONPath result list) and may hold views: it is copied.
     */
    static Object unwrap(Object value) {
        if (value instanceof ViewMap view) {
            return view.map;
        }
        if (value instanceof ViewList view) {
            return view.list;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(unwrap(o));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, unwrap(v)));
            return out;
        }
        return value;
    }

    private static final class ViewMap extends AbstractMap<Object, Object> {
        private final Map<?, ?> map;
        private final Budget budget;

        ViewMap(Map<?, ?> map, Budget budget) {
            this.map = map;
            this.budget = budget;
        }

        @Override
        public Object get(Object key) {
            budget.tick();
            return of(map.get(key), budget);
        }

        @Override
        public boolean containsKey(Object key) {
            budget.tick();
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<Object, Object>> iterator() {
                    Iterator<? extends Entry<?, ?>> entries = map.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return entries.hasNext();
                        }

                        @Override
                        public Entry<Object, Object> next() {
                            budget.tick();
                            Entry<?, ?> e = entries.next();
                            return new SimpleImmutableEntry<>(e.getKey(), of(e.getValue(), budget));
                        }
                    };
                }

                @Override
                public int size() {
                    return map.size();
                }
            };
        }
    }

    private static final class ViewList extends AbstractList<Object> {
        private final List<?> list;
        private final Budget budget;

        ViewList(List<?> list, Budget budget) {
            this.list = list;
            this.budget = budget;
        }

        @Override
        public Object get(int index) {
            budget.tick();
            return of(list.get(index), budget);
        }

        @Override
        public int size() {
            return list.size();
        }

        @Override
        public Iterator<Object> iterator() {
            Iterator<?> elements = list.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return elements.hasNext();
                }

                @Override
                public Object next() {
                    budget.tick();
                    return of(elements.next(), budget);
                }
            };
        }
    }
}
