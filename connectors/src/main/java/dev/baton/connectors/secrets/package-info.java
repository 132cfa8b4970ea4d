/** Secrets by reference: {@code {{secret:name}}} resolved from a secrets file or the environment when a call is sent. */
package dev.baton.connectors.secrets;
