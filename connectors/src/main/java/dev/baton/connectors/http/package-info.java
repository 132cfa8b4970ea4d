/** Plain HTTP/webhook calls through camel-http. */
package dev.baton.connectors.http;
