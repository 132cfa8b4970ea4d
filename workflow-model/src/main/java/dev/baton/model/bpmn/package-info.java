/** BPMN 2.0 in and out: import of modelers' files into definitions, export of definitions with diagrams. */
package dev.baton.model.bpmn;
