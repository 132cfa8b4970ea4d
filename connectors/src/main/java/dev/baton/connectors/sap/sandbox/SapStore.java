package dev.baton.connectors.sap.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Gateway's data and business rules: entity sets in memory, SAP-style number ranges, amounts and statuses of sales
 * orders, and how often each entity was changed. Thread-safe: every method holds the store's lock; entities leave
 * it as copies. Events are reported to the {@link Listener} after the lock is released.
 */
final class SapStore {

    /** What SAP's event mesh would hear about. */
    interface Listener {
        void salesOrderCreated(String salesOrderId, String customerId);

        void businessPartnerCreated(String businessPartnerId);

        void businessPartnerChanged(String businessPartnerId);
    }

    static final BigDecimal TAX_RATE = new BigDecimal("0.19");
    private static final long FIRST_SALES_ORDER = 500_000_000L;
    private static final long FIRST_BUSINESS_PARTNER = 100_000_000L;

    private final ODataModel model;
    private final ODataValues values;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, Map<String, Map<String, Object>>> data = new LinkedHashMap<>();
    private final Map<String, Integer> writes = new HashMap<>();
    private Instant lastChange = Instant.EPOCH;
    private long nextSalesOrder = FIRST_SALES_ORDER;
    private long nextBusinessPartner = FIRST_BUSINESS_PARTNER;

    SapStore(ODataModel model, Clock clock, Listener listener) {
        this.model = model;
        this.values = new ODataValues(model);
        this.clock = clock;
        this.listener = listener;
        for (String set : model.sets().keySet()) {
            data.put(set, new LinkedHashMap<>());
        }
    }

    // --- keys

    /** The canonical key predicate of an entity: {@code '0500000000'} or {@code SalesOrderID='0500000000',ItemPosition='0000000010'}. */
    String keyOf(ODataModel.EntitySet set, Map<String, Object> entity) {
        if (set.keys().size() == 1) {
            return literal(entity.get(set.keys().get(0)));
        }
        List<String> parts = new ArrayList<>();
        for (String k : set.keys()) {
            parts.add(k + "=" + literal(entity.get(k)));
        }
        return String.join(",", parts);
    }

    /** Reads a key predicate as a client writes it (the part inside the parentheses) into the canonical form; 400 if malformed. */
    String parseKey(ODataModel.EntitySet set, String predicate) {
        Map<String, Object> key = new LinkedHashMap<>();
        List<String> parts = splitOutsideQuotes(predicate);
        if (parts.size() == 1 && set.keys().size() == 1 && !parts.get(0).contains("=")) {
            key.put(set.keys().get(0), unquote(parts.get(0), predicate));
        } else {
            for (String part : parts) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? "" : part.substring(0, eq).trim();
                if (!set.keys().contains(name)) {
                    throw ODataException.badRequest("Invalid key predicate '" + predicate + "' for entity set '"
                            + set.name() + "'");
                }
                key.put(name, unquote(part.substring(eq + 1), predicate));
            }
        }
        if (!key.keySet().containsAll(set.keys())) {
            throw ODataException.badRequest("Invalid key predicate '" + predicate + "' for entity set '" + set.name()
                    + "': expected " + String.join(", ", set.keys()));
        }
        return keyOf(set, key);
    }

    private static String literal(Object value) {
        return "'" + String.valueOf(value).replace("'", "''") + "'";
    }

    private static String unquote(String text, String predicate) {
        String t = text.trim();
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        if (t.startsWith("guid'") && t.endsWith("'")) {
            return t.substring(5, t.length() - 1);
        }
        if (!t.isEmpty() && t.chars().allMatch(Character::isLetterOrDigit)) {
            return t;
        }
        throw ODataException.badRequest("Invalid key predicate '" + predicate + "'");
    }

    private static List<String> splitOutsideQuotes(String text) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    // --- reads

    synchronized Optional<Map<String, Object>> get(String set, String canonicalKey) {
        Map<String, Object> e = data.get(set).get(canonicalKey);
        return Optional.ofNullable(e == null ? null : copy(e));
    }

    synchronized List<Map<String, Object>> list(String set) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : data.get(set).values()) {
            out.add(copy(e));
        }
        return out;
    }

    /** The entities {@code nav} leads to from {@code entity}; one or none for a to-one navigation. */
    synchronized List<Map<String, Object>> navigate(Map<String, Object> entity, ODataModel.Navigation nav) {
        Object local = entity.get(nav.localField());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : data.get(nav.targetSet()).values()) {
            if (local != null && local.equals(e.get(nav.remoteField()))) {
                out.add(copy(e));
            }
        }
        return out;
    }

    synchronized int writeCount(String set, String canonicalKey) {
        return writes.getOrDefault(set + "|" + canonicalKey, 0);
    }

    // --- writes

    /** Stores a seed row as is; no write is counted and nothing is emitted. */
    synchronized void seed(String setName, Map<String, Object> entity) {
        ODataModel.EntitySet set = set(setName);
        data.get(setName).put(keyOf(set, entity), new LinkedHashMap<>(entity));
        if ("BusinessPartnerSet".equals(setName)) {
            nextBusinessPartner = Math.max(nextBusinessPartner, Long.parseLong((String) entity.get("BusinessPartnerID")) + 1);
        }
    }

    /**
     * Creates a sales order with its line items (OData deep insert of {@code ToLineItems}): assigns the next
     * SalesOrderID and item positions 10, 20, ..., prices each line from the product (net = price x quantity,
     * tax 19 %), sums the header and copies name and currency from the customer. 400 names an unknown customer or
     * product. Emits SalesOrder.Created.
     */
    Map<String, Object> createSalesOrder(Map<String, Object> body) {
        Map<String, Object> created;
        synchronized (this) {
            created = insertSalesOrder(body, nextTimestamp(), true);
        }
        listener.salesOrderCreated((String) created.get("SalesOrderID"), (String) created.get("CustomerID"));
        return created;
    }

    synchronized Map<String, Object> insertSalesOrder(Map<String, Object> body, Instant at, boolean countWrite) {
        ODataModel.EntitySet orders = set("SalesOrderSet");
        ODataModel.EntitySet lines = set("SalesOrderLineItemSet");
        Object customerId = body.get("CustomerID");
        if (customerId == null || customerId.toString().isBlank()) {
            throw ODataException.badRequest("Property 'CustomerID' is required to create a sales order");
        }
        Map<String, Object> customer = data.get("BusinessPartnerSet").get(literal(customerId));
        if (customer == null) {
            throw ODataException.badRequest("Business partner '" + customerId + "' does not exist");
        }
        List<Map<String, Object>> items = lineItems(body.get("ToLineItems"));
        if (items.isEmpty()) {
            throw ODataException.badRequest("A sales order needs at least one line item in 'ToLineItems'");
        }
        String id = String.format("%010d", nextSalesOrder);
        String currency = (String) customer.get("CurrencyCode");
        List<Map<String, Object>> newLines = new ArrayList<>();
        BigDecimal net = BigDecimal.ZERO.setScale(2);
        BigDecimal tax = BigDecimal.ZERO.setScale(2);
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> in = items.get(i);
            Object productId = in.get("ProductID");
            Map<String, Object> product = productId == null ? null : data.get("ProductSet").get(literal(productId));
            if (product == null) {
                throw ODataException.badRequest("Product '" + productId + "' does not exist");
            }
            BigDecimal quantity = (BigDecimal) values.fromJson(lines.properties().get("Quantity"), in.get("Quantity"));
            if (quantity == null || quantity.signum() <= 0) {
                throw ODataException.badRequest("Quantity of item " + (i + 1) + " must be positive, but is " + quantity);
            }
            BigDecimal lineNet = ((BigDecimal) product.get("Price")).multiply(quantity).setScale(2, RoundingMode.HALF_UP);
            BigDecimal lineTax = lineNet.multiply(TAX_RATE).setScale(2, RoundingMode.HALF_UP);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("SalesOrderID", id);
            line.put("ItemPosition", String.format("%010d", (i + 1) * 10));
            line.put("ProductID", product.get("ProductID"));
            line.put("Note", in.get("Note") == null ? "" : in.get("Note").toString());
            line.put("NoteLanguage", "EN");
            line.put("CurrencyCode", currency);
            line.put("GrossAmount", lineNet.add(lineTax));
            line.put("NetAmount", lineNet);
            line.put("TaxAmount", lineTax);
            Object delivery = in.get("DeliveryDate");
            line.put("DeliveryDate", delivery == null ? at.plus(14, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS)
                    : values.fromJson(lines.properties().get("DeliveryDate"), delivery));
            line.put("Quantity", plain(quantity));
            line.put("QuantityUnit", product.get("MeasureUnit"));
            newLines.add(line);
            net = net.add(lineNet);
            tax = tax.add(lineTax);
        }
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("SalesOrderID", id);
        order.put("Note", body.get("Note") == null ? "" : body.get("Note").toString());
        order.put("NoteLanguage", "EN");
        order.put("CustomerID", customer.get("BusinessPartnerID"));
        order.put("CustomerName", customer.get("CompanyName"));
        order.put("CurrencyCode", currency);
        order.put("GrossAmount", net.add(tax));
        order.put("NetAmount", net);
        order.put("TaxAmount", tax);
        setStatus(order, "LifecycleStatus", "N", "New");
        setStatus(order, "BillingStatus", "", "Initial");
        setStatus(order, "DeliveryStatus", "", "Initial");
        order.put("CreatedAt", at);
        order.put("ChangedAt", at);
        nextSalesOrder++;
        data.get("SalesOrderSet").put(keyOf(orders, order), order);
        for (Map<String, Object> line : newLines) {
            data.get("SalesOrderLineItemSet").put(keyOf(lines, line), line);
        }
        if (countWrite) {
            countWrite("SalesOrderSet", keyOf(orders, order));
        }
        return copy(order);
    }

    private List<Map<String, Object>> lineItems(Object json) {
        Object list = json instanceof Map && ((Map<?, ?>) json).containsKey("results") ? ((Map<?, ?>) json).get("results") : json;
        List<Map<String, Object>> out = new ArrayList<>();
        if (list instanceof List) {
            for (Object o : (List<?>) list) {
                if (!(o instanceof Map)) {
                    throw ODataException.badRequest("Each entry of 'ToLineItems' must be an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> item = (Map<String, Object>) o;
                out.add(item);
            }
        } else if (list != null) {
            throw ODataException.badRequest("'ToLineItems' must be an array of line items");
        }
        return out;
    }

    /** Creates a business partner with the next BusinessPartnerID; emits BusinessPartner.Created. */
    Map<String, Object> createBusinessPartner(Map<String, Object> body) {
        Map<String, Object> created;
        synchronized (this) {
            ODataModel.EntitySet set = set("BusinessPartnerSet");
            Map<String, Object> bp = new LinkedHashMap<>();
            for (ODataModel.Property p : set.properties().values()) {
                bp.put(p.name(), p.creatable() ? values.fromJson(p, body.get(p.name())) : null);
            }
            if (bp.get("CompanyName") == null || bp.get("CompanyName").toString().isBlank()) {
                throw ODataException.badRequest("Property 'CompanyName' is required to create a business partner");
            }
            bp.computeIfAbsent("CurrencyCode", k -> "EUR");
            bp.computeIfAbsent("BusinessPartnerRole", k -> "01");
            bp.computeIfAbsent("EmailAddress", k -> "");
            bp.computeIfAbsent("Address", k -> values.fromJson(set.properties().get("Address"), Map.of()));
            Instant at = nextTimestamp();
            bp.put("BusinessPartnerID", String.format("%010d", nextBusinessPartner++));
            bp.put("CreatedAt", at);
            bp.put("ChangedAt", at);
            String key = keyOf(set, bp);
            data.get("BusinessPartnerSet").put(key, bp);
            countWrite("BusinessPartnerSet", key);
            created = copy(bp);
        }
        listener.businessPartnerCreated((String) created.get("BusinessPartnerID"));
        return created;
    }

    /**
     * Updates an entity: {@code merge} (MERGE/PATCH) changes only the given properties, otherwise (PUT) every
     * updatable property takes the body's value or null. A write is counted, ChangedAt moves on and an event is
     * emitted only if a value actually changed. Returns whether something changed; 404 for an unknown key.
     */
    boolean update(String setName, String canonicalKey, Map<String, Object> body, boolean merge) {
        boolean changed;
        synchronized (this) {
            ODataModel.EntitySet set = set(setName);
            Map<String, Object> current = data.get(setName).get(canonicalKey);
            if (current == null) {
                throw ODataException.notFound("Resource not found for segment '" + set.typeName() + "' with key "
                        + canonicalKey);
            }
            Map<String, Object> next = new LinkedHashMap<>(current);
            for (ODataModel.Property p : set.properties().values()) {
                if (!p.updatable() || set.keys().contains(p.name()) || (merge && !body.containsKey(p.name()))) {
                    continue;
                }
                Object value = values.fromJson(p, body.get(p.name()));
                if (merge && p.isComplex() && value != null && current.get(p.name()) instanceof Map) {
                    Map<String, Object> mergedComplex = new LinkedHashMap<>(asMap(current.get(p.name())));
                    for (Object field : ((Map<?, ?>) body.get(p.name())).keySet()) {
                        mergedComplex.put(field.toString(), asMap(value).get(field.toString()));
                    }
                    value = mergedComplex;
                }
                next.put(p.name(), value);
            }
            changed = !next.equals(current);
            if (changed) {
                if (next.containsKey("ChangedAt")) {
                    next.put("ChangedAt", nextTimestamp());
                }
                data.get(setName).put(canonicalKey, next);
                countWrite(setName, canonicalKey);
            }
        }
        if (changed && "BusinessPartnerSet".equals(setName)) {
            listener.businessPartnerChanged(unquoteKey(canonicalKey));
        }
        return changed;
    }

    /**
     * The sales order function imports. Confirm: New to In Process; Cancel: to Cancelled; GoodsIssueCreated:
     * Delivered; InvoiceCreated: Paid; an order both delivered and paid is Completed. Repeating one is harmless.
     * 404 for an unknown order; 400 for acting on a cancelled order.
     */
    synchronized Map<String, Object> salesOrderAction(String function, String salesOrderId) {
        return salesOrderAction(function, salesOrderId, this::nextTimestamp, true);
    }

    /** A status change back-dated to {@code at}, for seed data; counts no write. */
    synchronized void salesOrderActionAt(String function, String salesOrderId, Instant at) {
        salesOrderAction(function, salesOrderId, () -> at, false);
    }

    private Map<String, Object> salesOrderAction(String function, String salesOrderId, Supplier<Instant> clock,
                                                 boolean countWrite) {
        String key = literal(salesOrderId);
        Map<String, Object> order = data.get("SalesOrderSet").get(key);
        if (order == null) {
            throw ODataException.notFound("Resource not found for segment 'SalesOrder' with key " + key);
        }
        Map<String, Object> next = new LinkedHashMap<>(order);
        boolean cancelled = "X".equals(order.get("LifecycleStatus"));
        if (cancelled && !"SalesOrder_Cancel".equals(function)) {
            throw ODataException.badRequest("Sales order " + salesOrderId + " is cancelled");
        }
        switch (function) {
            case "SalesOrder_Confirm":
                if ("N".equals(order.get("LifecycleStatus"))) {
                    setStatus(next, "LifecycleStatus", "P", "In Process");
                }
                break;
            case "SalesOrder_Cancel":
                if (!"C".equals(order.get("LifecycleStatus"))) {
                    setStatus(next, "LifecycleStatus", "X", "Cancelled");
                } else {
                    throw ODataException.badRequest("Sales order " + salesOrderId + " is completed and cannot be cancelled");
                }
                break;
            case "SalesOrder_GoodsIssueCreated":
                setStatus(next, "DeliveryStatus", "D", "Delivered");
                break;
            case "SalesOrder_InvoiceCreated":
                setStatus(next, "BillingStatus", "P", "Paid");
                break;
            default:
                throw ODataException.badRequest("Function import '" + function + "' is not supported");
        }
        if ("D".equals(next.get("DeliveryStatus")) && "P".equals(next.get("BillingStatus"))) {
            setStatus(next, "LifecycleStatus", "C", "Completed");
        }
        if (!next.equals(order)) {
            next.put("ChangedAt", clock.get());
            data.get("SalesOrderSet").put(key, next);
            if (countWrite) {
                countWrite("SalesOrderSet", key);
            }
        }
        return copy(next);
    }

    private static void setStatus(Map<String, Object> order, String field, String code, String description) {
        order.put(field, code);
        order.put(field + "Description", description);
    }

    // --- helpers

    private ODataModel.EntitySet set(String name) {
        return model.set(name).orElseThrow(() -> new IllegalArgumentException("Unknown entity set " + name));
    }

    private void countWrite(String set, String canonicalKey) {
        writes.merge(set + "|" + canonicalKey, 1, Integer::sum);
    }

    /** Millisecond timestamps that strictly increase, so "ChangedAt gt <last seen>" never misses or repeats a change. */
    private Instant nextTimestamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastChange = now.isAfter(lastChange) ? now : lastChange.plusMillis(1);
        return lastChange;
    }

    private static String unquoteKey(String canonicalKey) {
        return canonicalKey.substring(1, canonicalKey.length() - 1).replace("''", "'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> copy(Map<String, Object> entity) {
        Map<String, Object> out = new LinkedHashMap<>();
        entity.forEach((k, v) -> out.put(k, v instanceof Map ? new LinkedHashMap<>(asMap(v)) : v));
        return out;
    }

    /** 2.000 becomes 2, 1.500 becomes 1.5: quantities as SAP shows them. */
    private static BigDecimal plain(BigDecimal quantity) {
        BigDecimal stripped = quantity.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
