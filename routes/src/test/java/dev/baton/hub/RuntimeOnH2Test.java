package dev.baton.hub;

/** The runtime's behaviour on the embedded default: H2 file database, embedded Artemis. */
class RuntimeOnH2Test extends RuntimeBehaviour {
}
