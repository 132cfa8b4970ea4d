/** Roles and the users file of the embedded default. */
package dev.baton.governance.access;
