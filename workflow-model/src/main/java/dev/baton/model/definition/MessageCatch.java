package dev.baton.model.definition;

/**
 * A message boundary: while the step is open, a message of this name with this correlation key
 * takes the path at {@code next}.
 *
 * @param message      the message name (a CloudEvent {@code type})
 * @param key          the correlation key over the variables, or null for the business key
 * @param next         the step that starts the message's path
 * @param interrupting true: the step is abandoned and the path continues at {@code next}; false:
 *                     {@code next} starts beside the still-open step, once per message
 */
public record MessageCatch(String message, Expression key, String next, boolean interrupting) {
}
