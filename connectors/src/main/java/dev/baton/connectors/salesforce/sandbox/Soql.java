package dev.baton.connectors.salesforce.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A hand-written recursive-descent parser and evaluator for the SOQL subset the sandbox speaks:
 *
 * <pre>
 * query     := SELECT selectList FROM name [WHERE orExpr] [ORDER BY order (, order)*] [LIMIT n] [OFFSET n]
 * selectList:= COUNT() | item (, item)*          item := field | COUNT(field) [alias]
 * orExpr    := andExpr (OR andExpr)*
 * andExpr   := notExpr (AND notExpr)*
 * notExpr   := NOT notExpr | '(' orExpr ')' | condition
 * condition := field op value | field [NOT] IN '(' value (, value)* ')' | field LIKE string
 * op        := = | != | <> | < | <= | > | >=
 * value     := 'string' | number | true | false | null | 2026-01-31 | 2026-01-31T10:00:00Z | TODAY | YESTERDAY | TOMORROW
 * </pre>
 *
 * Fields may be relationship paths ({@code Account.Name}). String comparisons ignore case, as in Salesforce.
 */
final class Soql {

    private Soql() {
    }

    // ------------------------------------------------------------------ AST

    /** A parsed query. {@code countOnly} for {@code SELECT COUNT()}. */
    record Query(List<String> fields, boolean countOnly, String countAlias, String countField, String from,
                 Condition where, List<Order> orderBy, Integer limit, Integer offset) {
    }

    record Order(String field, boolean descending, Boolean nullsFirst) {
    }

    interface Condition {
    }

    record And(Condition left, Condition right) implements Condition {
    }

    record Or(Condition left, Condition right) implements Condition {
    }

    record Not(Condition inner) implements Condition {
    }

    record Compare(String field, String op, Object value) implements Condition {
    }

    record In(String field, List<Object> values, boolean negated) implements Condition {
    }

    record Like(String field, String pattern) implements Condition {
    }

    /** A date literal ({@code 2026-01-31}). */
    record DateLiteral(LocalDate date) {
    }

    /** A datetime literal ({@code 2026-01-31T10:00:00Z}). */
    record DateTimeLiteral(Instant instant) {
    }

    // ------------------------------------------------------------------ tokens

    private enum Kind { WORD, STRING, NUMBER, DATE, DATETIME, SYMBOL, END }

    private record Token(Kind kind, String text, int pos) {
        boolean is(String keyword) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(keyword);
        }
    }

    private static final Pattern DATETIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder();
                int start = i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i++);
                    if (d == '\\' && i < s.length()) {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n': b.append('\n'); break;
                            case 't': b.append('\t'); break;
                            case 'r': b.append('\r'); break;
                            default: b.append(e);
                        }
                    } else if (d == '\'') {
                        closed = true;
                        break;
                    } else {
                        b.append(d);
                    }
                }
                if (!closed) {
                    throw ApiError.malformedQuery("unterminated string literal starting at position " + start);
                }
                out.add(new Token(Kind.STRING, b.toString(), start));
            } else if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < s.length()
                    && Character.isDigit(s.charAt(i + 1)))) {
                var dt = DATETIME.matcher(s).region(i, s.length());
                var d = DATE.matcher(s).region(i, s.length());
                if (dt.lookingAt()) {
                    out.add(new Token(Kind.DATETIME, dt.group(), i));
                    i = dt.end();
                } else if (d.lookingAt()) {
                    out.add(new Token(Kind.DATE, d.group(), i));
                    i = d.end();
                } else {
                    int start = i++;
                    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                        i++;
                    }
                    out.add(new Token(Kind.NUMBER, s.substring(start, i), start));
                }
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                        || s.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.WORD, s.substring(start, i), start));
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
                    out.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("=<>(),:".indexOf(c) >= 0) {
                    out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw ApiError.malformedQuery("unexpected character '" + c + "' at position " + i);
                }
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }

    // ------------------------------------------------------------------ parser

    static Query parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw ApiError.malformedQuery("empty query");
        }
        return new Parser(tokenize(soql)).query();
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int p;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        private Token peek() {
            return tokens.get(p);
        }

        private Token next() {
            return tokens.get(p++);
        }

        private boolean accept(String keyword) {
            if (peek().is(keyword)) {
                p++;
                return true;
            }
            return false;
        }

        private void expect(String keyword) {
            if (!accept(keyword)) {
                throw unexpected();
            }
        }

        private ApiError unexpected() {
            Token t = peek();
            return ApiError.malformedQuery(t.kind == Kind.END ? "unexpected end of query"
                    : "unexpected token: '" + t.text + "' at position " + t.pos);
        }

        private String identifier() {
            Token t = next();
            if (t.kind != Kind.WORD || isReserved(t.text)) {
                p--;
                throw unexpected();
            }
            return t.text;
        }

        private static boolean isReserved(String w) {
            switch (w.toUpperCase(Locale.ROOT)) {
                case "SELECT": case "FROM": case "WHERE": case "AND": case "OR": case "NOT": case "ORDER":
                case "BY": case "LIMIT": case "OFFSET": case "IN": case "LIKE": case "ASC": case "DESC":
                case "NULLS":
                    return true;
                default:
                    return false;
            }
        }

        Query query() {
            expect("SELECT");
            List<String> fields = new ArrayList<>();
            boolean countOnly = false;
            String countAlias = null;
            String countField = null;
            if (peek().is("COUNT") && tokens.get(p + 1).is("(")) {
                p += 2;
                if (accept(")")) {
                    countOnly = true;
                } else {
                    countField = identifier();
                    expect(")");
                    if (peek().kind == Kind.WORD && !peek().is("FROM")) {
                        countAlias = identifier();
                    }
                }
            } else {
                do {
                    fields.add(identifier());
                } while (accept(","));
            }
            expect("FROM");
            String from = identifier();
            Condition where = null;
            if (accept("WHERE")) {
                where = orExpr();
            }
            List<Order> orders = new ArrayList<>();
            if (accept("ORDER")) {
                expect("BY");
                do {
                    String f = identifier();
                    boolean desc = false;
                    if (accept("DESC")) {
                        desc = true;
                    } else {
                        accept("ASC");
                    }
                    Boolean nullsFirst = null;
                    if (accept("NULLS")) {
                        if (accept("FIRST")) {
                            nullsFirst = true;
                        } else {
                            expect("LAST");
                            nullsFirst = false;
                        }
                    }
                    orders.add(new Order(f, desc, nullsFirst));
                } while (accept(","));
            }
            Integer limit = null;
            Integer offset = null;
            if (accept("LIMIT")) {
                limit = integer();
            }
            if (accept("OFFSET")) {
                offset = integer();
            }
            if (peek().kind != Kind.END) {
                throw unexpected();
            }
            return new Query(fields, countOnly, countAlias, countField, from, where, orders, limit, offset);
        }

        private int integer() {
            Token t = next();
            if (t.kind != Kind.NUMBER || t.text.contains(".") || t.text.startsWith("-")) {
                p--;
                throw unexpected();
            }
            return Integer.parseInt(t.text);
        }

        private Condition orExpr() {
            Condition left = andExpr();
            while (accept("OR")) {
                left = new Or(left, andExpr());
            }
            return left;
        }

        private Condition andExpr() {
            Condition left = notExpr();
            while (accept("AND")) {
                left = new And(left, notExpr());
            }
            return left;
        }

        private Condition notExpr() {
            if (accept("NOT")) {
                return new Not(notExpr());
            }
            if (accept("(")) {
                Condition inner = orExpr();
                expect(")");
                return inner;
            }
            return condition();
        }

        private Condition condition() {
            String field = identifier();
            if (accept("LIKE")) {
                Token t = next();
                if (t.kind != Kind.STRING) {
                    p--;
                    throw unexpected();
                }
                return new Like(field, t.text);
            }
            boolean negated = false;
            if (peek().is("NOT") && tokens.get(p + 1).is("IN")) {
                p++;
                negated = true;
            }
            if (accept("IN")) {
                expect("(");
                List<Object> values = new ArrayList<>();
                do {
                    values.add(value());
                } while (accept(","));
                expect(")");
                return new In(field, values, negated);
            }
            Token op = next();
            if (op.kind != Kind.SYMBOL || "(),:".contains(op.text)) {
                p--;
                throw unexpected();
            }
            String o = op.text.equals("<>") ? "!=" : op.text;
            return new Compare(field, o, value());
        }

        private Object value() {
            Token t = next();
            switch (t.kind) {
                case STRING:
                    return t.text;
                case NUMBER:
                    return new BigDecimal(t.text);
                case DATE:
                    return new DateLiteral(LocalDate.parse(t.text));
                case DATETIME:
                    return new DateTimeLiteral(parseInstant(t.text));
                case WORD:
                    switch (t.text.toUpperCase(Locale.ROOT)) {
                        case "TRUE": return Boolean.TRUE;
                        case "FALSE": return Boolean.FALSE;
                        case "NULL": return null;
                        case "TODAY": return new DateLiteral(LocalDate.now(ZoneOffset.UTC));
                        case "YESTERDAY": return new DateLiteral(LocalDate.now(ZoneOffset.UTC).minusDays(1));
                        case "TOMORROW": return new DateLiteral(LocalDate.now(ZoneOffset.UTC).plusDays(1));
                        default:
                            p--;
                            throw unexpected();
                    }
                default:
                    p--;
                    throw unexpected();
            }
        }
    }

    // ------------------------------------------------------------------ evaluation

    /** Reads a (possibly dotted) field of a record; the resolver follows relationships. */
    interface FieldReader {
        Object read(Map<String, Object> record, String path);
    }

    static boolean matches(Condition c, Map<String, Object> record, FieldReader reader) {
        if (c == null) {
            return true;
        }
        if (c instanceof And) {
            And a = (And) c;
            return matches(a.left(), record, reader) && matches(a.right(), record, reader);
        }
        if (c instanceof Or) {
            Or o = (Or) c;
            return matches(o.left(), record, reader) || matches(o.right(), record, reader);
        }
        if (c instanceof Not) {
            return !matches(((Not) c).inner(), record, reader);
        }
        if (c instanceof In) {
            In in = (In) c;
            Object v = reader.read(record, in.field());
            boolean any = false;
            for (Object candidate : in.values()) {
                if (v != null && compare(v, candidate) == 0) {
                    any = true;
                    break;
                }
            }
            return in.negated() != any;
        }
        if (c instanceof Like) {
            Like l = (Like) c;
            Object v = reader.read(record, l.field());
            return v != null && likeRegex(l.pattern()).matcher(v.toString()).matches();
        }
        Compare cmp = (Compare) c;
        Object v = reader.read(record, cmp.field());
        Object lit = cmp.value();
        if (lit == null) {
            switch (cmp.op()) {
                case "=": return v == null;
                case "!=": return v != null;
                default: return false;
            }
        }
        if (v == null) {
            return cmp.op().equals("!=");
        }
        int r = compare(v, lit);
        switch (cmp.op()) {
            case "=": return r == 0;
            case "!=": return r != 0;
            case "<": return r < 0;
            case "<=": return r <= 0;
            case ">": return r > 0;
            case ">=": return r >= 0;
            default: throw ApiError.malformedQuery("unknown operator " + cmp.op());
        }
    }

    private static Pattern likeRegex(String like) {
        StringBuilder b = new StringBuilder();
        for (char ch : like.toCharArray()) {
            if (ch == '%') {
                b.append(".*");
            } else if (ch == '_') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** Compares a record value with a literal (or another record value), by the literal's kind. */
    static int compare(Object value, Object literal) {
        if (literal instanceof DateLiteral) {
            LocalDate d = toDate(value);
            return d == null ? -1 : d.compareTo(((DateLiteral) literal).date());
        }
        if (literal instanceof DateTimeLiteral) {
            Instant i = toInstant(value);
            return i == null ? -1 : i.compareTo(((DateTimeLiteral) literal).instant());
        }
        if (literal instanceof BigDecimal || literal instanceof Number) {
            BigDecimal l = new BigDecimal(literal.toString());
            try {
                return new BigDecimal(value.toString()).compareTo(l);
            } catch (NumberFormatException e) {
                return value.toString().compareToIgnoreCase(literal.toString());
            }
        }
        if (literal instanceof Boolean) {
            return Boolean.compare(Boolean.parseBoolean(value.toString()), (Boolean) literal);
        }
        String a = value.toString();
        String b = literal.toString();
        if (looksLikeId(a) && looksLikeId(b)) {
            return SalesforceIds.to18(a).compareTo(SalesforceIds.to18(b));
        }
        return a.compareToIgnoreCase(b);
    }

    private static boolean looksLikeId(String s) {
        return (s.length() == 15 || s.length() == 18) && s.chars().allMatch(Character::isLetterOrDigit)
                && s.chars().anyMatch(Character::isDigit);
    }

    private static LocalDate toDate(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString();
        try {
            return s.length() == 10 ? LocalDate.parse(s) : parseInstant(s).atOffset(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant toInstant(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString();
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : parseInstant(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final DateTimeFormatter OFFSET_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][.SS][.S][XXX][XX][X]", Locale.ROOT);

    static Instant parseInstant(String s) {
        return OffsetDateTime.parse(s, OFFSET_DATETIME).toInstant();
    }

    /** ORDER BY as a comparator; nulls first for ascending, last for descending, unless NULLS says otherwise. */
    static Comparator<Map<String, Object>> comparator(List<Order> orders, FieldReader reader) {
        Comparator<Map<String, Object>> result = (a, b) -> 0;
        for (Order o : orders) {
            boolean nullsFirst = o.nullsFirst() != null ? o.nullsFirst() : !o.descending();
            Comparator<Map<String, Object>> one = (a, b) -> {
                Object x = reader.read(a, o.field());
                Object y = reader.read(b, o.field());
                if (x == null || y == null) {
                    if (x == y) {
                        return 0;
                    }
                    return (x == null) == nullsFirst ? -1 : 1;
                }
                int r = compareValues(x, y);
                return o.descending() ? -r : r;
            };
            result = result.thenComparing(one);
        }
        return result;
    }

    private static int compareValues(Object x, Object y) {
        if (x instanceof Number && y instanceof Number) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (x instanceof Boolean && y instanceof Boolean) {
            return Boolean.compare((Boolean) x, (Boolean) y);
        }
        return x.toString().compareToIgnoreCase(y.toString());
    }
}
