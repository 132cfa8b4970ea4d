/** What a process is: immutable definitions, steps, triggers and the expressions they hold. */
package dev.baton.model.definition;
