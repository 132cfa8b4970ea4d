/** The connector SPI: how a step's call reaches an external system through Camel. */
package dev.baton.connectors;
