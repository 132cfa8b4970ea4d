package dev.baton.hub.tracing;

/** The local span store on the embedded default's H2 ({@code MERGE ... KEY} for spans exported again). */
class SpanStoreOnH2Test extends SpanStoreBehaviour {
}
