package dev.baton.hub.readiness;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ErrorBody;

/**
 * Refuses every API call and event ({@code /api/**}, {@code /events/**}) with 503, {@code Retry-After} and
 * {@code BATON-API-503} while the node is not ready: during start-up, before stored definitions are compiled,
 * triggers scheduled, consumers and inbound routes started, examples deployed and recovery done (Tomcat takes
 * requests before that), and from the moment a graceful shutdown begins. Nothing such a request asks for is
 * done, so its retry is as good as new. {@code /actuator/health/**} stays open and says the same.
 *
 * <p>Runs before Spring Security: a node that cannot serve anyone says so to everyone, the unauthenticated
 * included (the open health endpoint tells them as much), and a login is neither checked nor audited on a
 * node that would refuse the call anyway.
 */
@Component
public class ReadinessFilter extends OncePerRequestFilter implements Ordered {

    /** Ahead of Spring Security's filter chain. */
    static final int ORDER = SecurityProperties.DEFAULT_FILTER_ORDER - 10;

    private final ApplicationAvailability availability;
    private final StartupProgress progress;
    private final ObjectMapper json;
    private final String retryAfter;

    public ReadinessFilter(ApplicationAvailability availability, StartupProgress progress, ObjectMapper json,
                           ReadinessProperties properties) {
        this.availability = availability;
        this.progress = progress;
        this.json = json;
        this.retryAfter = Long.toString(properties.retryAfterSeconds());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The servlet path is decoded and normalised, so "/x/../api" and "/api;p=1/..." are seen as "/api/...".
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !(path.equals("/api") || path.startsWith("/api/") || path.startsWith("/events/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ReadinessState state = availability.getReadinessState();
        if (state == ReadinessState.ACCEPTING_TRAFFIC) {
            chain.doFilter(request, response);
            return;
        }
        String doing = progress.describe();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("readiness", state.name());
        detail.put("node", doing);
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ErrorBody("The hub is " + doing
                + "; nothing was done, retry in " + retryAfter + " s", HubCodes.NOT_READY, List.of(detail)));
    }
}
