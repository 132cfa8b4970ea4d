package dev.baton.hub.expression;

import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.language.simple.SimpleExpressionParser;
import org.apache.camel.language.simple.SimplePredicateParser;
import org.apache.camel.language.simple.ast.BinaryExpression;
import org.apache.camel.language.simple.ast.BooleanExpression;
import org.apache.camel.language.simple.ast.CompositeNodes;
import org.apache.camel.language.simple.ast.DoubleQuoteStart;
import org.apache.camel.language.simple.ast.LiteralExpression;
import org.apache.camel.language.simple.ast.LogicalExpression;
import org.apache.camel.language.simple.ast.NullExpression;
import org.apache.camel.language.simple.ast.NumericExpression;
import org.apache.camel.language.simple.ast.SimpleFunctionExpression;
import org.apache.camel.language.simple.ast.SimpleFunctionStart;
import org.apache.camel.language.simple.ast.SimpleNode;
import org.apache.camel.language.simple.ast.SingleQuoteStart;
import org.apache.camel.language.simple.ast.UnaryExpression;
import org.apache.camel.language.simple.types.BinaryOperatorType;

/**
 * What Baton allows of the two languages it runs through Camel, decided at deploy.
 *
 * <p><b>Simple</b> can call methods on anything it reaches ({@code ${camelContext...}}, OGNL such as
 * {@code ${body[x].getClass()}}), read the environment, system properties, beans, properties and files.
 * Baton keeps a subset, as an allow-list checked on the syntax tree Camel's own parsers build (the predicate
 * parser and the template parser, since an expression is compiled both ways): functions
 * {@code ${body}}, {@code ${body[key]...}} and {@code ${variable.name}}, {@code ${variable.name[key]...}} (a key
 * of letters, digits, {@code _ - . :} and spaces, optionally in single quotes), literals, and the comparison,
 * containment, range and logical operators. Refused: every other function, OGNL method calls and property
 * paths, nested functions, {@code $simple{...}}, the {@code regex} operators (a pattern can backtrack without
 * end inside one step), {@code is} (it loads a class by name), {@code ++}/{@code --}, functions inside double
 * quotes (use single quotes), and {@code resource:} (Camel loads the expression from a file or URL).
 *
 * <p><b>JSONPath</b> (Jayway) reads only the document, but Camel evaluates a {@code ${...}} inside it as Simple
 * and loads a {@code resource:} expression from a file; {@code =~} matches a regular expression where
 * nothing can stop it. Those three are refused. Property placeholders ({@code {{env:HOME}}}) are not resolved
 * in either language's expressions created through {@code Language} (checked against Camel 4.17): they stay
 * literal text.
 */
final class CamelLanguagePolicy {

    static final String RESOURCE = "it loads the expression from a resource ('resource:...'), which Baton does"
            + " not allow";
    /** %s: the function as written. */
    static final String SIMPLE_FUNCTION = "it uses the Simple function '%s': Baton's Simple subset reads only"
            + " ${body}, ${body[key]...}, ${variable.name} and ${variable.name[key]...}";
    /** %s: the outer function as written. */
    static final String SIMPLE_NESTED = "it nests a function inside '%s', which Baton's Simple subset does not"
            + " allow";
    static final String SIMPLE_ALT_SYNTAX = "it uses $simple{...}: write ${...}";
    /** %s: the operator. */
    static final String SIMPLE_OPERATOR = "it uses the Simple operator '%s', which Baton's Simple subset does not"
            + " allow (a regular expression can backtrack without end, 'is' loads a class, '++' and '--' change"
            + " values; JSONata's $match runs under the time limit)";
    static final String SIMPLE_DOUBLE_QUOTED = "it puts a function inside double quotes: in Baton's Simple subset"
            + " functions in literals go in single quotes";
    /** %s: the node. */
    static final String SIMPLE_UNKNOWN = "it uses '%s', which Baton's Simple subset does not allow";
    static final String JSONPATH_SIMPLE = "it embeds a Simple expression (${...}), which Baton does not evaluate"
            + " inside JSONPath";
    static final String JSONPATH_REGEX = "it matches a regular expression (=~), which Baton's JSONPath does not"
            + " allow: use JSONata's $match, which runs under the time limit";

    private static final Pattern FUNCTION = Pattern.compile(
            "(body|variable\\.[A-Za-z0-9_-]+)(\\[\\s*('?)[A-Za-z0-9_\\-.: ]+\\3\\s*])*");
    private static final Set<BinaryOperatorType> OPERATORS = Set.of(
            BinaryOperatorType.EQ, BinaryOperatorType.EQ_IGNORE, BinaryOperatorType.NOT_EQ,
            BinaryOperatorType.NOT_EQ_IGNORE, BinaryOperatorType.GT, BinaryOperatorType.GTE, BinaryOperatorType.LT,
            BinaryOperatorType.LTE, BinaryOperatorType.CONTAINS, BinaryOperatorType.NOT_CONTAINS,
            BinaryOperatorType.CONTAINS_IGNORECASE, BinaryOperatorType.NOT_CONTAINS_IGNORECASE,
            BinaryOperatorType.IN, BinaryOperatorType.NOT_IN, BinaryOperatorType.RANGE, BinaryOperatorType.NOT_RANGE,
            BinaryOperatorType.STARTS_WITH, BinaryOperatorType.ENDS_WITH);

    private CamelLanguagePolicy() {
    }

    /**
     * @return null when the Simple text is within Baton's subset, else why not (to follow "but")
     * @throws RuntimeException Camel's parse error when the text is not Simple at all
     */
    static String simple(CamelContext camel, String text) {
        if (loadsResource(text)) {
            return RESOURCE;
        }
        // the template parser first: it reads any text, so its refusal comes before the predicate parser's error
        String refusal = firstOf(new TemplateParser(camel, text).nodes());
        return refusal != null ? refusal
                : firstOf(new SimplePredicateParser(camel, text, true, new HashMap<>()).parseTokens());
    }

    /** @return null when the JSONPath text is allowed, else why not (to follow "but") */
    static String jsonPath(String text) {
        if (loadsResource(text)) {
            return RESOURCE;
        }
        if (text.contains("${") || text.contains("$simple{")) {
            return JSONPATH_SIMPLE;
        }
        if (text.contains("=~")) {
            return JSONPATH_REGEX;
        }
        return null;
    }

    private static boolean loadsResource(String text) {
        return text.strip().startsWith("resource:");
    }

    private static String refusal(SimpleNode node) {
        if (node instanceof SimpleFunctionStart function) {
            if (!"${".equals(function.getToken().getText())) {
                return SIMPLE_ALT_SYNTAX;
            }
            StringBuilder text = new StringBuilder();
            for (SimpleNode part : function.getBlock().getChildren()) {
                if (!(part instanceof LiteralExpression literal) || part instanceof SimpleFunctionExpression) {
                    return String.format(SIMPLE_NESTED, function);
                }
                text.append(literal.getText());
            }
            return FUNCTION.matcher(text.toString().strip()).matches() ? null
                    : String.format(SIMPLE_FUNCTION, function);
        }
        if (node instanceof SimpleFunctionExpression function) {
            return FUNCTION.matcher(function.getText().strip()).matches() ? null
                    : String.format(SIMPLE_FUNCTION, "${" + function.getText() + "}");
        }
        if (node instanceof BinaryExpression binary) {
            if (!OPERATORS.contains(binary.getOperator())) {
                return String.format(SIMPLE_OPERATOR, binary.getToken().getText());
            }
            return firstOf(binary.getLeft(), binary.getRight());
        }
        if (node instanceof LogicalExpression logical) {
            return firstOf(logical.getLeft(), logical.getRight());
        }
        if (node instanceof UnaryExpression unary) {
            return String.format(SIMPLE_OPERATOR, unary.getToken().getText());
        }
        if (node instanceof SingleQuoteStart quoted) {
            return refusal(quoted.getBlock());
        }
        if (node instanceof DoubleQuoteStart quoted) {
            return quoted.toString().contains("${") || quoted.toString().contains("$simple{")
                    ? SIMPLE_DOUBLE_QUOTED : null;
        }
        if (node instanceof CompositeNodes composite) {
            return firstOf(composite.getChildren());
        }
        if (node instanceof LiteralExpression || node instanceof NumericExpression
                || node instanceof BooleanExpression || node instanceof NullExpression) {
            return null;
        }
        return String.format(SIMPLE_UNKNOWN, node);
    }

    private static String firstOf(List<SimpleNode> nodes) {
        for (SimpleNode node : nodes) {
            String refusal = refusal(node);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    private static String firstOf(SimpleNode left, SimpleNode right) {
        String refusal = left == null ? null : refusal(left);
        return refusal != null || right == null ? refusal : refusal(right);
    }

    /** Camel's template parser, whose syntax tree is protected. */
    private static final class TemplateParser extends SimpleExpressionParser {
        TemplateParser(CamelContext camel, String text) {
            super(camel, text, true, new HashMap<>());
        }

        List<SimpleNode> nodes() {
            return parseTokens();
        }
    }
}
