/** OpenTelemetry: one SDK, one Tracer, W3C trace context carried on every command. */
package dev.baton.hub.tracing;
