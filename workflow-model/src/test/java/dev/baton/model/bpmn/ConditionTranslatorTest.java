package dev.baton.model.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.baton.model.bpmn.ConditionTranslator.Translation;

class ConditionTranslatorTest {

    private final ConditionTranslator translator = new ConditionTranslator();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # JUEL, as Camunda 7, Flowable and Activiti write it
            ${amount > 1000}                       | amount > 1000
            `#{approved}`                          | approved
            ${!approved}                           | $not(approved)
            `#{not approved}`                      | $not(approved)
            ${a == 'x' && !b}                      | a = 'x' and $not(b)
            ${x eq 'y'}                            | x = 'y'
            ${x ne "y"}                            | x != "y"
            `${a lt 1 || a gt 9}`                   | a < 1 or a > 9
            ${a le 1 or a ge 9}                    | a <= 1 or a >= 9
            ${a <= 1 and a >= -9}                  | a <= 1 and a >= -9
            ${order.amount >= 100000.50}           | order.amount >= 100000.50
            ${order.customer.vip == true}          | order.customer.vip = true
            ${x != null}                           | x != null
            ${flag == false}                       | flag = false
            `${(a || b) && c}`                      | (a or b) and c
            `${a || b && c}`                        | a or b and c
            ${!(a && b)}                           | $not(a and b)
            ${!!a}                                 | $not($not(a))
            ${(a < b) == c}                        | (a < b) = c
            ${a < b == c}                          | (a < b) = c
            ${1e3 < n}                             | 1e3 < n
            ${007 == n}                            | 7 = n
            ${s == 'it\\'s'}                       | s = "it's"
            ${s == "say \\"hi\\""}                 | s = 'say "hi"'
            ${s == 'back\\\\slash'}                | s = 'back\\\\slash'
            ${s == 'a}b'}                          | s = 'a}b'
            ${$weird == 1}                         | `$weird` = 1
            ${and_more == in_stock}                | and_more = in_stock
            `  ${ spaced  }  `                     | spaced
            # FEEL, as Zeebe writes it
            = reviewResult = "approved"            | reviewResult = "approved"
            =approved                              | approved
            = not(approved)                        | $not(approved)
            = a != 1 and b < 2 or c >= 3           | a != 1 and b < 2 or c >= 3
            = order.total > 10 and not(order.flagged) | order.total > 10 and $not(order.flagged)
            = (a or b) and c                       | (a or b) and c
            = x = null                             | x = null
            = prId                                 | prId
            """)
    void shouldTranslateTheSubset(String source, String jsonata) {
        // when
        Translation t = translator.translate(source);

        // then
        assertThat(t.reason()).isNull();
        assertThat(t.jsonata()).isEqualTo(jsonata);
        assertThat(t.translated()).isTrue();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ${svc.check(amount)}                   | method calls
            ${clarified.equals('yes')}             | method calls
            ${fn:contains(a, 'b')}                 | function calls
            ${items[0] == 1}                       | indexing with [ ]
            ${a + 1 > 2}                           | arithmetic (+)
            ${a * 2 > 2}                           | arithmetic (*)
            ${a div 2 > 2}                         | arithmetic (div)
            ${-a > 2}                              | arithmetic (-)
            ${a ? b : c}                           | the conditional operator ? :
            ${empty list}                          | the operator 'empty'
            ${a = 1}                               | '=' (JUEL compares with ==)
            ${a instanceof B}                      | instanceof
            ${a} and ${b}                          | text around the ${…} expression, or braces inside it
            ${a} x                                 | text after the closing } of ${…}
            ${}                                    | it is empty
            ${a ==}                                | it ends where an operand should follow
            ${(a}                                  | a '(' without its ')'
            ${'open}                               | a string without its closing '
            ${s == 'a\\qb'}                        | the escape \\q in a string
            ${a b}                                 | unexpected 'b'
            ${a and}                               | it ends where an operand should follow
            ${a.}                                  | a path ending in '.'
            approved                               | it is neither JUEL (${…} or #{…}) nor FEEL (= …)
            amount > 1000                          | it is neither JUEL (${…} or #{…}) nor FEEL (= …)
            bpmn:getDataObject('approved')         | it is neither JUEL (${…} or #{…}) nor FEEL (= …)
            `  `                                   | it is empty
            = a < b < c                            | chained comparisons
            = count(items) > 1                     | function calls
            = x in [1, 2]                          | the FEEL operator 'in'
            = x between 1 and 2                    | the FEEL operator 'between'
            = [1, 2]                               | FEEL lists
            = items[1]                             | FEEL filters and indexing
            = if a then b else c                   | FEEL's if-then-else
            = some x in xs satisfies x > 1         | FEEL's quantified and for expressions
            = 1..5                                 | FEEL ranges
            = a + 1                                | arithmetic (+)
            = a == 1                               | unexpected '=='
            = !a                                   | unexpected '!'
            = a && b                               | unexpected '&&'
            = not(a, b)                            | not() with several arguments
            =                                      | it is empty
            """)
    void shouldRefuseAnythingElseWithTheReason(String source, String reason) {
        // when
        Translation t = translator.translate(source);

        // then
        assertThat(t.jsonata()).isNull();
        assertThat(t.reason()).isEqualTo(reason);
        assertThat(t.translated()).isFalse();
    }

    @Test
    void shouldNeverThrowOnNull() {
        assertThat(translator.translate(null).reason()).isEqualTo("it is empty");
    }

    @Test
    void shouldEscapeStringsTheWayJsonataReadsThem() {
        // given: a value holding both quote characters, a backslash, a newline and a tab
        String juel = "${s == 'a\"b\\'c\\\\d\\ne\\tf'}";

        // when
        Translation t = translator.translate(juel);

        // then: JSONata has no \' escape, so the double-quoted form escapes the double quote
        assertThat(t.jsonata()).isEqualTo("s = \"a\\\"b'c\\\\d\\ne\\tf\"");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `#{twitter}`         | `#{!twitter}`         | true
            ${!approved}         | ${approved}           | true
            ${a == 'x'}          | ${a != 'x'}           | true
            ${a eq 'x'}          | ${a ne 'x'}           | true
            ${n < 5}             | ${n >= 5}             | true
            ${n > 5}             | ${n <= 5}             | true
            = r = "approved"     | = not(r = "approved") | true
            ${a && b}            | ${!(a && b)}          | true
            ${a == 'x'}          | ${a == 'y'}           | false
            = r = "approved"     | = r = "rejected"      | false
            ${n < 5}             | ${n > 5}              | false
            ${a}                 | ${b}                  | false
            ${a}                 | ${!!a}                | false
            ${n < 5}             | ${5 <= n}             | false
            """)
    void shouldRecogniseAConditionAndItsNegation(String a, String b, boolean complementary) throws Exception {
        assertThat(ConditionTranslator.complementary(translator.parse(a), translator.parse(b))).isEqualTo(complementary);
        assertThat(ConditionTranslator.complementary(translator.parse(b), translator.parse(a))).isEqualTo(complementary);
    }
}
