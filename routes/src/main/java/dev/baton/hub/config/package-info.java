/** Configuration: the embedded default, the broker, properties. */
package dev.baton.hub.config;
