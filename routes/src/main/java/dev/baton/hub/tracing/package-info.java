/** OpenTelemetry: one SDK, one Tracer, W3C trace context carried on every command; the local span store. */
package dev.baton.hub.tracing;
