package dev.baton.hub.expression;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounds of one evaluation and what it has used of them, checked by whatever runs it: JSONata's entry
 * and exit callbacks, the views Simple and JSONPath read their data through, the input regular expressions
 * match against. One evaluation runs on one thread, so none of this is synchronized; {@link #current()} is
 * the evaluation running on the calling thread, for library functions that are handed no context.
 *
 * <p>A bound reached throws {@link Exceeded} and stays reached: libraries that catch and wrap exceptions
 * (JSONata's {@code $eval}, Camel) cannot make the evaluation continue, because the next check throws again
 * and the evaluator asks {@link #exceeded()} whatever came out.
 */
final class Budget {

    /** A bound reached; its message names the bound, its limit and the setting. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String reason) {
            super(reason, null, false, false); // no stack trace: an expected outcome, and thrown deep in recursions
        }
    }

    private static final com.sun.management.ThreadMXBean ALLOCATIONS = allocationCounter();
    private static final ThreadLocal<Budget> CURRENT = new ThreadLocal<>();
    /** How many cheap ticks (view reads, characters matched) pass between two clock and allocation checks. */
    private static final int TICKS_PER_CHECK = 1024;
    /**
     * How many JSONata nodes are entered between two clock and allocation checks (a power of two). Each node's
     * own work is bounded by the size checks on what it produces, so this only delays a check by a few steps.
     */
    private static final int ENTRIES_PER_CHECK = 8;

    private final ExpressionProperties limits;
    private final long started;
    private final long allocatedBefore;
    private int depth;
    private int entries;
    private int ticks;
    private Exceeded exceeded;
    /** Sizes ({@link #sizeOf}) of the arrays and objects holding arrays or objects measured so far, by identity. */
    private IdentityHashMap<Object, Long> sizes;

    private Budget(ExpressionProperties limits) {
        this.limits = limits;
        this.started = System.nanoTime();
        this.allocatedBefore = allocated();
    }

    static Budget start(ExpressionProperties limits) {
        return new Budget(limits);
    }

    /** The evaluation running on this thread, or null. */
    static Budget current() {
        return CURRENT.get();
    }

    /** Makes this the thread's current evaluation until the returned scope is closed. */
    Scope activate() {
        Budget previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Closes an {@link #activate() activation} without checked exceptions. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The bound this evaluation reached, or null. */
    Exceeded exceeded() {
        return exceeded;
    }

    /** Entering a nested evaluation step: checks the depth, and every few steps the clock and the allocations. */
    void enter() {
        if (++depth > limits.maxDepth()) {
            throw exceed("nested deeper than its depth limit, " + limits.maxDepth()
                    + " (baton.expressions.max-depth)");
        }
        if ((++entries & (ENTRIES_PER_CHECK - 1)) == 0) {
            check();
        }
    }

    void exit() {
        depth--;
    }

    /** A cheap unit of work (a value read, a character matched); every so often the clock and memory are checked. */
    void tick() {
        if (++ticks >= TICKS_PER_CHECK) {
            ticks = 0;
            check();
        }
    }

    /** Checks the clock and the thread's allocations, and rethrows a bound reached before. */
    void check() {
        if (exceeded != null) {
            throw exceeded;
        }
        if (System.nanoTime() - started > limits.timeout().toNanos()) {
            throw exceed("ran longer than its time limit, " + limits.timeout().toMillis()
                    + " ms (baton.expressions.timeout)");
        }
        if (allocated() - allocatedBefore > limits.maxAllocation().toBytes()) {
            throw exceed("allocated more than its memory limit, " + limits.maxAllocation().toMegabytes()
                    + " MB (baton.expressions.max-allocation)");
        }
    }

    /**
     * Checks a value the evaluation read, built or returns against the size bounds. Arrays and objects are
     * measured through everything they hold, a shared sub-value as often as it occurs (which is what a
     * serializer, an equality test or {@code $string} will walk); each one is measured once per evaluation.
     */
    void measure(Object value) {
        if (value instanceof String s) {
            if (s.length() > limits.maxChars()) {
                throw charsExceeded();
            }
        } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
            sizeOf(value);
        }
    }

    /** Checks that a string of this many characters is within the size bound, before something builds it. */
    void measureChars(long chars) {
        if (chars > limits.maxChars()) {
            throw charsExceeded();
        }
    }

    /** Checks that an array of this many elements is within the size bound, before something builds it. */
    void measureItems(long items) {
        checkItems(items);
    }

    /** Checks that building this many bytes is within the memory bound, before something builds them. */
    void measureBytes(long bytes) {
        if (allocated() - allocatedBefore + bytes > limits.maxAllocation().toBytes()) {
            throw exceed("would allocate more than its memory limit, " + limits.maxAllocation().toMegabytes()
                    + " MB (baton.expressions.max-allocation)");
        }
    }

    /**
     * Items and characters of a value, packed ({@code items << 32 | chars}). A flat array or object (nothing
     * but scalars in it, most records) is summed directly, without bookkeeping; one that holds arrays or
     * objects is remembered by identity, so a value built by sharing is measured once per shared part.
     */
    private long sizeOf(Object value) {
        if (value instanceof String s) {
            return s.length();
        }
        long flat = flatSizeOf(value);
        if (flat >= 0) {
            return flat;
        }
        if (sizes != null) {
            Long known = sizes.get(value);
            if (known != null) {
                return known;
            }
        }
        long items;
        long chars = 0;
        if (value instanceof Map<?, ?> map) {
            items = map.size();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                long size = sizeOf(e.getValue());
                items += size >>> 32;
                chars += (size & 0xffffffffL) + (e.getKey() instanceof String k ? k.length() : 0);
                checkItems(items);
                checkChars(chars);
            }
        } else {
            List<?> list = (List<?>) value;
            items = list.size();
            for (Object child : list) {
                long size = sizeOf(child);
                items += size >>> 32;
                chars += size & 0xffffffffL;
                checkItems(items);
                checkChars(chars);
            }
        }
        long size = pack(items, chars);
        if (sizes == null) {
            sizes = new IdentityHashMap<>();
        }
        sizes.put(value, size);
        return size;
    }

    /** The size of a scalar, or of an array or object holding only scalars; -1 for one holding more. */
    private long flatSizeOf(Object value) {
        long chars = 0;
        if (value instanceof Map<?, ?> map) {
            checkItems(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object child = e.getValue();
                if (child instanceof Map<?, ?> || child instanceof List<?>) {
                    return -1;
                }
                chars += (child instanceof String s ? s.length() : 0)
                        + (e.getKey() instanceof String k ? k.length() : 0);
            }
            checkChars(chars);
            return pack(map.size(), chars);
        }
        if (value instanceof List<?> list) {
            checkItems(list.size());
            for (Object child : list) {
                if (child instanceof Map<?, ?> || child instanceof List<?>) {
                    return -1;
                }
                chars += child instanceof String s ? s.length() : 0;
            }
            checkChars(chars);
            return pack(list.size(), chars);
        }
        return 0;
    }

    private static long pack(long items, long chars) {
        return Math.min(items, Integer.MAX_VALUE) << 32 | Math.min(chars, Integer.MAX_VALUE);
    }

    private void checkItems(long items) {
        if (items > limits.maxItems()) {
            throw exceed("built or read a value of more than " + limits.maxItems()
                    + " items, its size limit (baton.expressions.max-items)");
        }
    }

    private void checkChars(long chars) {
        if (chars > limits.maxChars()) {
            throw charsExceeded();
        }
    }

    private Exceeded charsExceeded() {
        return exceed("built or read a value of more than " + limits.maxChars()
                + " characters, its size limit (baton.expressions.max-chars)");
    }

    private Exceeded exceed(String reason) {
        if (exceeded == null) {
            exceeded = new Exceeded("the evaluation " + reason);
        }
        return exceeded;
    }

    /** Records that the thread's stack overflowed: the depth bound, reached before JSONata's own count saw it. */
    Exceeded stackOverflowed() {
        return exceed("overflowed the thread's stack, under its depth limit of " + limits.maxDepth()
                + " (lower baton.expressions.max-depth)");
    }

    /** Input a regular expression is matched against: every so many characters read, the budget is checked. */
    CharSequence bounded(CharSequence text) {
        return new Checked(text);
    }

    private final class Checked implements CharSequence {
        private final CharSequence text;

        Checked(CharSequence text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            tick();
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Checked(text.subSequence(start, end));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static long allocated() {
        return ALLOCATIONS == null ? 0 : ALLOCATIONS.getCurrentThreadAllocatedBytes();
    }

    /** HotSpot counts each thread's allocations; a JVM that cannot leaves the memory bound to the size bounds. */
    private static com.sun.management.ThreadMXBean allocationCounter() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()) {
            if (!hotspot.isThreadAllocatedMemoryEnabled()) {
                hotspot.setThreadAllocatedMemoryEnabled(true);
            }
            return hotspot;
        }
        return null;
    }
}
