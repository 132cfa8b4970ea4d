package dev.baton.hub.trigger;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.PatternMatchUtils;

/**
 * Which CloudEvents {@code source} attributes a channel may send, root {@code baton.events}. The channel
 * ({@code /events/{channel}}) is what the sender's credential was checked against; the {@code source}
 * attribute is the sender's own claim. Without an entry a channel may send any source: its events are
 * namespaced by the channel (de-duplicated and correlated as that channel's), so a claim cannot act for
 * another channel. With one, an event whose source matches none of the patterns is refused with a 400.
 *
 * @param allowedSources channel → the source patterns it may send ({@code *} matches any characters, e.g.
 *                       {@code /wms}, {@code urn:wms:*}); a channel with dots is written in brackets,
 *                       {@code baton.events.allowed-sources[wms.eu]}; empty: every channel any source
 */
@ConfigurationProperties("baton.events")
public record EventSourceProperties(Map<String, List<String>> allowedSources) {

    public EventSourceProperties {
        allowedSources = allowedSources == null ? Map.of() : Map.copyOf(allowedSources);
    }

    /** Whether an event claiming this source may arrive on this channel. */
    public boolean allows(String channel, String source) {
        List<String> patterns = allowedSources.get(channel);
        return patterns == null || patterns.stream().anyMatch(p -> PatternMatchUtils.simpleMatch(p, source));
    }

    /** The patterns a channel's sources must match, or null when it may send any. */
    public List<String> patternsOf(String channel) {
        return allowedSources.get(channel);
    }
}
