package dev.baton.connectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.baton.connectors.secrets.Secrets;

/**
 * Keeps definition text away from Camel's property placeholders: Camel resolves {@code {{env:HOME}}} and
 * {@code {{sys:user.home}}} in constant expressions and in the {@code CamelHttpUri} header (checked in
 * Camel 4.17), so a {@code with} value holding {@code {{} could read the hub's environment and send it out.
 * Connectors set headers through processors, which resolve nothing; this check refuses the text at
 * deployment so no path that might resolve it is ever reached.
 */
public final class Placeholders {

    private Placeholders() {
    }

    /**
     * Every setting (nested maps and lists included, named {@code headers.Authorization}, {@code fields[1]})
     * holding {@code {{} other than a secret reference where {@code secretsAllowed} accepts one.
     */
    public static List<String> refusals(Map<String, Object> settings, Predicate<String> secretsAllowed) {
        List<String> out = new ArrayList<>();
        walk("", settings, secretsAllowed, out);
        return out;
    }

    private static void walk(String path, Object value, Predicate<String> secretsAllowed, List<String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String name = path.isEmpty() ? String.valueOf(k) : path + "." + k;
                if (String.valueOf(k).contains("{{")) {
                    out.add(String.format(SettingsMessages.PLACEHOLDER, name));
                }
                walk(name, v, secretsAllowed, out);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(path + "[" + i + "]", list.get(i), secretsAllowed, out);
            }
        } else if (value instanceof String text) {
            String rest = Secrets.REFERENCE.matcher(text).replaceAll("");
            if (rest.length() != text.length() && !secretsAllowed.test(path)) {
                out.add(String.format(SettingsMessages.SECRET_NOT_HERE, path));
            }
            if (rest.contains("{{")) {
                out.add(String.format(SettingsMessages.PLACEHOLDER, path));
            }
        }
    }
}
