package dev.baton.connectors.salesforce.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The sandbox's org: sObject types, records, users, and the change events every committed write publishes.
 * All reads and writes hold one lock, so a transaction (one REST call, or a whole all-or-none composite request)
 * is atomic and events are published in commit order.
 */
final class SandboxOrg {

    static final DateTimeFormatter SF_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Who writes and through what: the commit user and the change origin of the events. */
    record Actor(String userId, String changeOrigin) {
    }

    /** One published change event: its replay id, entity, and the Bayeux {@code data} (schema, payload, event). */
    record ChangeEvent(long replayId, String entityName, Map<String, Object> data) {
    }

    record UpsertResult(String id, boolean created) {
    }

    /** Undo log and pending events of one transaction. */
    final class Txn {
        private final List<Runnable> undo = new ArrayList<>();
        private final List<Map<String, Object>> pendingHeadersAndPayloads = new ArrayList<>();
        private final List<String> pendingEntities = new ArrayList<>();
        private final Actor actor;
        private boolean rollbackOnly;

        Txn(Actor actor) {
            this.actor = actor;
        }

        Actor actor() {
            return actor;
        }

        void setRollbackOnly() {
            rollbackOnly = true;
        }
    }

    private final Object lock = new Object();
    private final ThreadLocal<Txn> current = new ThreadLocal<>();
    private final SalesforceIds ids = new SalesforceIds();
    private final Map<String, SObjectType> types = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> records = new LinkedHashMap<>();
    private final List<ChangeEvent> events = new ArrayList<>();
    private final List<Consumer<ChangeEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, String> schemaIds = new HashMap<>();
    private final String orgId;
    private long replayId;
    private long commitNumber = 10_000_000_000L;
    private long lastTimestamp;

    SandboxOrg(Map<String, List<String>> externalIdFields) {
        // A new org at every start (its data lives in memory): the hub keys its replay cursor by org id, so a
        // cursor from an earlier sandbox can never skip the new org's events.
        this.orgId = SalesforceIds.of("00D", java.util.concurrent.ThreadLocalRandom.current().nextLong(1L, 1L << 48));
        add(new SObjectType("Account", "001", true,
                List.of("Name", "AccountNumber", "Type", "Industry", "Phone", "Fax", "Website", "Description",
                        "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry",
                        "ShippingStreet", "ShippingCity", "ShippingState", "ShippingPostalCode", "ShippingCountry",
                        "AnnualRevenue", "NumberOfEmployees", "OwnerId", "ParentId"),
                List.of("Name"), externalIdFields.getOrDefault("Account", List.of())));
        add(new SObjectType("Opportunity", "006", true,
                List.of("Name", "StageName", "CloseDate", "Amount", "Probability", "AccountId", "Type", "LeadSource",
                        "NextStep", "Description", "OwnerId", "ForecastCategoryName"),
                List.of("Name", "StageName", "CloseDate"), externalIdFields.getOrDefault("Opportunity", List.of()))
                .dateField("CloseDate"));
        add(new SObjectType("Contact", "003", true,
                List.of("FirstName", "LastName", "Salutation", "Email", "Phone", "MobilePhone", "Title", "Department",
                        "AccountId", "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode",
                        "MailingCountry", "Description", "OwnerId", "Birthdate"),
                List.of("LastName"), externalIdFields.getOrDefault("Contact", List.of()))
                .readOnlyField("Name").dateField("Birthdate"));
        add(new SObjectType("User", "005", false,
                List.of("Username", "FirstName", "LastName", "Email", "Alias", "Title", "Department", "IsActive"),
                List.of("Username", "LastName"), List.of())
                .readOnlyField("Name"));
    }

    private SObjectType add(SObjectType type) {
        types.put(type.name().toLowerCase(Locale.ROOT), type);
        return type;
    }

    String orgId() {
        return orgId;
    }

    Collection<SObjectType> types() {
        return types.values();
    }

    /** The type named {@code anyCase}, or null. */
    SObjectType type(String anyCase) {
        return anyCase == null ? null : types.get(anyCase.toLowerCase(Locale.ROOT));
    }

    SObjectType typeOrNotFound(String anyCase) {
        SObjectType t = type(anyCase);
        if (t == null) {
            throw ApiError.notFound();
        }
        return t;
    }

    void addListener(Consumer<ChangeEvent> listener) {
        listeners.add(listener);
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Runs {@code work} as one transaction: commits (publishing its events) or rolls back on error / rollbackOnly.
     * Called inside another transaction on the same thread (a composite sub-request), it joins that one.
     */
    <T> T atomically(Actor actor, Function<Txn, T> work) {
        synchronized (lock) {
            Txn outer = current.get();
            if (outer != null) {
                return work.apply(outer);
            }
            Txn txn = new Txn(actor);
            current.set(txn);
            T result;
            try {
                result = work.apply(txn);
            } catch (RuntimeException e) {
                rollback(txn);
                throw e;
            } finally {
                current.remove();
            }
            if (txn.rollbackOnly) {
                rollback(txn);
            } else {
                commit(txn);
            }
            return result;
        }
    }

    /** Runs {@code work} holding the org lock (no event can be published meanwhile), with the retained events. */
    <T> T withEvents(Function<List<ChangeEvent>, T> work) {
        synchronized (lock) {
            return work.apply(List.copyOf(events));
        }
    }

    private void rollback(Txn txn) {
        for (int i = txn.undo.size() - 1; i >= 0; i--) {
            txn.undo.get(i).run();
        }
        txn.undo.clear();
        txn.pendingHeadersAndPayloads.clear();
        txn.pendingEntities.clear();
    }

    private void commit(Txn txn) {
        if (txn.pendingHeadersAndPayloads.isEmpty()) {
            return;
        }
        long commitTs = System.currentTimeMillis();
        long commit = ++commitNumber;
        String transactionKey = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        int sequence = 0;
        for (int i = 0; i < txn.pendingHeadersAndPayloads.size(); i++) {
            Map<String, Object> payload = txn.pendingHeadersAndPayloads.get(i);
            String entity = txn.pendingEntities.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> header = (Map<String, Object>) payload.get("ChangeEventHeader");
            header.put("transactionKey", transactionKey);
            header.put("sequenceNumber", ++sequence);
            header.put("commitTimestamp", commitTs);
            header.put("commitNumber", commit);
            long rid = ++replayId;
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("EventUuid", UUID.randomUUID().toString());
            event.put("replayId", rid);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("schema", schemaId(entity));
            data.put("payload", payload);
            data.put("event", event);
            ChangeEvent ce = new ChangeEvent(rid, entity, data);
            events.add(ce);
            for (Consumer<ChangeEvent> l : listeners) {
                l.accept(ce);
            }
        }
    }

    private String schemaId(String entity) {
        return schemaIds.computeIfAbsent(entity, e -> {
            String raw = UUID.nameUUIDFromBytes(("schema:" + e).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toString().replace("-", "");
            return raw.substring(0, 22);
        });
    }

    // ------------------------------------------------------------------ reads

    /** A copy of the record, or empty. Accepts 15- or 18-character ids. */
    Optional<Map<String, Object>> get(SObjectType type, String id) {
        synchronized (lock) {
            Map<String, Object> r = records.get(SalesforceIds.to18(id));
            if (r == null || !type.name().equals(typeOf(r))) {
                return Optional.empty();
            }
            return Optional.of(new LinkedHashMap<>(r));
        }
    }

    /** The record with that id whatever its type (a copy), or null. */
    Map<String, Object> anyById(String id) {
        synchronized (lock) {
            Map<String, Object> r = records.get(SalesforceIds.to18(id));
            return r == null ? null : new LinkedHashMap<>(r);
        }
    }

    /** Copies of all records of a type, in creation order; the sObject type is under key {@code attributes.type}. */
    List<Map<String, Object>> all(SObjectType type) {
        synchronized (lock) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> r : records.values()) {
                if (type.name().equals(typeOf(r))) {
                    out.add(new LinkedHashMap<>(r));
                }
            }
            return out;
        }
    }

    List<Map<String, Object>> findBy(SObjectType type, String field, Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : all(type)) {
            if (sameValue(r.get(field), value)) {
                out.add(r);
            }
        }
        return out;
    }

    static boolean sameValue(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
        }
        return a.toString().equalsIgnoreCase(b.toString());
    }

    static String typeOf(Map<String, Object> record) {
        Object attrs = record.get("attributes");
        if (attrs instanceof Map) {
            return String.valueOf(((Map<?, ?>) attrs).get("type"));
        }
        return null;
    }

    List<ChangeEvent> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    // ------------------------------------------------------------------ writes

    /** Inserts a user directly (seeding), no event. */
    String seedUser(String username, String firstName, String lastName, String title) {
        synchronized (lock) {
            String id = ids.next("005");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("attributes", Map.of("type", "User"));
            r.put("Id", id);
            r.put("Username", username);
            r.put("FirstName", firstName);
            r.put("LastName", lastName);
            r.put("Name", (firstName == null ? "" : firstName + " ") + lastName);
            r.put("Email", username);
            r.put("Title", title);
            r.put("IsActive", true);
            String now = now();
            r.put("CreatedDate", now);
            r.put("CreatedById", id);
            r.put("LastModifiedDate", now);
            r.put("LastModifiedById", id);
            r.put("SystemModstamp", now);
            r.put("IsDeleted", false);
            records.put(id, r);
            return id;
        }
    }

    Optional<String> userIdByUsername(String username) {
        SObjectType user = type("User");
        List<Map<String, Object>> found = findBy(user, "Username", username);
        return found.isEmpty() ? Optional.empty() : Optional.of((String) found.get(0).get("Id"));
    }

    String create(Txn txn, SObjectType type, Map<String, Object> body) {
        checkWritable(type);
        Map<String, Object> values = normalize(type, body, true);
        List<String> missing = new ArrayList<>();
        for (String req : type.required()) {
            if (isBlank(values.get(req))) {
                missing.add(req);
            }
        }
        if (!missing.isEmpty()) {
            throw requiredMissing(missing);
        }
        String id = ids.next(type.keyPrefix());
        String now = now();
        String user = txn.actor().userId();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("attributes", Map.of("type", type.name()));
        r.put("Id", id);
        if (type.field("OwnerId", false) != null && !values.containsKey("OwnerId")) {
            values.put("OwnerId", user);
        }
        r.putAll(values);
        r.put("IsDeleted", false);
        r.put("CreatedDate", now);
        r.put("CreatedById", user);
        r.put("LastModifiedDate", now);
        r.put("LastModifiedById", user);
        r.put("SystemModstamp", now);
        derive(type, r);
        records.put(id, r);
        txn.undo.add(() -> records.remove(id));

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", header(type, id, "CREATE", List.of(), List.of(), txn.actor()));
        for (Map.Entry<String, Object> e : r.entrySet()) {
            String k = e.getKey();
            if (!k.equals("attributes") && !k.equals("Id") && !k.equals("IsDeleted") && !k.equals("SystemModstamp")
                    && e.getValue() != null) {
                payload.put(k, e.getValue());
            }
        }
        enqueue(txn, type, payload);
        return id;
    }

    /** Updates; returns whether any field value changed (an unchanged update publishes no event). */
    boolean update(Txn txn, SObjectType type, String id, Map<String, Object> body) {
        checkWritable(type);
        String key = SalesforceIds.to18(id);
        Map<String, Object> current = records.get(key);
        if (current == null || !type.name().equals(typeOf(current))) {
            throw new ApiError(404, "NOT_FOUND", "The requested resource does not exist");
        }
        Map<String, Object> values = normalize(type, body, false);
        values.remove("Id");
        List<String> missing = new ArrayList<>();
        for (String req : type.required()) {
            if (values.containsKey(req) && isBlank(values.get(req))) {
                missing.add(req);
            }
        }
        if (!missing.isEmpty()) {
            throw requiredMissing(missing);
        }
        Map<String, Object> before = new LinkedHashMap<>(current);
        List<String> changed = new ArrayList<>();
        List<String> nulled = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object old = current.get(e.getKey());
            if (!Objects.equals(normalizeForCompare(old), normalizeForCompare(e.getValue()))) {
                changed.add(e.getKey());
                if (e.getValue() == null) {
                    nulled.add(e.getKey());
                }
            }
        }
        String now = now();
        String user = txn.actor().userId();
        Map<String, Object> updated = new LinkedHashMap<>(current);
        updated.putAll(values);
        derive(type, updated);
        updated.put("LastModifiedDate", now);
        updated.put("LastModifiedById", user);
        updated.put("SystemModstamp", now);
        records.put(key, updated);
        txn.undo.add(() -> records.put(key, before));
        if (changed.isEmpty()) {
            return false;
        }
        List<String> changedFields = new ArrayList<>(changed);
        changedFields.add("LastModifiedDate");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", header(type, key, "UPDATE", changedFields, nulled, txn.actor()));
        for (String f : changed) {
            payload.put(f, updated.get(f));
        }
        payload.put("LastModifiedDate", now);
        enqueue(txn, type, payload);
        return true;
    }

    void delete(Txn txn, SObjectType type, String id) {
        checkWritable(type);
        String key = SalesforceIds.to18(id);
        Map<String, Object> current = records.get(key);
        if (current == null || !type.name().equals(typeOf(current))) {
            throw ApiError.notFound();
        }
        records.remove(key);
        txn.undo.add(() -> records.put(key, current));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", header(type, key, "DELETE", List.of(), List.of(), txn.actor()));
        enqueue(txn, type, payload);
    }

    /** Upsert by external id (or Id): creates when nothing matches, updates one match, 300 on several. */
    UpsertResult upsert(Txn txn, SObjectType type, String extFieldAnyCase, String value, Map<String, Object> body) {
        checkWritable(type);
        String extField = type.externalIdField(extFieldAnyCase);
        if (extField == null) {
            throw new ApiError(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + extFieldAnyCase);
        }
        Map<String, Object> values = new LinkedHashMap<>(body);
        for (String k : new ArrayList<>(values.keySet())) {
            if (k.equalsIgnoreCase(extField)) {
                Object v = values.remove(k);
                if (v != null && !String.valueOf(v).equals(value)) {
                    throw new ApiError(400, "INVALID_FIELD",
                            "The value of the external ID field in the body doesn't match the value in the URL");
                }
            }
        }
        if (extField.equals("Id")) {
            if (value == null || value.isBlank()) {
                return new UpsertResult(create(txn, type, values), true);
            }
            update(txn, type, value, values);
            return new UpsertResult(SalesforceIds.to18(value), false);
        }
        List<Map<String, Object>> matches = new ArrayList<>();
        for (Map<String, Object> r : records.values()) {
            if (type.name().equals(typeOf(r)) && sameValue(r.get(extField), value)) {
                matches.add(r);
            }
        }
        if (matches.size() > 1) {
            List<String> urls = new ArrayList<>();
            for (Map<String, Object> m : matches) {
                urls.add((String) m.get("Id"));
            }
            throw new MultipleMatches(urls);
        }
        if (matches.isEmpty()) {
            values.put(extField, value);
            return new UpsertResult(create(txn, type, values), true);
        }
        String id = (String) matches.get(0).get("Id");
        update(txn, type, id, values);
        return new UpsertResult(id, false);
    }

    /** Several records matched an external id: 300 with their URLs. */
    static final class MultipleMatches extends RuntimeException {
        final List<String> ids;

        MultipleMatches(List<String> ids) {
            super("Multiple matches", null, false, false);
            this.ids = ids;
        }
    }

    private void checkWritable(SObjectType type) {
        if (!type.writable()) {
            throw new ApiError(400, "INVALID_TYPE_FOR_OPERATION",
                    "entity type " + type.name() + " does not support this operation");
        }
    }

    private static ApiError requiredMissing(List<String> missing) {
        return new ApiError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
    }

    /**
     * Canonical field names and values from a request body; resolves relationship references by external id
     * ({@code "Account": {"SAP_BP_Id__c": "0100000000"}} → AccountId).
     */
    private Map<String, Object> normalize(SObjectType type, Map<String, Object> body, boolean create) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> readOnly = new ArrayList<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String k = e.getKey();
            if (k.equals("attributes")) {
                continue;
            }
            if (e.getValue() instanceof Map) {
                resolveRelationship(type, k, castMap(e.getValue()), out);
                continue;
            }
            String f = type.field(k, true);
            if (f == null) {
                throw new ApiError(400, "INVALID_FIELD",
                        "No such column '" + k + "' on sobject of type " + type.name(), List.of(k));
            }
            if (f.equals("Id") && !create) {
                out.put("Id", e.getValue());
                continue;
            }
            if (type.isReadOnly(f)) {
                readOnly.add(f);
                continue;
            }
            Object v = e.getValue();
            if (v instanceof List) {
                throw new ApiError(400, "JSON_PARSER_ERROR",
                        "Cannot deserialize instance of " + f + " from START_ARRAY value");
            }
            out.put(f, v);
        }
        if (!readOnly.isEmpty()) {
            throw new ApiError(400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: " + String.join(", ", readOnly)
                            + ". Please check the security settings of this field and verify that it is read/write "
                            + "for your profile or permission set.", readOnly);
        }
        return out;
    }

    private void resolveRelationship(SObjectType type, String relationship, Map<String, Object> ref,
                                     Map<String, Object> out) {
        String lookupField;
        String targetName;
        if (relationship.toLowerCase(Locale.ROOT).endsWith("__r")) {
            lookupField = type.field(relationship.substring(0, relationship.length() - 3) + "__c", true);
            targetName = null;
        } else {
            lookupField = type.field(relationship + "Id", false);
            targetName = relationship.equalsIgnoreCase("Owner") ? "User" : relationship;
        }
        if (lookupField == null) {
            throw new ApiError(400, "INVALID_FIELD",
                    "No such column '" + relationship + "' on sobject of type " + type.name(), List.of(relationship));
        }
        Map<String, Object> criteria = new LinkedHashMap<>(ref);
        Object attrs = criteria.remove("attributes");
        if (attrs instanceof Map && ((Map<?, ?>) attrs).get("type") != null) {
            targetName = String.valueOf(((Map<?, ?>) attrs).get("type"));
        }
        SObjectType target = type(targetName);
        if (target == null || criteria.size() != 1) {
            throw new ApiError(400, "INVALID_FIELD",
                    "Cannot reference " + relationship + " by external id: expected one external id field",
                    List.of(relationship));
        }
        Map.Entry<String, Object> only = criteria.entrySet().iterator().next();
        String ext = target.externalIdField(only.getKey());
        if (ext == null) {
            throw new ApiError(400, "INVALID_FIELD", "Field " + only.getKey() + " is not an external id field on "
                    + target.name(), List.of(relationship));
        }
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> r : records.values()) {
            if (target.name().equals(typeOf(r)) && sameValue(r.get(ext), only.getValue())) {
                found.add(r);
            }
        }
        if (found.isEmpty()) {
            throw new ApiError(400, "INVALID_FIELD", "Foreign key external ID: " + only.getValue()
                    + " not found for field " + ext + " in entity " + target.name(), List.of(relationship));
        }
        if (found.size() > 1) {
            throw new ApiError(400, "INVALID_FIELD", "More than 1 record found for external id field " + ext
                    + " with value " + only.getValue() + " in entity " + target.name(), List.of(relationship));
        }
        out.put(lookupField, found.get(0).get("Id"));
    }

    /** Fields Salesforce derives (Contact.Name from first and last name). */
    private static void derive(SObjectType type, Map<String, Object> r) {
        if (type.name().equals("Contact")) {
            Object first = r.get("FirstName");
            Object last = r.get("LastName");
            r.put("Name", (first == null || first.toString().isBlank() ? "" : first + " ") + (last == null ? "" : last));
        }
    }

    private Map<String, Object> header(SObjectType type, String id, String changeType, List<String> changedFields,
                                       List<String> nulledFields, Actor actor) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("entityName", type.name());
        h.put("recordIds", List.of(id));
        h.put("changeType", changeType);
        h.put("changeOrigin", actor.changeOrigin() == null ? "" : actor.changeOrigin());
        h.put("transactionKey", null);
        h.put("sequenceNumber", null);
        h.put("commitTimestamp", null);
        h.put("commitNumber", null);
        h.put("commitUser", actor.userId());
        h.put("nulledFields", new ArrayList<>(nulledFields));
        h.put("diffFields", List.of());
        h.put("changedFields", new ArrayList<>(changedFields));
        return h;
    }

    private void enqueue(Txn txn, SObjectType type, Map<String, Object> payload) {
        txn.pendingHeadersAndPayloads.add(payload);
        txn.pendingEntities.add(type.name());
    }

    /** Now in Salesforce's datetime format, strictly later than the previous call (millisecond resolution). */
    String now() {
        synchronized (lock) {
            long ms = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
            lastTimestamp = ms;
            return SF_DATETIME.format(Instant.ofEpochMilli(ms));
        }
    }

    private static Object normalizeForCompare(Object v) {
        if (v instanceof Number) {
            return new java.math.BigDecimal(v.toString()).stripTrailingZeros();
        }
        return v;
    }

    private static boolean isBlank(Object v) {
        return v == null || (v instanceof String && ((String) v).isBlank());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
