package dev.baton.hub.expression;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.JFunction;

/**
 * The JSONata functions that do unbounded work in one step, where the evaluation's entry callback cannot
 * see it, each replaced by one that first checks the {@link Budget} and then calls the library's own (so
 * results are the library's): the regular-expression functions try their pattern once against input that
 * checks the clock as it is read, which stops a pattern that backtracks without end; the functions whose
 * output can be far larger than their input ({@code $pad}, {@code $join}, {@code $replace}, {@code $string})
 * compute its size first ({@code $pad} also its cost: the library builds it by repeated concatenation).
 * {@code $eval} is refused (also at deploy, see {@link JsonataPolicy}).
 *
 * <p>A regular expression costs about twice its matching time this way; JSONata expressions on the hot path
 * (conditions, mappings) rarely use one.
 */
final class JsonataFunctions {

    /** The replacements by JSONata name, with the library's signatures (com.dashjoin:jsonata 0.9.9). */
    static final Map<String, JFunction> REPLACEMENTS = Map.of(
            "match", guarded("match", "<s-f<s:o>n?:a<o>>", (b, args) -> {
                if (arg(args, 0) instanceof String s && arg(args, 1) instanceof Pattern p) {
                    scan(b, p, s, Long.MAX_VALUE); // the library finds every match, whatever the limit
                }
            }),
            "contains", guarded("contains", "<s-(sf):b>", (b, args) -> {
                if (arg(args, 0) instanceof String s) {
                    // a string is found once (indexOf), a regular expression's every match
                    scan(b, pattern(arg(args, 1)), s, arg(args, 1) instanceof Pattern ? Long.MAX_VALUE : 1);
                }
            }),
            "split", guarded("split", "<s-(sf)n?:a<s>>", (b, args) -> {
                if (arg(args, 0) instanceof String s) {
                    b.measureItems("".equals(arg(args, 1)) ? s.length()
                            : scan(b, pattern(arg(args, 1)), s, Long.MAX_VALUE).count() + 1);
                }
            }),
            "replace", guarded("replace", "<s-(sf)(sf)n?:s>", JsonataFunctions::checkReplace),
            "pad", guarded("pad", "<s-ns?:s>", (b, args) -> {
                if (arg(args, 1) instanceof Number width) {
                    long chars = Math.abs(width.longValue());
                    long step = arg(args, 2) instanceof String pad && !pad.isEmpty() ? pad.length() : 1;
                    b.measureChars(chars);
                    // the library appends the padding to a new string once per step: quadratic in the width
                    b.measureBytes(chars / step * chars);
                }
            }),
            "join", guarded("join", "<a<s>s?:s>", (b, args) -> {
                if (arg(args, 0) instanceof List<?> parts) {
                    long separator = arg(args, 1) instanceof String sep ? sep.length() : 0;
                    long chars = Math.max(0, parts.size() - 1) * separator;
                    for (Object part : parts) {
                        chars += part instanceof String s ? s.length() : 0;
                    }
                    b.measureChars(chars);
                }
            }),
            "string", guarded("string", "<x-b?:s>", (b, args) -> {
                b.measureChars(jsonLength(arg(args, 0), Boolean.TRUE.equals(arg(args, 1)), 0));
            }),
            "eval", new JFunction((input, args) -> {
                throw new IllegalArgumentException(JsonataPolicy.EVAL);
            }, "<sx?:x>"));

    private JsonataFunctions() {
    }

    /** What a replacement checks before the library's function runs. */
    private interface Guard {
        void check(Budget budget, List<?> args);
    }

    private record Scan(long count, long longest) {
    }

    private static JFunction guarded(String name, String signature, Guard guard) {
        JFunction original = (JFunction) Jsonata.jsonata("$" + name).evaluate(null);
        return new JFunction((input, args) -> {
            Budget budget = Budget.current();
            if (budget != null) {
                guard.check(budget, args);
            }
            return original.call(input, args);
        }, signature);
    }

    /**
     * {@code $replace}: a string pattern without a limit is replaced literally; with a limit the library
     * takes it for a regular expression and replaces the first match once per count, copying the input each
     * time; a regular expression with a string replacement may repeat each match ({@code $0$0}).
     */
    private static void checkReplace(Budget b, List<?> args) {
        if (!(arg(args, 0) instanceof String s)) {
            return;
        }
        Object pattern = arg(args, 1);
        Object replacement = arg(args, 2);
        Long limit = arg(args, 3) instanceof Number n ? n.longValue() : null;
        Pattern regex = pattern instanceof String p && limit == null ? Pattern.compile(Pattern.quote(p))
                : pattern instanceof String p ? Pattern.compile(p) : (Pattern) pattern;
        Scan scan = scan(b, regex, s, limit == null ? Long.MAX_VALUE : Math.max(0, limit));
        if (replacement instanceof String r) {
            long references = r.chars().filter(c -> c == '$').count();
            b.measureChars(s.length() + scan.count() * (r.length() + references * scan.longest()));
        }
        if (limit != null) {
            b.measureBytes(scan.count() * 2L * s.length());
        }
    }

    /** Runs the pattern over the text as the library will, against input that checks the clock as it is read. */
    private static Scan scan(Budget budget, Pattern pattern, String text, long limit) {
        Matcher m = pattern.matcher(budget.bounded(text));
        long count = 0;
        long longest = 0;
        while (count < limit && m.find()) {
            count++;
            longest = Math.max(longest, m.end() - m.start());
        }
        return new Scan(count, longest);
    }

    /**
     * About how many characters {@code $string} writes for the value (at most a number's longest form, every
     * escape counted). The value was measured when the expression produced it, so this walk is bounded too.
     */
    private static long jsonLength(Object value, boolean pretty, int depth) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String s) {
            long length = s.length() + 2;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                length += c < 0x20 ? 5 : c == '"' || c == '\\' ? 1 : 0;
            }
            return length;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return 24;
        }
        long indent = pretty ? 2L * (depth + 1) + 1 : 0;
        long length = 2 + indent;
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                length += indent + 4 + jsonLength(String.valueOf(e.getKey()), false, 0)
                        + jsonLength(e.getValue(), pretty, depth + 1);
            }
            return length;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                length += indent + 1 + jsonLength(element, pretty, depth + 1);
            }
            return length;
        }
        return 0; // functions and patterns are written as ""
    }

    private static Pattern pattern(Object pattern) {
        return pattern instanceof Pattern p ? p : Pattern.compile(Pattern.quote(String.valueOf(pattern)));
    }

    private static Object arg(List<?> args, int index) {
        return args != null && args.size() > index ? args.get(index) : null;
    }
}
