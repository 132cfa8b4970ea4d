package dev.baton.hub.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.hub.HubCodes;
import dev.baton.hub.metrics.KpiService;
import dev.baton.hub.metrics.Kpis;

/**
 * {@code GET /api/kpis?definition=&version=&from=&to=}: cycle time, throughput, SLA compliance, step and
 * human-task figures of the instances of one definition started in a window (see {@link Kpis}).
 */
@RestController
public class KpiController {

    private final KpiService kpis;

    public KpiController(KpiService kpis) {
        this.kpis = kpis;
    }

    @GetMapping("/api/kpis")
    public Kpis kpis(@RequestParam String definition,
                     @RequestParam(required = false) Integer version,
                     @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to) {
        return kpis.kpis(definition, version, time(from, "from"), time(to, "to"));
    }

    private static Instant time(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                    "Expected " + name + " as an ISO-8601 instant such as 2026-11-25T10:00:00Z, but it is '" + value + "'");
        }
    }
}
