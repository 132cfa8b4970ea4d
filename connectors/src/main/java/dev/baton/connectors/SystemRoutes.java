package dev.baton.connectors;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.model.ProcessorDefinition;

import dev.baton.model.engine.Failure;

/**
 * The guard every outbound call to a connected system passes: a rate limit to stay inside the system's
 * API limits, and a circuit breaker that stops calling a system that keeps failing. Failures the
 * system would give again however often it is asked (a 400, a 404) are carried past the breaker, so a
 * burst of bad requests never opens it for the good ones.
 */
public final class SystemRoutes {

    /** Where a permanent failure waits while it passes the breaker. */
    private static final String PERMANENT = "BatonPermanentFailure";

    /**
     * How the guard treats failures.
     *
     * @param requestsPerSecond calls per second through this guard
     * @param failureRate       percentage of failures in the window that opens the breaker
     * @param window            calls the rate is measured over
     * @param minimumCalls      calls before the rate counts
     * @param openForMillis     how long an open breaker refuses calls
     */
    public record Guard(int requestsPerSecond, int failureRate, int window, int minimumCalls, long openForMillis) {
    }

    private SystemRoutes() {
    }

    /**
     * Appends a guarded {@code to(uri)} to the route. Each guarded call gets its own breaker, so a failing
     * operation does not stop the others. Only failures that say the system is unwell count towards
     * opening it: not permanent ones (a bad request is the caller's fault), and not throttling (HTTP 429:
     * the system is up and asks for less; the rate limit and the retry back-off answer that, and a breaker
     * opened by a few random 429s would refuse every call for its whole open period). Both still fail the
     * call, unchanged.
     *
     * @param permanent which exceptions mean "asking again cannot help"
     */
    public static void guardedTo(ProcessorDefinition<?> route, Guard guard, String uri,
                                 Predicate<Throwable> permanent) {
        ProcessorDefinition<?> inside = route
                .throttle(guard.requestsPerSecond()).timePeriodMillis(1000).totalRequestsMode()
                .end()
                .circuitBreaker()
                    .resilience4jConfiguration()
                        .failureRateThreshold(guard.failureRate())
                        .slidingWindowSize(guard.window())
                        .minimumNumberOfCalls(guard.minimumCalls())
                        .waitDurationInOpenState((int) Math.max(1, guard.openForMillis() / 1000))
                        .throwExceptionWhenHalfOpenOrOpenState(true)
                    .end()
                    .doTry()
                        .to(uri)
                    .doCatch(Exception.class)
                        .onWhen(exchange -> caught(exchange) != null
                                && (permanent.test(caught(exchange)) || isThrottled(caught(exchange))))
                        .process(exchange -> exchange.setProperty(PERMANENT, caught(exchange)))
                    .end();
        inside.end().process(SystemRoutes::rethrowPermanent);
    }

    /**
     * What every system's failures share, around what only the system knows: the breaker refusing the
     * call, a failure a connector already classified, the system's own errors ({@code own}, null when it
     * does not recognise the exception), I/O and time-outs (retryable), anything else (retryable, unclassified).
     *
     * @param system how the system is named in messages, e.g. {@code Salesforce}
     * @param ioCode the system's code for "could not be reached"
     */
    public static Failure classify(Throwable exception, String system, String ioCode,
                                   Function<Throwable, Failure> own) {
        if (isBreakerOpen(exception)) {
            return new Failure(ConnectorCodes.CIRCUIT_OPEN, system + " calls are paused: the circuit breaker is open "
                    + "after repeated failures", true, List.of());
        }
        for (Throwable c : chain(exception)) {
            if (c instanceof ConnectorException ce) {
                return ce.failure();
            }
            Failure failure = own.apply(c);
            if (failure != null) {
                return failure;
            }
            if (c instanceof IOException || c instanceof TimeoutException) {
                return new Failure(ioCode, system + " could not be reached: " + c.getMessage(), true, List.of());
            }
        }
        return new Failure(ConnectorCodes.UNEXPECTED, String.valueOf(exception.getMessage()), true, List.of());
    }

    /** Whether the system answered HTTP 429 Too Many Requests. */
    public static boolean isThrottled(Throwable failure) {
        Integer status = httpStatusOf(failure);
        return status != null && status == 429;
    }

    /** Whether a failure was the breaker refusing the call. */
    public static boolean isBreakerOpen(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

    /** The failure being handled: still on the exchange while doCatch decides, in the property once caught. */
    private static Throwable caught(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static void rethrowPermanent(Exchange exchange) throws Exception {
        Object failure = exchange.removeProperty(PERMANENT);
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * The HTTP status a connected system answered with, found in a failure's causes (camel-http's,
     * camel-salesforce's and SAP's exceptions carry it), or null when the call never got an answer.
     */
    public static Integer httpStatusOf(Throwable failure) {
        for (Throwable c : chain(failure)) {
            if (c instanceof org.apache.camel.http.base.HttpOperationFailedException h) {
                return h.getStatusCode();
            }
            if (c instanceof org.apache.camel.component.salesforce.api.SalesforceException sf && sf.getStatusCode() > 0) {
                return sf.getStatusCode();
            }
            if (c instanceof dev.baton.connectors.sap.SapException sap && sap.status() > 0) {
                return sap.status();
            }
        }
        return null;
    }

    /** The exception and its causes, outermost first. */
    public static List<Throwable> chain(Throwable t) {
        java.util.ArrayList<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && all.size() < 20; c = c.getCause()) {
            all.add(c);
        }
        return all;
    }
}
