/** The hub application: definitions compiled into Camel routes over durable Artemis queues. */
package dev.baton.hub;
