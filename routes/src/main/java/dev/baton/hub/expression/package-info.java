/** Expressions in the languages Camel ships (JSONata, Simple, JSONPath), compiled once and cached. */
package dev.baton.hub.expression;
