/** What starts instances besides an API call: CloudEvents on /events/{source}, and cron. */
package dev.baton.hub.trigger;
