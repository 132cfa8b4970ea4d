/** The load generator of the README's benchmark command; not used by the hub itself. */
package dev.baton.hub.bench;
