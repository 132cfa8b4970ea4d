package dev.baton.connectors.salesforce.sandbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of one sObject type in the sandbox: key prefix, standard fields, required fields, external id fields.
 * Field names are matched case-insensitively (like Salesforce); any {@code __c} custom field is accepted and learned.
 */
final class SObjectType {

    /** Fields Salesforce maintains itself; they cannot be written through the API. */
    static final List<String> SYSTEM_FIELDS = List.of(
            "Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp");

    private final String name;
    private final String keyPrefix;
    private final boolean writable;
    private final List<String> required;
    private final Set<String> externalIds;
    private final Map<String, String> canonical = new ConcurrentHashMap<>();
    private final Map<String, String> readOnly = new LinkedHashMap<>();
    private final Map<String, String> dateFields = new LinkedHashMap<>();

    SObjectType(String name, String keyPrefix, boolean writable, List<String> standardFields, List<String> required,
                Collection<String> externalIds) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.writable = writable;
        this.required = List.copyOf(required);
        for (String f : SYSTEM_FIELDS) {
            register(f);
            readOnly.put(f.toLowerCase(Locale.ROOT), f);
        }
        for (String f : standardFields) {
            register(f);
        }
        for (String f : externalIds) {
            register(f);
        }
        this.externalIds = Set.copyOf(externalIds);
    }

    SObjectType readOnlyField(String field) {
        register(field);
        readOnly.put(field.toLowerCase(Locale.ROOT), field);
        return this;
    }

    SObjectType dateField(String field) {
        dateFields.put(field.toLowerCase(Locale.ROOT), field);
        return this;
    }

    private void register(String field) {
        canonical.put(field.toLowerCase(Locale.ROOT), field);
    }

    String name() {
        return name;
    }

    String keyPrefix() {
        return keyPrefix;
    }

    boolean writable() {
        return writable;
    }

    List<String> required() {
        return required;
    }

    boolean isDate(String canonicalField) {
        return dateFields.containsKey(canonicalField.toLowerCase(Locale.ROOT));
    }

    /**
     * The canonical spelling of a field, or null when the type has no such field. A custom field ({@code __c}) is
     * accepted and, when {@code learn}, remembered with the spelling first seen.
     */
    String field(String anyCase, boolean learn) {
        String key = anyCase.toLowerCase(Locale.ROOT);
        String known = canonical.get(key);
        if (known != null) {
            return known;
        }
        if (key.endsWith("__c") && key.length() > 3) {
            if (learn) {
                String prior = canonical.putIfAbsent(key, anyCase);
                return prior == null ? anyCase : prior;
            }
            return anyCase;
        }
        return null;
    }

    boolean isReadOnly(String canonicalField) {
        return readOnly.containsKey(canonicalField.toLowerCase(Locale.ROOT));
    }

    /** The canonical external id field, or null when {@code anyCase} is neither an external id field nor Id. */
    String externalIdField(String anyCase) {
        String f = field(anyCase, false);
        if (f == null) {
            return null;
        }
        if (f.equals("Id") || externalIds.contains(f)) {
            return f;
        }
        return null;
    }

    Set<String> externalIds() {
        return externalIds;
    }

    List<String> fields() {
        return new ArrayList<>(canonical.values());
    }
}
