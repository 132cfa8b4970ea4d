package dev.baton.model.validation;

/**
 * One thing wrong with a definition.
 *
 * @param element what it concerns: {@code definition}, {@code step 'approve'}, {@code trigger 1}, {@code yaml}
 * @param message what is wrong, from {@link ValidationMessages}
 * @param line    line in the source (1-based), or 0 when unknown
 */
public record Problem(String element, String message, int line) {
}
