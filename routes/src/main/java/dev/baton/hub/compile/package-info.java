/** Deploying: a definition compiled into Camel routes, one compiler per step kind, registered in one table. */
package dev.baton.hub.compile;
