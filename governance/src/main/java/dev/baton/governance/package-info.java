/** Who may do what, and (later) the audit trail, personal-data rules and evidence export. */
package dev.baton.governance;
