/** Plain JDBC over the Flyway schema: batched writes on the hot path, the same SQL on H2 and PostgreSQL. */
package dev.baton.hub.persistence;
