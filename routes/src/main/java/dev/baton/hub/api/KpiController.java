package dev.baton.hub.api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
        return kpis.kpis(definition, version, RequestInstants.parse(from, "from"), RequestInstants.parse(to, "to"));
    }
}
