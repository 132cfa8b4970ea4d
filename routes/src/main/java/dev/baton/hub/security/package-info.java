/** Who gets in: HTTP Basic users of the embedded default, and the permissions of each role. */
package dev.baton.hub.security;
