/** Ready means ready: no API call or event is taken before the node can honour it, nor while it shuts down. */
package dev.baton.hub.readiness;
