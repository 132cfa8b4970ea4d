/** The runtime: step queues consumed in batches, transitions stored, commands sent in one JMS transaction. */
package dev.baton.hub.runtime;
