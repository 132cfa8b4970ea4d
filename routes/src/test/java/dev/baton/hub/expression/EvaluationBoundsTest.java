package dev.baton.hub.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.baton.model.definition.Expression;
import dev.baton.model.engine.ExpressionEvaluator;
import dev.baton.model.engine.ExpressionEvaluator.LimitExceeded;

/**
 * Every evaluation, in all three languages, stops at its bounds with {@link LimitExceeded} naming the bound:
 * the attacks from issue 13 (a range bomb, recursive functions, a regular expression that backtracks without
 * end) and the ways around a clock checked between steps (one step allocating a lot, values built by sharing).
 * Sizes are the defaults; the clock is half a second, so each attack is over in about that.
 */
class EvaluationBoundsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** The bound plus the slowest step between two checks on a busy two-core machine. */
    private static final long WITHIN_MS = TIMEOUT.toMillis() + 1_500;
    private static final ExpressionProperties LIMITS = new ExpressionProperties(TIMEOUT, 500, 500_000, 5_000_000,
            DataSize.ofMegabytes(128));

    private static DefaultCamelContext camel;
    private static CamelExpressions expressions;
    /** The same bounds but a clock that a cold JVM on a busy machine never reaches: for the other bounds. */
    private static CamelExpressions sized;

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
        camel.start();
        expressions = new CamelExpressions(camel, LIMITS);
        sized = new CamelExpressions(camel, new ExpressionProperties(Duration.ofSeconds(60), LIMITS.maxDepth(),
                LIMITS.maxItems(), LIMITS.maxChars(), LIMITS.maxAllocation()));
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    @Test
    void shouldStopTheRangeBombAtTheSizeBoundBeforeAnythingWalksIt() {
        Failure f = evaluate(sized, Expression.JSONATA, "$count([1..10000000].[1..1000])", Map.of());

        assertThat(f.error()).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining(ExpressionEvaluator.LIMIT_EXCEEDED)
                .hasMessageContaining("more than 500000 items, its size limit (baton.expressions.max-items)");
        assertThat(f.millis()).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldStopAMappingThatGrowsStepByStepAtTheClockOrTheMemoryBound() {
        Failure f = evaluate(Expression.JSONATA, "$count([1..400000].[1..1000])", Map.of());

        assertThat(f.error()).isInstanceOf(LimitExceeded.class).hasMessageContaining(ExpressionEvaluator.LIMIT_EXCEEDED);
        assertThat(f.millis()).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldStopATailRecursiveLoop() {
        Failure f = evaluate(Expression.JSONATA, "($f := function($x){ $f($x + 1) }; $f(0))", Map.of());

        assertThat(f.error()).isInstanceOf(LimitExceeded.class).hasMessageContaining(ExpressionEvaluator.LIMIT_EXCEEDED);
        assertThat(f.millis()).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldStopANonTailRecursionAtTheDepthBoundBeforeTheStackOverflows() {
        Failure f = evaluate(sized, Expression.JSONATA, "($f := function($x){ 1 + $f($x + 1) }; $f(0))", Map.of());

        assertThat(f.error()).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("nested deeper than its depth limit, 500 (baton.expressions.max-depth)");
    }

    @Test
    void shouldAnswerTheClassicBacktrackingExamplePromptly() {
        // Java 17's engine memoizes this one's loop (issue 13's example): no match, at once
        long started = System.nanoTime();

        Object result = expressions.evaluate(new Expression(Expression.JSONATA,
                "$match(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", /^(a+)+$/)"), Map.of());

        assertThat(result).isNull();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldStopARegularExpressionThatBacktracksWithoutEnd() {
        // C(50, 25) ways to place the 25 a's: Java 17 backtracks through them
        Failure f = evaluate(Expression.JSONATA, "$match(\"" + "a".repeat(50) + "!\", /(.*a){25}/)", Map.of());

        assertThat(f.error()).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("ran longer than its time limit, 500 ms (baton.expressions.timeout)");
        assertThat(f.millis()).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldStopEveryGuardedRegexFunctionAndAStringPatternTakenForARegex() {
        String evil = "\"" + "a".repeat(50) + "!\"";
        for (String text : List.of("$contains(" + evil + ", /(.*a){25}/)", "$split(" + evil + ", /(.*a){25}/)",
                "$replace(" + evil + ", /(.*a){25}/, \"x\")", "$replace(" + evil + ", \"(.*a){25}\", \"x\", 1)")) {
            Failure f = evaluate(Expression.JSONATA, text, Map.of());
            assertThat(f.error()).as(text).isInstanceOf(LimitExceeded.class).hasMessageContaining("time limit");
            assertThat(f.millis()).as(text).isLessThan(WITHIN_MS);
        }
    }

    @Test
    void shouldRefuseFunctionsWhoseOutputWouldExceedTheSizeBoundBeforeTheyBuildIt() {
        Map<String, Object> vars = Map.of("s", "a".repeat(100_000));
        for (String text : List.of("$pad(\"x\", 2000000000)", "$replace(s, \"a\", s)", "$replace(s, /a/, s)",
                "$join([1..1000].($$.s), \",\")", "$join([\"a\", \"b\"], $join([1..60].($$.s)))")) {
            Failure f = evaluate(sized, Expression.JSONATA, text, vars);
            assertThat(f.error()).as(text).isInstanceOf(LimitExceeded.class)
                    .hasMessageContaining("characters, its size limit (baton.expressions.max-chars)");
            assertThat(f.millis()).as(text).isLessThan(WITHIN_MS);
        }
    }

    @Test
    void shouldRefuseAPadThatTheLibraryWouldBuildInQuadraticTime() {
        Failure f = evaluate(sized, Expression.JSONATA, "$pad(\"\", 100000, \"a\")", Map.of());

        assertThat(f.error()).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("would allocate more than its memory limit, 128 MB");
        assertThat(f.millis()).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldMeasureValuesBuiltBySharingAsTheirSerializationWouldBe() {
        // 2^40 leaves in a few hundred bytes: equality, $string and the variables' JSON would walk them all
        StringBuilder doubling = new StringBuilder("($a0 := [1, 2]; ");
        for (int i = 1; i <= 40; i++) {
            doubling.append("$a").append(i).append(" := [$a").append(i - 1).append(", $a").append(i - 1).append("]; ");
        }
        for (String tail : List.of("$a40", "$string($a40)", "$a40 = [$a39, $a39]")) {
            Failure f = evaluate(sized, Expression.JSONATA, doubling + tail + ")", Map.of());
            assertThat(f.error()).as(tail).isInstanceOf(LimitExceeded.class)
                    .hasMessageContaining("items, its size limit (baton.expressions.max-items)");
            assertThat(f.millis()).as(tail).isLessThan(WITHIN_MS);
        }
    }

    @Test
    void shouldStopAnEvaluationThatAllocatesPastTheMemoryBound() {
        CamelExpressions small = new CamelExpressions(camel, new ExpressionProperties(Duration.ofSeconds(30), 500,
                500_000, 5_000_000, DataSize.ofMegabytes(8)));
        Throwable error = catchThrowable(() -> small.evaluate(new Expression(Expression.JSONATA,
                "$count([1..400000].{\"n\": $string($), \"m\": $ * 2})"), Map.of()));

        assertThat(error).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("allocated more than its memory limit, 8 MB (baton.expressions.max-allocation)");
    }

    @Test
    void shouldStopJsonPathDeepScansOverADeepDocument() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> level = root;
        for (int i = 0; i < 900; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            level.put("n", next);
            level.put("v", i);
            level = next;
        }

        Failure f = evaluate(Expression.JSONPATH, "$..*..*..*..v", root);

        assertThat(f.error()).isInstanceOf(LimitExceeded.class).hasMessageContaining(ExpressionEvaluator.LIMIT_EXCEEDED);
        assertThat(f.millis()).isLessThan(WITHIN_MS);
    }

    @Test
    void shouldStopSimpleReadingMoreThanItsTimeAllows() {
        CamelExpressions instant = new CamelExpressions(camel, new ExpressionProperties(Duration.ofNanos(1), 500,
                500_000, 5_000_000, DataSize.ofMegabytes(128)));
        List<Object> big = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            big.add(Map.of("i", i));
        }

        Throwable error = catchThrowable(() -> instant.test(new Expression(Expression.SIMPLE,
                "${body[items]} contains 'x'"), Map.of("items", big)));

        assertThat(error).isInstanceOf(LimitExceeded.class).hasMessageContaining("time limit");
    }

    @Test
    void shouldEvaluateOneExpressionOnManyThreadsAtOnceWithoutALongOneHoldingUpTheOthers() throws Exception {
        // given: one compiled expression, looping for one input (until a 5 s clock) and quick for the other
        CamelExpressions slowClock = new CamelExpressions(camel, new ExpressionProperties(Duration.ofSeconds(5),
                500, 500_000, 5_000_000, DataSize.ofGigabytes(4)));
        Expression e = new Expression(Expression.JSONATA,
                "slow ? ($f := function($x){ $f($x + 1) }; $f(0)) : $sum(items.(qty * price))");
        List<Map<String, Object>> items = List.of(Map.of("qty", 2, "price", 5), Map.of("qty", 1, "price", 7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CompletableFuture<Throwable> slow = CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> slowClock.evaluate(e, Map.of("slow", true))), pool);

            // when: while it loops, the quick one is evaluated 200 times on other threads
            List<CompletableFuture<Object>> fast = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                fast.add(CompletableFuture.supplyAsync(
                        () -> slowClock.evaluate(e, Map.of("slow", false, "items", items)), pool));
            }

            // then: each gives the right answer before the loop has ended: nothing waits for it
            for (CompletableFuture<Object> f : fast) {
                assertThat(((Number) f.get(4, TimeUnit.SECONDS)).intValue()).isEqualTo(17);
            }
            assertThat(slow.isDone()).as("the looping evaluation ended").isFalse();
            assertThat(slow.get(30, TimeUnit.SECONDS)).isInstanceOf(LimitExceeded.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNotOverflowAfterManyEvaluationsOnTheThreadThatCompiledTheExpression() throws Exception {
        // the library's per-thread instance, if it were the compiled expression, would chain every evaluation's
        // frame below the last one: lookups walk an ever longer chain until the stack overflows (a small stack
        // here, so that happens within these evaluations)
        Expression e = new Expression(Expression.JSONATA, "($y := a + 1; $count([1, 2, 3]) + $y)");
        expressions.evaluate(new Expression(Expression.JSONATA, "$match(\"a\", /a/)"), Map.of()); // classes loaded
        Throwable[] failed = new Throwable[1];
        Thread compiler = new Thread(null, () -> {
            try {
                assertThat(expressions.check(e)).isNull();
                for (int i = 0; i < 20_000; i++) {
                    assertThat(((Number) expressions.evaluate(e, Map.of("a", i))).intValue()).isEqualTo(i + 4);
                }
            } catch (Throwable t) {
                failed[0] = t;
            }
        }, "compiler", 256 * 1024);

        compiler.start();
        compiler.join();

        assertThat(failed[0]).isNull();
    }

    private record Failure(Throwable error, long millis) {
    }

    private static Failure evaluate(String language, String text, Object context) {
        return evaluate(expressions, language, text, context);
    }

    private static Failure evaluate(CamelExpressions evaluator, String language, String text, Object context) {
        long started = System.nanoTime();
        Throwable error = catchThrowable(() -> evaluator.evaluate(new Expression(language, text), context));
        return new Failure(error, (System.nanoTime() - started) / 1_000_000);
    }
}
