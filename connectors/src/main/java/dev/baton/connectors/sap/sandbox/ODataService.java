package dev.baton.connectors.sap.sandbox;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OData V2 resource layer: resolves {@code Set}, {@code Set(key)}, {@code Set(key)/Navigation}, {@code Set/$count}
 * and function imports, applies {@code $filter $orderby $top $skip $inlinecount $expand $select}, and renders verbose
 * JSON with {@code __metadata} and {@code __deferred} links. Authentication, CSRF and faults are handled before it.
 */
final class ODataService {

    /** Sets whose entities may be changed with PUT/MERGE/PATCH (SalesOrderSet is {@code sap:updatable="false"}). */
    private static final Set<String> UPDATABLE = Set.of("BusinessPartnerSet", "ProductSet", "ContactSet");
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*|\\$count|\\$value)(?:\\((.*)\\))?", Pattern.DOTALL);
    private static final DateTimeFormatter ETAG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH'%3A'mm'%3A'ss.SSSSSSS");

    private record Segment(String name, String key) { }

    private final ODataModel model;
    private final SapStore store;
    private final ODataValues values;
    private final String base;

    ODataService(ODataModel model, SapStore store, String serviceUrl) {
        this.model = model;
        this.store = store;
        this.values = new ODataValues(model);
        this.base = serviceUrl + "/";
    }

    Response serve(String method, String rawPath, String rawQuery, byte[] body, Headers headers) {
        Map<String, String> query = parseQuery(rawQuery);
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if ("$metadata".equals(rawPath.replaceAll("^/+", ""))) {
            requireRead(method, read, "$metadata");
            return Response.bytes(200, "application/xml", model.metadata()).header("dataserviceversion", "2.0");
        }
        List<Segment> segments = segments(rawPath);
        if (segments.isEmpty()) {
            requireRead(method, read, "the service document");
            return Response.json(200, Map.of("d", Map.of("EntitySets", new ArrayList<>(model.sets().keySet()))));
        }
        Segment first = segments.get(0);
        if (model.function(first.name()).isPresent()) {
            return function(model.function(first.name()).get(), method, query);
        }
        ODataModel.EntitySet set = model.set(first.name())
                .orElseThrow(() -> ODataException.notFound("Resource not found for segment '" + first.name() + "'"));
        if (first.key() == null) {
            if (segments.size() == 1) {
                if (read) {
                    return collection(set, store.list(set.name()), query);
                }
                if ("POST".equals(method)) {
                    return create(set, parseBody(body));
                }
                throw notAllowed(method, set.name());
            }
            if (segments.size() == 2 && "$count".equals(segments.get(1).name()) && read) {
                return Response.text(200, String.valueOf(filtered(set, store.list(set.name()), query).size()));
            }
            throw ODataException.badRequest("Invalid resource path '" + rawPath + "'");
        }
        String key = store.parseKey(set, first.key());
        Map<String, Object> entity = store.get(set.name(), key).orElseThrow(() -> ODataException.notFound(
                "Resource not found for segment '" + set.typeName() + "' with key " + key));
        if (segments.size() == 1) {
            if (read) {
                Response single = Response.json(200, Map.of("d", entityJson(set, entity, expand(set, query), select(set, query))));
                String etag = etag(set, entity);
                return etag == null ? single : single.header("ETag", etag);
            }
            return update(set, key, entity, method, body, headers);
        }
        if (segments.size() == 2) {
            requireRead(method, read, rawPath);
            return navigationOrProperty(set, entity, segments.get(1), query);
        }
        throw ODataException.badRequest("Invalid resource path '" + rawPath + "'");
    }

    // --- reads

    private Response collection(ODataModel.EntitySet set, List<Map<String, Object>> all, Map<String, String> query) {
        List<Map<String, Object>> rows = filtered(set, all, query);
        int count = rows.size();
        String orderby = query.get("$orderby");
        if (orderby != null && !orderby.isBlank()) {
            rows.sort(comparator(set, orderby));
        }
        int skip = nonNegative(query, "$skip");
        int top = query.containsKey("$top") ? nonNegative(query, "$top") : Integer.MAX_VALUE;
        rows = rows.subList(Math.min(skip, rows.size()), (int) Math.min((long) skip + top, rows.size()));
        Map<String, Object> expand = expand(set, query);
        Set<String> select = select(set, query);
        List<Object> results = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            results.add(entityJson(set, row, expand, select));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        String inlinecount = query.get("$inlinecount");
        if ("allpages".equals(inlinecount)) {
            d.put("__count", String.valueOf(count));
        } else if (inlinecount != null && !"none".equals(inlinecount)) {
            throw ODataException.badRequest("Invalid $inlinecount '" + inlinecount + "': use allpages or none");
        }
        d.put("results", results);
        return Response.json(200, Map.of("d", d));
    }

    private List<Map<String, Object>> filtered(ODataModel.EntitySet set, List<Map<String, Object>> rows, Map<String, String> query) {
        String filter = query.get("$filter");
        List<Map<String, Object>> out = new ArrayList<>(rows);
        if (filter != null && !filter.isBlank()) {
            Predicate<Map<String, Object>> predicate = ODataFilter.parse(filter, model, set);
            out.removeIf(predicate.negate());
        }
        return out;
    }

    private Comparator<Map<String, Object>> comparator(ODataModel.EntitySet set, String orderby) {
        Comparator<Map<String, Object>> result = null;
        for (String part : orderby.split(",")) {
            String[] words = part.trim().split("\\s+");
            String name = words[0];
            if (set.property(name).isEmpty() || set.property(name).get().isComplex() || words.length > 2
                    || (words.length == 2 && !words[1].equals("asc") && !words[1].equals("desc"))) {
                throw ODataException.badRequest("Invalid $orderby '" + orderby + "' for type '" + set.qualifiedType() + "'");
            }
            Comparator<Map<String, Object>> c = (a, b) -> {
                Object x = a.get(name);
                Object y = b.get(name);
                if (x == null || y == null) {
                    return x == null ? (y == null ? 0 : -1) : 1;
                }
                return ODataFilter.order(x, y);
            };
            if (words.length == 2 && words[1].equals("desc")) {
                c = c.reversed();
            }
            result = result == null ? c : result.thenComparing(c);
        }
        return result;
    }

    private Response navigationOrProperty(ODataModel.EntitySet set, Map<String, Object> entity, Segment segment,
                                          Map<String, String> query) {
        ODataModel.Navigation nav = set.navigations().get(segment.name());
        if (nav != null && segment.key() == null) {
            ODataModel.EntitySet target = model.set(nav.targetSet()).orElseThrow();
            List<Map<String, Object>> related = store.navigate(entity, nav);
            if (nav.many()) {
                return collection(target, related, query);
            }
            if (related.isEmpty()) {
                throw ODataException.notFound("Resource not found for segment '" + target.typeName() + "'");
            }
            return Response.json(200, Map.of("d", entityJson(target, related.get(0), expand(target, query), select(target, query))));
        }
        ODataModel.Property property = set.properties().get(segment.name());
        if (property != null && segment.key() == null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put(property.name(), values.toJson(property, entity.get(property.name())));
            return Response.json(200, Map.of("d", d));
        }
        throw ODataException.notFound("Resource not found for segment '" + segment.name() + "'");
    }

    /** One entity in verbose JSON; {@code expand} is a tree of navigation names, {@code select} empty for all. */
    private Map<String, Object> entityJson(ODataModel.EntitySet set, Map<String, Object> entity,
                                           Map<String, Object> expand, Set<String> select) {
        String uri = base + set.name() + "(" + store.keyOf(set, entity) + ")";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", uri);
        metadata.put("uri", uri);
        metadata.put("type", set.qualifiedType());
        String etag = etag(set, entity);
        if (etag != null) {
            metadata.put("etag", etag);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("__metadata", metadata);
        for (ODataModel.Property p : set.properties().values()) {
            if (select.isEmpty() || select.contains(p.name())) {
                out.put(p.name(), values.toJson(p, entity.get(p.name())));
            }
        }
        for (ODataModel.Navigation nav : set.navigations().values()) {
            if (expand.containsKey(nav.name())) {
                ODataModel.EntitySet target = model.set(nav.targetSet()).orElseThrow();
                @SuppressWarnings("unchecked")
                Map<String, Object> subtree = (Map<String, Object>) expand.get(nav.name());
                List<Object> related = new ArrayList<>();
                for (Map<String, Object> e : store.navigate(entity, nav)) {
                    related.add(entityJson(target, e, subtree, Set.of()));
                }
                out.put(nav.name(), nav.many() ? Map.of("results", related) : (related.isEmpty() ? null : related.get(0)));
            } else if (select.isEmpty() || select.contains(nav.name())) {
                out.put(nav.name(), Map.of("__deferred", Map.of("uri", uri + "/" + nav.name())));
            }
        }
        return out;
    }

    private Map<String, Object> expand(ODataModel.EntitySet set, Map<String, String> query) {
        Map<String, Object> tree = new LinkedHashMap<>();
        String expand = query.get("$expand");
        if (expand == null || expand.isBlank()) {
            return tree;
        }
        for (String path : expand.split(",")) {
            ODataModel.EntitySet current = set;
            Map<String, Object> node = tree;
            for (String name : path.trim().split("/")) {
                ODataModel.Navigation nav = current.navigations().get(name);
                if (nav == null) {
                    throw ODataException.badRequest("Invalid $expand '" + expand + "': '" + name
                            + "' is not a navigation property of type '" + current.qualifiedType() + "'");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
                node = child;
                current = model.set(nav.targetSet()).orElseThrow();
            }
        }
        return tree;
    }

    private Set<String> select(ODataModel.EntitySet set, Map<String, String> query) {
        Set<String> select = new LinkedHashSet<>();
        String text = query.get("$select");
        if (text == null || text.isBlank() || text.trim().equals("*")) {
            return select;
        }
        for (String part : text.split(",")) {
            String name = part.trim().split("/")[0];
            if (!set.properties().containsKey(name) && !set.navigations().containsKey(name)) {
                throw ODataException.badRequest("Invalid $select: property '" + name + "' not found in type '"
                        + set.qualifiedType() + "'");
            }
            select.add(name);
        }
        return select;
    }

    // --- writes

    private Response create(ODataModel.EntitySet set, Map<String, Object> body) {
        Map<String, Object> created;
        Map<String, Object> expand = new LinkedHashMap<>();
        if ("SalesOrderSet".equals(set.name())) {
            created = store.createSalesOrder(body);
            expand.put("ToLineItems", new LinkedHashMap<String, Object>());
        } else if ("BusinessPartnerSet".equals(set.name())) {
            created = store.createBusinessPartner(body);
        } else {
            throw notAllowed("POST", set.name());
        }
        Map<String, Object> json = entityJson(set, created, expand, Set.of());
        @SuppressWarnings("unchecked")
        String location = (String) ((Map<String, Object>) json.get("__metadata")).get("uri");
        return Response.json(201, Map.of("d", json)).header("Location", location);
    }

    private Response update(ODataModel.EntitySet set, String key, Map<String, Object> entity, String method,
                            byte[] body, Headers headers) {
        if ("DELETE".equals(method) || !UPDATABLE.contains(set.name())) {
            throw notAllowed(method, set.name());
        }
        boolean merge = "MERGE".equals(method) || "PATCH".equals(method);
        if (!merge && !"PUT".equals(method)) {
            throw notAllowed(method, set.name());
        }
        String ifMatch = headers.getFirst("If-Match");
        String etag = etag(set, entity);
        if (ifMatch != null && !"*".equals(ifMatch.trim()) && etag != null && !ifMatch.trim().equals(etag)) {
            throw new ODataException(412, "/IWBEP/CM_MGW_RT/022", "Precondition failed: the entity '" + set.typeName()
                    + "' with key " + key + " was changed in the meantime");
        }
        store.update(set.name(), key, parseBody(body), merge);
        return Response.noContent();
    }

    private Response function(ODataModel.FunctionImport fn, String method, Map<String, String> query) {
        String expected = fn.httpMethod();
        boolean ok = expected.equals(method) || ("GET".equals(expected) && "HEAD".equals(method));
        if (!ok) {
            throw new ODataException(405, "/IWBEP/CM_MGW_RT/021", "Function import '" + fn.name() + "' must be called with "
                    + expected + ", not " + method);
        }
        if (!"SalesOrderSet".equals(fn.entitySet())) {
            throw ODataException.badRequest("Function import '" + fn.name() + "' is not available in the sandbox");
        }
        String raw = query.get("SalesOrderID");
        if (raw == null || raw.isBlank()) {
            throw ODataException.badRequest("Function import '" + fn.name() + "' needs the parameter SalesOrderID");
        }
        String id = raw.trim();
        if (id.length() >= 2 && id.startsWith("'") && id.endsWith("'")) {
            id = id.substring(1, id.length() - 1).replace("''", "'");
        }
        Map<String, Object> order = store.salesOrderAction(fn.name(), id);
        ODataModel.EntitySet set = model.set("SalesOrderSet").orElseThrow();
        return Response.json(200, Map.of("d", entityJson(set, order, Map.of(), Set.of())));
    }

    // --- parsing

    private static ODataException notAllowed(String method, String set) {
        return new ODataException(405, "/IWBEP/CM_MGW_RT/021", "Method '" + method + "' is not supported for entity set '"
                + set + "'");
    }

    private static void requireRead(String method, boolean read, String what) {
        if (!read) {
            throw new ODataException(405, "/IWBEP/CM_MGW_RT/021", "Method '" + method + "' is not allowed on " + what);
        }
    }

    private static Map<String, Object> parseBody(byte[] body) {
        Object parsed;
        try {
            parsed = body.length == 0 ? null : Response.JSON.readValue(body, Object.class);
        } catch (IOException e) {
            throw ODataException.badRequest("Malformed request body: expected OData JSON");
        }
        if (!(parsed instanceof Map)) {
            throw ODataException.badRequest("Malformed request body: expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        if (map.size() == 1 && map.get("d") instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = (Map<String, Object>) map.get("d");
            return inner;
        }
        return map;
    }

    private String etag(ODataModel.EntitySet set, Map<String, Object> entity) {
        if (set.etagProperty() == null || !(entity.get(set.etagProperty()) instanceof Instant)) {
            return null;
        }
        Instant at = (Instant) entity.get(set.etagProperty());
        return "W/\"datetime'" + ETAG_TIME.format(at.atOffset(ZoneOffset.UTC)) + "'\"";
    }

    private static int nonNegative(Map<String, String> query, String option) {
        String text = query.get(option);
        if (text == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ODataException.badRequest("Invalid value '" + text + "' for system query option " + option);
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            query.put(name, value);
        }
        return query;
    }

    private static List<Segment> segments(String rawPath) {
        List<Segment> out = new ArrayList<>();
        for (String raw : splitPath(rawPath)) {
            if (raw.isEmpty()) {
                continue;
            }
            String text = decode(raw, false);
            Matcher m = SEGMENT.matcher(text);
            if (!m.matches()) {
                throw ODataException.badRequest("Invalid resource path segment '" + text + "'");
            }
            out.add(new Segment(m.group(1), m.group(2)));
        }
        return out;
    }

    /** Splits at '/' outside quoted key literals, so a key may contain a slash. */
    private static List<String> splitPath(String rawPath) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '/' && !quoted) {
                parts.add(rawPath.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(rawPath.substring(start));
        return parts;
    }

    private static String decode(String text, boolean plusIsSpace) {
        try {
            return URLDecoder.decode(plusIsSpace ? text : text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ODataException.badRequest("Malformed URL encoding in '" + text + "'");
        }
    }
}
