package dev.baton.connectors.sap.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * OData V2 {@code $filter}: {@code eq ne gt ge lt le and or not}, parentheses, literals ({@code 'text'}, numbers with
 * an optional {@code m/d/f/L} suffix, {@code datetime'...'}, {@code datetimeoffset'...'}, {@code guid'...'},
 * {@code true false null}), member paths such as {@code Address/City}, and the functions {@code substringof},
 * {@code startswith}, {@code endswith}, {@code tolower}, {@code toupper}, {@code length}, {@code trim}.
 * Any other input is a 400.
 */
final class ODataFilter {

    private enum Kind { LPAREN, RPAREN, COMMA, STRING, NUMBER, DATETIME, GUID, WORD, END }

    private record Token(Kind kind, String text, int position) { }

    @FunctionalInterface
    private interface Expr {
        Object eval(Map<String, Object> entity);
    }

    private static final Set<String> COMPARISONS = Set.of("eq", "ne", "gt", "ge", "lt", "le");

    private final String source;
    private final ODataModel model;
    private final ODataModel.EntitySet set;
    private final List<Token> tokens;
    private int pos;

    private ODataFilter(String source, ODataModel model, ODataModel.EntitySet set) {
        this.source = source;
        this.model = model;
        this.set = set;
        this.tokens = tokenize(source);
    }

    static Predicate<Map<String, Object>> parse(String source, ODataModel model, ODataModel.EntitySet set) {
        ODataFilter parser = new ODataFilter(source, model, set);
        Expr expr = parser.or();
        parser.expect(Kind.END, "end of expression");
        return entity -> Boolean.TRUE.equals(expr.eval(entity));
    }

    // --- grammar: or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | comparison

    private Expr or() {
        Expr left = and();
        while (isWord("or")) {
            pos++;
            Expr l = left;
            Expr r = and();
            left = e -> truth(l.eval(e)) || truth(r.eval(e));
        }
        return left;
    }

    private Expr and() {
        Expr left = unary();
        while (isWord("and")) {
            pos++;
            Expr l = left;
            Expr r = unary();
            left = e -> truth(l.eval(e)) && truth(r.eval(e));
        }
        return left;
    }

    private Expr unary() {
        if (isWord("not")) {
            pos++;
            Expr inner = unary();
            return e -> !truth(inner.eval(e));
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = primary();
        Token t = peek();
        if (t.kind() == Kind.WORD && COMPARISONS.contains(t.text())) {
            pos++;
            Expr right = primary();
            String op = t.text();
            return e -> compare(op, left.eval(e), right.eval(e));
        }
        return left;
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case LPAREN: {
                Expr inner = or();
                expect(Kind.RPAREN, "')'");
                return inner;
            }
            case STRING: {
                String value = t.text();
                return e -> value;
            }
            case NUMBER: {
                BigDecimal value = new BigDecimal(t.text());
                return e -> value;
            }
            case DATETIME: {
                Instant value = parseInstant(t);
                return e -> value;
            }
            case GUID: {
                String value = t.text().toLowerCase(Locale.ROOT);
                return e -> value;
            }
            case WORD:
                return word(t);
            default:
                throw error("Unexpected " + describe(t) + " at position " + t.position());
        }
    }

    private Expr word(Token t) {
        switch (t.text()) {
            case "true":
                return e -> Boolean.TRUE;
            case "false":
                return e -> Boolean.FALSE;
            case "null":
                return e -> null;
            default:
                break;
        }
        if (peek().kind() == Kind.LPAREN) {
            return function(t);
        }
        return member(t);
    }

    private Expr function(Token name) {
        pos++;
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            args.add(or());
            while (peek().kind() == Kind.COMMA) {
                pos++;
                args.add(or());
            }
        }
        expect(Kind.RPAREN, "')'");
        String fn = name.text();
        switch (fn) {
            case "substringof":
                arity(fn, args, 2);
                return e -> contains(args.get(1).eval(e), args.get(0).eval(e));
            case "startswith":
                arity(fn, args, 2);
                return e -> text(args.get(0).eval(e)).startsWith(text(args.get(1).eval(e)));
            case "endswith":
                arity(fn, args, 2);
                return e -> text(args.get(0).eval(e)).endsWith(text(args.get(1).eval(e)));
            case "tolower":
                arity(fn, args, 1);
                return e -> text(args.get(0).eval(e)).toLowerCase(Locale.ROOT);
            case "toupper":
                arity(fn, args, 1);
                return e -> text(args.get(0).eval(e)).toUpperCase(Locale.ROOT);
            case "trim":
                arity(fn, args, 1);
                return e -> text(args.get(0).eval(e)).trim();
            case "length":
                arity(fn, args, 1);
                return e -> BigDecimal.valueOf(text(args.get(0).eval(e)).length());
            default:
                throw error("Function '" + fn + "' is not supported");
        }
    }

    private Expr member(Token t) {
        String[] path = t.text().split("/");
        ODataModel.Property property = set.property(path[0]).orElseThrow(() ->
                error("Property '" + path[0] + "' not found in type '" + set.qualifiedType() + "'"));
        if (path.length == 1) {
            return e -> e.get(property.name());
        }
        if (path.length != 2 || !property.isComplex() || !model.complexType(property.type()).containsKey(path[1])) {
            throw error("Property '" + t.text() + "' not found in type '" + set.qualifiedType() + "'");
        }
        return e -> {
            Object complex = e.get(property.name());
            return complex instanceof Map ? ((Map<?, ?>) complex).get(path[1]) : null;
        };
    }

    // --- evaluation

    private static boolean truth(Object value) {
        return Boolean.TRUE.equals(value);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static boolean contains(Object haystack, Object needle) {
        return text(haystack).contains(text(needle));
    }

    private static boolean compare(String op, Object left, Object right) {
        if (left == null || right == null) {
            boolean same = left == right;
            return "eq".equals(op) ? same : "ne".equals(op) && !same;
        }
        int c = order(left, right);
        switch (op) {
            case "eq":
                return c == 0;
            case "ne":
                return c != 0;
            case "gt":
                return c > 0;
            case "ge":
                return c >= 0;
            case "lt":
                return c < 0;
            default:
                return c <= 0;
        }
    }

    /** Orders two non-null values; a string meets a number or a date by being read as one ('1000' vs 1000m). */
    static int order(Object left, Object right) {
        if (left instanceof Instant || right instanceof Instant) {
            return asInstant(left).compareTo(asInstant(right));
        }
        if (isNumeric(left) || isNumeric(right)) {
            BigDecimal l = asDecimal(left);
            BigDecimal r = asDecimal(right);
            if (l != null && r != null) {
                return l.compareTo(r);
            }
        }
        if (left instanceof Boolean && right instanceof Boolean) {
            return Boolean.compare((Boolean) left, (Boolean) right);
        }
        return left.toString().compareTo(right.toString());
    }

    private static boolean isNumeric(Object value) {
        return value instanceof BigDecimal || value instanceof Integer || value instanceof Long;
    }

    private static BigDecimal asDecimal(Object value) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        try {
            return new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant asInstant(Object value) {
        if (value instanceof Instant) {
            return (Instant) value;
        }
        try {
            return ODataValues.parseDateTime(value.toString());
        } catch (RuntimeException e) {
            return Instant.MIN;
        }
    }

    private Instant parseInstant(Token t) {
        try {
            return ODataValues.parseDateTime(t.text());
        } catch (RuntimeException e) {
            throw error("Invalid datetime literal '" + t.text() + "'");
        }
    }

    // --- tokens

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    private boolean isWord(String word) {
        Token t = peek();
        return t.kind() == Kind.WORD && t.text().equals(word);
    }

    private void expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error("Expected " + what + " but found " + describe(t) + " at position " + t.position());
        }
        pos++;
    }

    private void arity(String fn, List<Expr> args, int n) {
        if (args.size() != n) {
            throw error("Function '" + fn + "' expects " + n + " argument(s) but got " + args.size());
        }
    }

    private static String describe(Token t) {
        return t.kind() == Kind.END ? "end of expression" : "'" + t.text() + "'";
    }

    private ODataException error(String message) {
        return ODataException.badRequest("Invalid filter expression: '" + source + "': " + message);
    }

    private List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                out.add(new Token(Kind.LPAREN, "(", i++));
            } else if (c == ')') {
                out.add(new Token(Kind.RPAREN, ")", i++));
            } else if (c == ',') {
                out.add(new Token(Kind.COMMA, ",", i++));
            } else if (c == '\'') {
                int start = i;
                StringBuilder text = new StringBuilder();
                i = quoted(s, i, text);
                out.add(new Token(Kind.STRING, text.toString(), start));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE".indexOf(s.charAt(i)) >= 0
                        || ((s.charAt(i) == '-' || s.charAt(i) == '+') && "eE".indexOf(s.charAt(i - 1)) >= 0))) {
                    i++;
                }
                String number = s.substring(start, i);
                if (i < s.length() && "mMdDfFlL".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
                try {
                    new BigDecimal(number);
                } catch (NumberFormatException e) {
                    throw error("Invalid number '" + number + "' at position " + start);
                }
                out.add(new Token(Kind.NUMBER, number, start));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_/.$".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                String word = s.substring(start, i);
                if (i < s.length() && s.charAt(i) == '\'') {
                    StringBuilder text = new StringBuilder();
                    i = quoted(s, i, text);
                    out.add(new Token(typedLiteral(word, start), text.toString(), start));
                } else {
                    out.add(new Token(Kind.WORD, word, start));
                }
            } else {
                throw error("Unexpected character '" + c + "' at position " + i);
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }

    private Kind typedLiteral(String prefix, int position) {
        switch (prefix) {
            case "datetime":
            case "datetimeoffset":
                return Kind.DATETIME;
            case "guid":
                return Kind.GUID;
            default:
                throw error("Unsupported literal type '" + prefix + "' at position " + position);
        }
    }

    /** Reads a quoted literal starting at {@code s[i] == '\''}; {@code ''} is an escaped quote. Returns the index after it. */
    private int quoted(String s, int i, StringBuilder text) {
        int start = i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    text.append('\'');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            text.append(c);
            i++;
        }
        throw error("Unterminated literal at position " + start);
    }
}
