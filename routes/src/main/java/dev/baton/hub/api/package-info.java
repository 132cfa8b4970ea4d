/** The HTTP API of CONTRACT.md: JSON in and out, every error {"error","code","details"}. */
package dev.baton.hub.api;
