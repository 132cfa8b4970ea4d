package dev.baton.model.definition;

import java.util.List;

/**
 * A message boundary: while the step is open, a message of this name with this correlation key
 * takes the path at {@code next}.
 *
 * @param message      the message name (a CloudEvent {@code type})
 * @param key          the correlation key over the variables, or null for the business key
 * @param next         the step that starts the message's path
 * @param interrupting true: the step is abandoned and the path continues at {@code next}; false:
 *                     {@code next} starts beside the still-open step, once per message
 * @param sources      the channels ({@code /events/{channel}}) the message may arrive on; empty for any channel
 */
public record MessageCatch(String message, Expression key, String next, boolean interrupting, List<String> sources) {

    public MessageCatch {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** A message boundary that takes its message from any channel. */
    public MessageCatch(String message, Expression key, String next, boolean interrupting) {
        this(message, key, next, interrupting, List.of());
    }

    /** Whether a message arriving on this channel may take the boundary's path. */
    public boolean accepts(String channel) {
        return sources.isEmpty() || sources.contains(channel);
    }
}
