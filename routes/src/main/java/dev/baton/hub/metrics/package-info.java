/** Metrics for Prometheus (Micrometer) and the KPIs of {@code GET /api/kpis}, read from the step history. */
package dev.baton.hub.metrics;
