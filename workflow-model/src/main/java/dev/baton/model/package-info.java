/** Baton's process language and decision function: pure Java, no Spring, no Camel, no I/O. */
package dev.baton.model;
