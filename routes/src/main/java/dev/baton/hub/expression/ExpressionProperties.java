package dev.baton.hub.expression;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The bounds every expression evaluation runs under, root {@code baton.expressions}. An evaluation that
 * reaches one stops with {@code BATON-EXPR-002} naming it: an incident on a step, a 422 on the event intake.
 *
 * @param timeout       wall-clock time one evaluation may take
 * @param maxDepth      how deeply a JSONata evaluation may nest (about three levels per call of a recursive
 *                      function); the thread's stack overflows near 1,300 with the default 1 MB stack
 * @param maxItems      array elements and object members in any one value an evaluation reads, builds or
 *                      returns, a sub-value counted as often as it occurs (a 1 MB JSON body holds at most
 *                      about 500,000 values)
 * @param maxChars      characters in any one value an evaluation builds or returns, strings in arrays and
 *                      objects summed the same way
 * @param maxAllocation bytes the evaluating thread may allocate during one evaluation, garbage included (a
 *                      JSONata mapping over 5,000 order lines allocates about 17 MB)
 */
@ConfigurationProperties("baton.expressions")
public record ExpressionProperties(@DefaultValue("1s") Duration timeout,
                                   @DefaultValue("500") int maxDepth,
                                   @DefaultValue("500000") int maxItems,
                                   @DefaultValue("5000000") int maxChars,
                                   @DefaultValue("128MB") DataSize maxAllocation) {

    /** The defaults, for evaluators built outside Spring (tests, tools). */
    public static ExpressionProperties defaults() {
        return new ExpressionProperties(Duration.ofSeconds(1), 500, 500_000, 5_000_000, DataSize.ofMegabytes(128));
    }
}
