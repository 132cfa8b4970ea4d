package dev.baton.hub;

/** Starts with an {@code Idempotency-Key} on the embedded default: H2 file database, embedded Artemis. */
class StartIdempotencyOnH2Test extends StartIdempotencyBehaviour {
}
