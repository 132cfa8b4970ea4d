package dev.baton.hub.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.baton.model.definition.Expression;

/**
 * Expressions are data, not code: what each language could use to reach methods, beans, files, SQL, the
 * environment or system properties, or to escape the evaluation bounds, is refused when the expression is
 * checked (the validator asks at deploy), and the subset Baton keeps still works.
 */
class ExpressionPolicyTest {

    private static DefaultCamelContext camel;
    private static CamelExpressions expressions;

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
        camel.start();
        expressions = new CamelExpressions(camel, ExpressionProperties.defaults());
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "${camelContext.createProducerTemplate().requestBodyAndHeader('sql:SELECT COUNT(*) AS C FROM baton_audit',"
                    + "'x','h','v')}",
            "${camelContext.createProducerTemplate().sendBody('file:/tmp/baton?fileName=pwned','x')}",
            "${exchange.context.registry}",
            "${env:HOME}",
            "${env.HOME}",
            "${sys.user.home}",
            "${sysenv.PATH}",
            "${bean:dataSource.connection}",
            "${properties:spring.datasource.url}",
            "${ref:dataSource}",
            "${type:java.lang.System.out}",
            "${exception.message}",
            "${body[x].getClass()}",
            "${body.getClass().getClassLoader()}",
            "${variable.order.id}",
            "${bodyAs(String)}",
            "${header.CamelHttpUri}",
            "${date:now}",
            "${random(1,10)}",
            "${body[a]} == ${env:HOME}",
            "${body[a]} == 'x${sys.user.home}'"
    })
    void shouldRefuseSimpleFunctionsOutsideTheSubset(String text) {
        assertThat(expressions.check(new Expression(Expression.SIMPLE, text)))
                .startsWith(CamelLanguagePolicy.SIMPLE_FUNCTION.substring(0, CamelLanguagePolicy.SIMPLE_FUNCTION.indexOf('%')));
    }

    @Test
    void shouldRefuseTheOtherWaysOutOfSimple() {
        assertThat(check(Expression.SIMPLE, "$simple{sys.user.home}")).isEqualTo(CamelLanguagePolicy.SIMPLE_ALT_SYNTAX);
        assertThat(check(Expression.SIMPLE, "${body[${variable.key}]}"))
                .isEqualTo(String.format(CamelLanguagePolicy.SIMPLE_NESTED, "${body[${variable.key}]}"));
        assertThat(check(Expression.SIMPLE, "resource:file:/etc/passwd")).isEqualTo(CamelLanguagePolicy.RESOURCE);
        assertThat(check(Expression.SIMPLE, "${body[a]} regex '^(a+)+$'"))
                .isEqualTo(String.format(CamelLanguagePolicy.SIMPLE_OPERATOR, "regex"));
        assertThat(check(Expression.SIMPLE, "${body[a]} not regex 'a'"))
                .isEqualTo(String.format(CamelLanguagePolicy.SIMPLE_OPERATOR, "not regex"));
        assertThat(check(Expression.SIMPLE, "${body[a]} is 'java.lang.String'"))
                .isEqualTo(String.format(CamelLanguagePolicy.SIMPLE_OPERATOR, "is"));
        assertThat(check(Expression.SIMPLE, "${body[a]}++"))
                .isEqualTo(String.format(CamelLanguagePolicy.SIMPLE_OPERATOR, "++"));
        // double quotes hide their functions from the predicate's syntax tree: only single quotes are walked
        assertThat(check(Expression.SIMPLE, "${body[a]} == \"${body[b]}\""))
                .isEqualTo(CamelLanguagePolicy.SIMPLE_DOUBLE_QUOTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "${body}", "${body[rush]}", "${body[sms]} == true", "${body[order][id]}", "${body[order]['id']} == 'o-1'",
            "${variable.amount} > 10", "${variable.order[id]} != null", "${body[list]} contains 2",
            "${body[a]} in '1,2,3'", "${body[a]} range '1..10'", "${body[name]} startsWith 'A'",
            "${body[order][x.y]} == 2 && ${body[a]} >= 1 || ${body[a]} < 0", "${body[name]} =~ 'ann'",
            "${body[list][last]} == 3"
    })
    void shouldAcceptTheSimpleSubset(String text) {
        assertThat(check(Expression.SIMPLE, text)).isNull();
    }

    @Test
    void shouldEvaluateTheSimpleSubsetAsCamelDoes() {
        Map<String, Object> order = new LinkedHashMap<>(Map.of("id", "o-1", "x.y", 2));
        Map<String, Object> vars = new LinkedHashMap<>(Map.of("a", 1, "order", order, "list", List.of(1, 2, 3),
                "name", "Ann"));

        assertThat(expressions.evaluate(new Expression(Expression.SIMPLE, "${body[order]}"), vars)).isSameAs(order);
        assertThat(expressions.evaluate(new Expression(Expression.SIMPLE, "${body[order][x.y]}"), vars)).isEqualTo(2);
        assertThat(expressions.evaluate(new Expression(Expression.SIMPLE, "${variable.order[id]}"), vars))
                .isEqualTo("o-1");
        assertThat(expressions.test(new Expression(Expression.SIMPLE,
                "${body[order]['id']} == 'o-1' && ${variable.a} > 0"), vars)).isTrue();
        assertThat(expressions.test(new Expression(Expression.SIMPLE, "${body[list]} contains 2"), vars)).isTrue();
        assertThat(expressions.test(new Expression(Expression.SIMPLE, "${body[name]} startsWith 'B'"), vars)).isFalse();
        assertThat(expressions.evaluate(new Expression(Expression.SIMPLE, "${body[list][last]}"), vars)).isEqualTo(3);
    }

    @Test
    void shouldNotResolvePropertyPlaceholdersInEitherCamelLanguage() {
        // Camel 4.17 does not resolve {{...}} in expressions created through Language: in JSONPath it stays
        // literal text, in Simple its braces are not even valid syntax
        String home = System.getProperty("user.home");
        Map<String, Object> vars = new LinkedHashMap<>(Map.of(home, "home-key", "a", 1));

        assertThat(check(Expression.JSONPATH, "$['{{sys:user.home}}']")).isNull();
        assertThat(catchThrowable(() -> expressions.evaluate(new Expression(Expression.JSONPATH,
                "$['{{sys:user.home}}']"), vars))).hasMessageContaining("No results for path: $['{{sys:user.home}}']");
        assertThat(check(Expression.SIMPLE, "${body[a]} == '{{env:HOME}}'")).contains("no matching start token");
    }

    @Test
    void shouldRefuseWhatJsonPathWouldHandToSimpleTheFileSystemOrAnUnboundedRegex() {
        assertThat(check(Expression.JSONPATH, "$['${sys.user.home}']")).isEqualTo(CamelLanguagePolicy.JSONPATH_SIMPLE);
        assertThat(check(Expression.JSONPATH, "$[?(@.a == '${camelContext.name}')]"))
                .isEqualTo(CamelLanguagePolicy.JSONPATH_SIMPLE);
        assertThat(check(Expression.JSONPATH, "resource:file:/etc/passwd")).isEqualTo(CamelLanguagePolicy.RESOURCE);
        assertThat(check(Expression.JSONPATH, "$.names[?(@ =~ /^(a+)+$/)]")).isEqualTo(CamelLanguagePolicy.JSONPATH_REGEX);
        assertThat(check(Expression.JSONPATH, "$.order[?(@.total > 10)]")).isNull();
        assertThat(check(Expression.JSONPATH, "$..id")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/^(a+)+$/(\"aaaa!\")", "$map([\"aaaa!\"], /^(a+)+$/)", "($r := /x/; $r(\"x\"))",
            "{\"re\": /x/}", "$match(s, true ? /x/ : /y/)"})
    void shouldRefuseARegularExpressionOutsideTheGuardedFunctions(String text) {
        assertThat(check(Expression.JSONATA, text)).startsWith("it uses a regular expression (at character");
    }

    @Test
    void shouldRefuseEvalAndRebindingTheGuardedFunctions() {
        assertThat(check(Expression.JSONATA, "$eval(\"1 + 1\")")).isEqualTo(JsonataPolicy.EVAL);
        assertThat(check(Expression.JSONATA, "($e := $eval; $e(\"1\"))")).isEqualTo(JsonataPolicy.EVAL);
        assertThat(check(Expression.JSONATA, "($match := function($s, $r){ $r($s) }; $match(\"a\", \"a\"))"))
                .isEqualTo(String.format(JsonataPolicy.GUARDED_NOT_CALLED, "match"));
        assertThat(check(Expression.JSONATA, "(function($replace){ $replace(\"a\") })(1)"))
                .isEqualTo(String.format(JsonataPolicy.GUARDED_NOT_CALLED, "replace"));
        assertThat(check(Expression.JSONATA, "items@$split.x"))
                .isEqualTo(String.format(JsonataPolicy.GUARDED_NOT_CALLED, "split"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$match(s, /a(b+)/)", "s ~> $match(/x/i)", "$replace(s, /a/, \"b\")",
            "$contains(s, \"x\")", "$split(s, /,\\s*/)", "$filter(xs, $contains(?, /x/))", "amount > 1000",
            "$map(items, function($i){ {'sku': $i.sku} })"})
    void shouldAcceptJsonataThatStaysInsideTheBounds(String text) {
        assertThat(check(Expression.JSONATA, text)).isNull();
    }

    @Test
    void shouldGiveTheLibrarysResultsThroughTheGuardedFunctions() {
        Map<String, Object> vars = Map.of("s", "ababbabbcc");

        assertThat(expressions.evaluate(new Expression(Expression.JSONATA, "$match(s, /a(b+)/).groups"), vars))
                .isEqualTo(List.of("b", "bb", "bb"));
        assertThat(expressions.evaluate(new Expression(Expression.JSONATA, "$replace(s, /b+/, \"[$0]\")"), vars))
                .isEqualTo("a[b]a[bb]a[bb]cc");
        assertThat(expressions.evaluate(new Expression(Expression.JSONATA, "$split(s, \"a\")"), vars))
                .isEqualTo(List.of("", "b", "bb", "bbcc"));
        assertThat(expressions.test(new Expression(Expression.JSONATA, "$contains(s, /bbc/)"), vars)).isTrue();
        assertThat(expressions.evaluate(new Expression(Expression.JSONATA, "$pad(\"x\", 3, \"-\")"), vars))
                .isEqualTo("x--");
        assertThat(expressions.evaluate(new Expression(Expression.JSONATA, "$string({\"a\": [1, \"b\"]})"), vars))
                .isEqualTo("{\"a\":[1,\"b\"]}");
        assertThat(expressions.evaluate(new Expression(Expression.JSONATA, "$join([\"a\", \"b\"], \"-\")"), vars))
                .isEqualTo("a-b");
    }

    private static String check(String language, String text) {
        return expressions.check(new Expression(language, text));
    }
}
