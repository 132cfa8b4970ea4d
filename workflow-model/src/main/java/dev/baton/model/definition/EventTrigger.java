package dev.baton.model.definition;

/**
 * Starts an instance for each CloudEvent of a type, optionally only from one source and only when a
 * condition on the event holds ("if this, then that"). Expressions see the CloudEvent as JSON
 * ({@code id}, {@code source}, {@code type}, {@code subject}, {@code data}, ...).
 *
 * @param type        the CloudEvent type
 * @param source      the integration source ({@code /events/{source}}) it must arrive on, or null for any
 * @param when        condition on the event, or null for always
 * @param businessKey expression giving the business key, or null for the event's {@code subject}
 * @param variables   expression giving the start variables (an object), or null for {@code {"event": data}}
 */
public record EventTrigger(String type, String source, Expression when, Expression businessKey,
                           Expression variables) implements Trigger {
}
