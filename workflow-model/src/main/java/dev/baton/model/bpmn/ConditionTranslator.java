package dev.baton.model.bpmn;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Translates the conditions real BPMN files carry into JSONata, the language Baton evaluates them in:
 * JUEL as Camunda 7, Flowable and Activiti write it ({@code ${amount > 1000}}, {@code #{approved}},
 * {@code ${a == 'x' && !b}}, {@code ${x eq 'y'}}) and FEEL as Zeebe writes it
 * ({@code = reviewResult = "approved"}).
 *
 * <p>Only a subset is translated, the one whose meaning is the same in both languages: comparisons
 * ({@code == != < <= > >=}, {@code eq ne lt le gt ge}, FEEL's {@code =}), boolean logic ({@code && || !},
 * {@code and or not}, FEEL's {@code not(x)}), literals (numbers, strings in either quote style, true,
 * false, null) and variable paths ({@code order.amount}). Anything else (method and function calls,
 * arithmetic, indexing, the conditional operator, FEEL's ranges, lists and {@code in}) is refused with
 * the reason, never guessed: a condition that means something else at run time is worse than one the
 * author is asked to rewrite.
 *
 * <p>Hand-written (a tokenizer and a recursive-descent parser): no library translates JUEL or FEEL into
 * JSONata, and the subset is small enough that its grammar fits in this class. Stateless and thread-safe.
 */
public final class ConditionTranslator {

    /**
     * What translating one expression gave.
     *
     * @param jsonata the JSONata text, or null when not translated
     * @param reason  why not, e.g. {@code method calls}; null when translated
     */
    public record Translation(String jsonata, String reason) {
        public boolean translated() {
            return jsonata != null;
        }
    }

    /** A translated condition's tree: what {@link #complementary} compares. */
    sealed interface Condition permits Literal, Path, Not, Comparison, Logic {
    }

    /** A literal, held as its JSONata text. */
    record Literal(String jsonata) implements Condition {
    }

    /** A variable path: {@code order.amount}. */
    record Path(List<String> names) implements Condition {
    }

    record Not(Condition operand) implements Condition {
    }

    /** @param operator the JSONata operator: {@code = != < <= > >=} */
    record Comparison(String operator, Condition left, Condition right) implements Condition {
    }

    /** @param operator {@code and} or {@code or} */
    record Logic(String operator, Condition left, Condition right) implements Condition {
    }

    /** Thrown inside a translation when the text leaves the subset; never escapes this class's public methods. */
    static final class NotTranslated extends Exception {
        NotTranslated(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Map<String, String> COMPARISONS = Map.ofEntries(
            Map.entry("==", "="), Map.entry("eq", "="), Map.entry("!=", "!="), Map.entry("ne", "!="),
            Map.entry("<", "<"), Map.entry("lt", "<"), Map.entry("<=", "<="), Map.entry("le", "<="),
            Map.entry(">", ">"), Map.entry("gt", ">"), Map.entry(">=", ">="), Map.entry("ge", ">="));
    private static final Map<String, String> FEEL_COMPARISONS = Map.of(
            "=", "=", "!=", "!=", "<", "<", "<=", "<=", ">", ">", ">=", ">=");
    private static final Set<String> EQUALITY = Set.of("==", "!=", "eq", "ne");
    private static final Map<String, String> COMPLEMENTS = Map.of(
            "=", "!=", "!=", "=", "<", ">=", ">=", "<", ">", "<=", "<=", ">");
    private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%", "div", "mod");
    /** Names JSONata reads as something else; a variable called so is written in backticks. */
    private static final Set<String> JSONATA_WORDS = Set.of("and", "or", "in", "true", "false", "null", "function");
    private static final Pattern JSONATA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern JSONATA_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([Ee][-+]?[0-9]+)?");

    /**
     * Translates one condition as written in a BPMN file. Never throws.
     *
     * @param source JUEL ({@code ${…}} or {@code #{…}}) or FEEL ({@code = …}); blanks around it are ignored
     */
    public Translation translate(String source) {
        try {
            return new Translation(render(parse(source)), null);
        } catch (NotTranslated e) {
            return new Translation(null, e.getMessage());
        }
    }

    /** The tree of a condition; see {@link #translate}. */
    Condition parse(String source) throws NotTranslated {
        String text = source == null ? "" : source.strip();
        if (text.isEmpty()) {
            throw new NotTranslated("it is empty");
        }
        if (text.startsWith("${") || text.startsWith("#{")) {
            if (!text.endsWith("}")) {
                throw new NotTranslated("text after the closing } of " + text.substring(0, 2) + "…}");
            }
            return new Parser(tokens(text.substring(2, text.length() - 1)), false).whole();
        }
        if (text.startsWith("=")) {
            return new Parser(tokens(text.substring(1)), true).whole();
        }
        throw new NotTranslated("it is neither JUEL (${…} or #{…}) nor FEEL (= …)");
    }

    /**
     * Whether two conditions are a condition and its negation, so that exactly one of them holds
     * whatever the variables: {@code x} and {@code !x}, {@code a == 1} and {@code a != 1},
     * {@code a < 1} and {@code a >= 1}.
     */
    static boolean complementary(Condition a, Condition b) {
        if (a.equals(new Not(b)) || b.equals(new Not(a))) {
            return true;
        }
        return a instanceof Comparison x && b instanceof Comparison y
                && COMPLEMENTS.get(x.operator()).equals(y.operator())
                && x.left().equals(y.left()) && x.right().equals(y.right());
    }

    /** The JSONata text of a tree. */
    static String render(Condition c) {
        if (c instanceof Literal literal) {
            return literal.jsonata();
        } else if (c instanceof Path path) {
            List<String> names = new ArrayList<>();
            for (String name : path.names()) {
                names.add(JSONATA_NAME.matcher(name).matches() && !JSONATA_WORDS.contains(name) ? name : "`" + name + "`");
            }
            return String.join(".", names);
        } else if (c instanceof Not not) {
            return "$not(" + render(not.operand()) + ")";
        } else if (c instanceof Comparison cmp) {
            return operand(cmp.left()) + " " + cmp.operator() + " " + operand(cmp.right());
        }
        Logic logic = (Logic) c;
        return logicOperand(logic, logic.left()) + " " + logic.operator() + " " + logicOperand(logic, logic.right());
    }

    /** A comparison's operand: comparisons and logic in parentheses, whatever JSONata's precedence. */
    private static String operand(Condition c) {
        return c instanceof Comparison || c instanceof Logic ? "(" + render(c) + ")" : render(c);
    }

    /** In JSONata as in JUEL and FEEL, {@code and} binds tighter than {@code or}: only an or under an and needs parentheses. */
    private static String logicOperand(Logic parent, Condition child) {
        return parent.operator().equals("and") && child instanceof Logic l && l.operator().equals("or")
                ? "(" + render(child) + ")" : render(child);
    }

    // ---- Tokens ----

    private enum Kind { NUMBER, STRING, NAME, SYMBOL, END }

    /** @param value a string's decoded value; otherwise the text */
    private record Token(Kind kind, String text, String value) {
        boolean is(String symbolOrName) {
            return (kind == Kind.SYMBOL || kind == Kind.NAME) && text.equals(symbolOrName);
        }
    }

    private static final List<String> SYMBOLS = List.of("==", "!=", "<=", ">=", "&&", "||", "..",
            "<", ">", "!", "=", "(", ")", ".", ",", "[", "]", "{", "}", "+", "-", "*", "/", "%", "?", ":");

    private static List<Token> tokens(String text) throws NotTranslated {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                i = string(text, i, out);
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                if (i + 1 < text.length() && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
                    i++;
                    while (i < text.length() && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                }
                if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                    int mark = i++;
                    if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                        i++;
                    }
                    if (i < text.length() && Character.isDigit(text.charAt(i))) {
                        while (i < text.length() && Character.isDigit(text.charAt(i))) {
                            i++;
                        }
                    } else {
                        i = mark;
                    }
                }
                out.add(new Token(Kind.NUMBER, text.substring(start, i), null));
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i;
                while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.NAME, text.substring(start, i), null));
            } else {
                String symbol = null;
                for (String s : SYMBOLS) {
                    if (text.startsWith(s, i)) {
                        symbol = s;
                        break;
                    }
                }
                if (symbol == null) {
                    throw new NotTranslated("unexpected '" + c + "'");
                }
                out.add(new Token(Kind.SYMBOL, symbol, null));
                i += symbol.length();
            }
        }
        out.add(new Token(Kind.END, "", null));
        return out;
    }

    /** Reads a quoted string starting at {@code start}; returns the index after it. */
    private static int string(String text, int start, List<Token> out) throws NotTranslated {
        char quote = text.charAt(start);
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                out.add(new Token(Kind.STRING, text.substring(start, i + 1), value.toString()));
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    break;
                }
                char e = text.charAt(i + 1);
                switch (e) {
                    case '\\', '\'', '"' -> value.append(e);
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case 'u' -> {
                        if (i + 6 > text.length() || !text.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                            throw new NotTranslated("the escape \\u without four hex digits");
                        }
                        value.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                        i += 4;
                    }
                    default -> throw new NotTranslated("the escape \\" + e + " in a string");
                }
                i += 2;
            } else {
                value.append(c);
                i++;
            }
        }
        throw new NotTranslated("a string without its closing " + quote);
    }

    /** Whether a variable name can stand in JSONata as written (not a keyword, no characters needing quotes). */
    static boolean isPlainName(String name) {
        return JSONATA_NAME.matcher(name).matches() && !JSONATA_WORDS.contains(name);
    }

    /** A JSONata string literal: the original quote where the value allows it, escapes as JSON has them. */
    static String stringLiteral(String value, char preferred) {
        char quote = value.indexOf(preferred) < 0 ? preferred : (value.indexOf('"') < 0 ? '"' : (value.indexOf('\'') < 0 ? '\'' : '"'));
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }

    private static String numberLiteral(String text) {
        return JSONATA_NUMBER.matcher(text).matches() ? text : new BigDecimal(text).toString();
    }

    // ---- Grammar ----

    /** One parse, JUEL's grammar or FEEL's. */
    private static final class Parser {
        private final List<Token> tokens;
        private final boolean feel;
        private int at;

        Parser(List<Token> tokens, boolean feel) {
            this.tokens = tokens;
            this.feel = feel;
        }

        Condition whole() throws NotTranslated {
            if (peek().kind() == Kind.END) {
                throw new NotTranslated("it is empty");
            }
            Condition c = or();
            if (peek().kind() != Kind.END) {
                throw unexpected(peek());
            }
            return c;
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token take() {
            return tokens.get(at++);
        }

        private boolean accept(String... alternatives) {
            for (String a : alternatives) {
                if (peek().is(a)) {
                    at++;
                    return true;
                }
            }
            return false;
        }

        private Condition or() throws NotTranslated {
            Condition left = and();
            while (feel ? accept("or") : accept("||", "or")) {
                left = new Logic("or", left, and());
            }
            return left;
        }

        private Condition and() throws NotTranslated {
            Condition left = feel ? comparison() : equality();
            while (feel ? accept("and") : accept("&&", "and")) {
                left = new Logic("and", left, feel ? comparison() : equality());
            }
            return left;
        }

        /** JUEL: equality binds looser than relations, as in Java. */
        private Condition equality() throws NotTranslated {
            Condition left = relation();
            while (EQUALITY.contains(peek().text()) && peek().kind() != Kind.STRING) {
                String op = COMPARISONS.get(take().text());
                left = new Comparison(op, left, relation());
            }
            return left;
        }

        private Condition relation() throws NotTranslated {
            Condition left = unary();
            while (COMPARISONS.containsKey(peek().text()) && !EQUALITY.contains(peek().text())
                    && peek().kind() != Kind.STRING) {
                String op = COMPARISONS.get(take().text());
                left = new Comparison(op, left, unary());
            }
            return left;
        }

        /** FEEL: one comparison at most; FEEL does not chain them. */
        private Condition comparison() throws NotTranslated {
            Condition left = unary();
            if (FEEL_COMPARISONS.containsKey(peek().text()) && peek().kind() == Kind.SYMBOL) {
                String op = FEEL_COMPARISONS.get(take().text());
                left = new Comparison(op, left, unary());
                if (FEEL_COMPARISONS.containsKey(peek().text()) && peek().kind() == Kind.SYMBOL) {
                    throw new NotTranslated("chained comparisons");
                }
            }
            return left;
        }

        private Condition unary() throws NotTranslated {
            if (!feel && accept("!", "not")) {
                return new Not(unary());
            }
            if (!feel && peek().is("empty")) {
                throw new NotTranslated("the operator 'empty'");
            }
            if (peek().is("-")) {
                take();
                if (peek().kind() != Kind.NUMBER) {
                    throw new NotTranslated("arithmetic (-)");
                }
                return after(new Literal("-" + numberLiteral(take().text())));
            }
            return after(primary());
        }

        private Condition primary() throws NotTranslated {
            Token t = take();
            switch (t.kind()) {
                case NUMBER:
                    return new Literal(numberLiteral(t.text()));
                case STRING:
                    return new Literal(stringLiteral(t.value(), t.text().charAt(0)));
                case NAME:
                    return name(t);
                case SYMBOL:
                    if (t.is("(")) {
                        Condition inner = or();
                        if (!accept(")")) {
                            throw peek().kind() == Kind.END ? new NotTranslated("a '(' without its ')'") : unexpected(peek());
                        }
                        return inner;
                    }
                    if (feel && t.is("[")) {
                        throw new NotTranslated("FEEL lists");
                    }
                    throw unexpected(t);
                default:
                    throw new NotTranslated("it ends where an operand should follow");
            }
        }

        private Condition name(Token t) throws NotTranslated {
            switch (t.text()) {
                case "true", "false", "null" -> {
                    return new Literal(t.text());
                }
                default -> {
                    // a name, checked below
                }
            }
            if (feel) {
                if (t.is("not") && peek().is("(")) {
                    take();
                    Condition inner = or();
                    if (accept(",")) {
                        throw new NotTranslated("not() with several arguments");
                    }
                    if (!accept(")")) {
                        throw unexpected(peek());
                    }
                    return new Not(inner);
                }
                switch (t.text()) {
                    case "if", "then", "else" -> throw new NotTranslated("FEEL's if-then-else");
                    case "some", "every", "for", "satisfies", "return" -> throw new NotTranslated("FEEL's quantified and for expressions");
                    case "function" -> throw new NotTranslated("FEEL function definitions");
                    case "and", "or", "between", "in", "instance", "of", "not" -> throw unexpected(t);
                    default -> {
                        // a variable
                    }
                }
            } else {
                switch (t.text()) {
                    case "and", "or", "eq", "ne", "lt", "le", "gt", "ge", "div", "mod", "instanceof", "empty", "not" -> throw unexpected(t);
                    default -> {
                        // a variable
                    }
                }
            }
            List<String> names = new ArrayList<>();
            names.add(t.text());
            while (peek().is(".")) {
                take();
                Token next = take();
                if (next.kind() != Kind.NAME) {
                    throw next.kind() == Kind.END ? new NotTranslated("a path ending in '.'") : unexpected(next);
                }
                if (peek().is("(")) {
                    throw new NotTranslated(feel ? "function calls" : "method calls");
                }
                names.add(next.text());
            }
            if (peek().is("(") || (!feel && peek().is(":") && names.size() == 1)) {
                // f(x), or JUEL's prefixed fn:f(x)
                throw new NotTranslated("function calls");
            }
            if (names.stream().anyMatch(n -> n.indexOf('`') >= 0)) {
                throw new NotTranslated("a name with a backtick");
            }
            return new Path(List.copyOf(names));
        }

        /** What may not follow an operand in the subset, named for the author. */
        private Condition after(Condition operand) throws NotTranslated {
            Token t = peek();
            if (t.is("[")) {
                throw new NotTranslated(feel ? "FEEL filters and indexing" : "indexing with [ ]");
            }
            if (t.is("(")) {
                throw new NotTranslated(feel ? "function calls" : "method calls");
            }
            if ((t.kind() == Kind.SYMBOL || t.kind() == Kind.NAME) && ARITHMETIC.contains(t.text())) {
                throw new NotTranslated("arithmetic (" + t.text() + ")");
            }
            if (t.is("?") || (!feel && t.is(":"))) {
                throw new NotTranslated("the conditional operator ? :");
            }
            if (t.is("..")) {
                throw new NotTranslated("FEEL ranges");
            }
            if (feel && (t.is("between") || t.is("in") || t.is("instance"))) {
                throw new NotTranslated("the FEEL operator '" + t.text() + "'");
            }
            if (!feel && t.is("=")) {
                throw new NotTranslated("'=' (JUEL compares with ==)");
            }
            if (!feel && t.is("instanceof")) {
                throw new NotTranslated("instanceof");
            }
            return operand;
        }

        private NotTranslated unexpected(Token t) {
            if (t.kind() == Kind.END) {
                return new NotTranslated("it ends where an operand should follow");
            }
            if (t.is("}") || t.is("{")) {
                return new NotTranslated("text around the ${…} expression, or braces inside it");
            }
            return new NotTranslated("unexpected '" + t.text() + "'");
        }
    }
}
