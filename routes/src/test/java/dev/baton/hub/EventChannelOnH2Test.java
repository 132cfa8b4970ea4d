package dev.baton.hub;

/** Event identity and channels on the embedded default: H2 file database, embedded Artemis. */
class EventChannelOnH2Test extends EventChannelBehaviour {
}
