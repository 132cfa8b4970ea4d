/** Personal data in the hub: who sees it unmasked, scrubbing it from logs and spans, retention and erasure. */
package dev.baton.hub.privacy;
