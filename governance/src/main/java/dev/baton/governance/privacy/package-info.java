/** Personal data: masking a definition's personal fields, and scrubbing their values from free text. */
package dev.baton.governance.privacy;
