package dev.baton.connectors.salesforce.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API under {@code /services/data}: sObject rows, upsert by external id, SOQL with cursors, sObject
 * Collections and Composite. Each call is one transaction; an all-or-none composite or collection request is one.
 */
final class RestApi {

    /** One REST answer: status, JSON body (null for none) and extra headers. */
    record Response(int status, Object body, Map<String, String> headers) {
        static Response of(int status, Object body) {
            return new Response(status, body, Map.of());
        }
    }

    /** One REST call: what the HTTP layer parsed. {@code path} is relative to /services/data (no leading slash). */
    record Call(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
                SandboxOrg.Actor actor) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    private static final Pattern VERSION = Pattern.compile("v(\\d+\\.\\d)");
    private static final List<String> VERSIONS = List.of("52.0", "53.0", "54.0", "55.0", "56.0", "57.0", "58.0",
            "59.0", "60.0", "61.0", "62.0", "63.0", "64.0", "65.0");
    private static final int DEFAULT_BATCH = 2000;

    private final SandboxOrg org;
    private final ObjectMapper json;
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    private final AtomicLong cursorCounter = new AtomicLong(7_000_000L);

    private record Cursor(List<Map<String, Object>> records, int batchSize) {
    }

    RestApi(SandboxOrg org, ObjectMapper json) {
        this.org = org;
        this.json = json;
    }

    /** Answers a call; {@code actor} is the token's user and the change origin the call's writes carry. */
    Response handle(Call call) {
        try {
            return route(call);
        } catch (ApiError e) {
            return Response.of(e.status(), e.restBody());
        } catch (SandboxOrg.MultipleMatches m) {
            return multipleChoices(call, m);
        }
    }

    private Response multipleChoices(Call call, SandboxOrg.MultipleMatches m) {
        String version = versionOf(call.path()).orElse("56.0");
        List<String> urls = new ArrayList<>();
        for (String id : m.ids) {
            Map<String, Object> r = org.anyById(id);
            urls.add(recordUrl(version, r == null ? "SObject" : SandboxOrg.typeOf(r), id));
        }
        return Response.of(300, urls);
    }

    private Response route(Call call) {
        String path = call.path();
        while (path.endsWith("/") && path.length() > 0) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (String v : VERSIONS) {
                list.add(ordered("label", "v" + v, "url", "/services/data/v" + v, "version", v));
            }
            return Response.of(200, list);
        }
        String[] seg = path.split("/");
        Matcher vm = VERSION.matcher(seg[0]);
        if (!vm.matches()) {
            throw ApiError.notFound();
        }
        String version = vm.group(1);
        String base = "/services/data/v" + version + "/";
        if (seg.length == 1) {
            return Response.of(200, ordered("sobjects", base + "sobjects", "query", base + "query",
                    "queryAll", base + "queryAll", "composite", base + "composite", "limits", base + "limits"));
        }
        String resource = seg[1];
        String method = call.method().toUpperCase(Locale.ROOT);
        switch (resource) {
            case "sobjects":
                return sobjects(call, method, version, seg);
            case "query":
            case "queryAll":
                if (!method.equals("GET")) {
                    throw new ApiError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are GET");
                }
                if (seg.length == 3) {
                    return nextPage(version, seg[2]);
                }
                return query(call, version);
            case "composite":
                return composite(call, method, version, seg);
            case "limits":
                return Response.of(200, ordered("DailyApiRequests", ordered("Max", 15000, "Remaining", 14000)));
            default:
                throw ApiError.notFound();
        }
    }

    // ------------------------------------------------------------------ sobjects

    private Response sobjects(Call call, String method, String version, String[] seg) {
        if (seg.length == 2) {
            List<Object> list = new ArrayList<>();
            for (SObjectType t : org.types()) {
                list.add(ordered("name", t.name(), "label", t.name(), "keyPrefix", t.keyPrefix(),
                        "createable", t.writable(), "updateable", t.writable(), "queryable", true,
                        "urls", ordered("sobject", "/services/data/v" + version + "/sobjects/" + t.name())));
            }
            return Response.of(200, ordered("encoding", "UTF-8", "maxBatchSize", 200, "sobjects", list));
        }
        SObjectType type = org.typeOrNotFound(seg[2]);
        if (seg.length == 3) {
            switch (method) {
                case "GET":
                    return Response.of(200, ordered("objectDescribe", describeBasic(type, version), "recentItems",
                            List.of()));
                case "POST": {
                    Map<String, Object> body = bodyObject(call);
                    String id = org.atomically(call.actor(), txn -> org.create(txn, type, body));
                    return new Response(201, ordered("id", id, "success", true, "errors", List.of()),
                            Map.of("Location", recordUrl(version, type.name(), id)));
                }
                default:
                    throw methodNotAllowed(method, "GET, HEAD, POST");
            }
        }
        if (seg.length == 4) {
            if (seg[3].equals("describe")) {
                return Response.of(200, describe(type, version));
            }
            String id = decode(seg[3]);
            switch (method) {
                case "GET":
                    return Response.of(200, project(type, org.get(type, id).orElseThrow(ApiError::notFound),
                            fieldsParam(call), version));
                case "PATCH": {
                    Map<String, Object> body = bodyObject(call);
                    org.atomically(call.actor(), txn -> org.update(txn, type, id, body));
                    return Response.of(204, null);
                }
                case "DELETE":
                    org.atomically(call.actor(), txn -> {
                        org.delete(txn, type, id);
                        return null;
                    });
                    return Response.of(204, null);
                default:
                    throw methodNotAllowed(method, "GET, HEAD, PATCH, DELETE");
            }
        }
        if (seg.length == 5) {
            String extField = decode(seg[3]);
            String value = decode(seg[4]);
            String field = type.externalIdField(extField);
            switch (method) {
                case "GET": {
                    if (field == null) {
                        throw ApiError.notFound();
                    }
                    List<Map<String, Object>> found = org.findBy(type, field, value);
                    if (found.isEmpty()) {
                        throw ApiError.notFound();
                    }
                    if (found.size() > 1) {
                        List<String> ids = new ArrayList<>();
                        found.forEach(r -> ids.add((String) r.get("Id")));
                        throw new SandboxOrg.MultipleMatches(ids);
                    }
                    return Response.of(200, project(type, found.get(0), fieldsParam(call), version));
                }
                case "PATCH": {
                    Map<String, Object> body = bodyObject(call);
                    SandboxOrg.UpsertResult r = org.atomically(call.actor(),
                            txn -> org.upsert(txn, type, extField, value, body));
                    Map<String, Object> out = ordered("id", r.id(), "success", true, "errors", List.of(),
                            "created", r.created());
                    return r.created()
                            ? new Response(201, out, Map.of("Location", recordUrl(version, type.name(), r.id())))
                            : Response.of(200, out);
                }
                case "DELETE": {
                    if (field == null) {
                        throw ApiError.notFound();
                    }
                    List<Map<String, Object>> found = org.findBy(type, field, value);
                    if (found.isEmpty()) {
                        throw ApiError.notFound();
                    }
                    org.atomically(call.actor(), txn -> {
                        org.delete(txn, type, (String) found.get(0).get("Id"));
                        return null;
                    });
                    return Response.of(204, null);
                }
                default:
                    throw methodNotAllowed(method, "GET, HEAD, PATCH, DELETE");
            }
        }
        throw ApiError.notFound();
    }

    private static ApiError methodNotAllowed(String method, String allowed) {
        return new ApiError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are "
                + allowed);
    }

    private List<String> fieldsParam(Call call) {
        String f = call.query().get("fields");
        if (f == null || f.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : f.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private Map<String, Object> describeBasic(SObjectType type, String version) {
        return ordered("name", type.name(), "label", type.name(), "keyPrefix", type.keyPrefix(),
                "createable", type.writable(), "updateable", type.writable(), "queryable", true,
                "urls", ordered("sobject", "/services/data/v" + version + "/sobjects/" + type.name()));
    }

    private Map<String, Object> describe(SObjectType type, String version) {
        Map<String, Object> d = describeBasic(type, version);
        List<Object> fields = new ArrayList<>();
        for (String f : type.fields()) {
            boolean system = type.isReadOnly(f);
            fields.add(ordered("name", f, "label", f, "type", f.equals("Id") ? "id" : f.endsWith("Id") ? "reference"
                            : type.isDate(f) ? "date" : f.endsWith("Date") ? "datetime" : "string",
                    "nillable", !type.required().contains(f) && !system,
                    "createable", !system && type.writable(), "updateable", !system && type.writable(),
                    "externalId", type.externalIds().contains(f), "custom", f.endsWith("__c")));
        }
        d.put("fields", fields);
        return d;
    }

    /** A record as the REST API shows it: attributes first, then the requested (or all) fields. */
    private Map<String, Object> project(SObjectType type, Map<String, Object> record, List<String> fields,
                                        String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        String id = (String) record.get("Id");
        out.put("attributes", ordered("type", type.name(), "url", recordUrl(version, type.name(), id)));
        if (fields == null) {
            for (Map.Entry<String, Object> e : record.entrySet()) {
                if (!e.getKey().equals("attributes")) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }
        for (String f : fields) {
            String canonical = type.field(f, false);
            if (canonical == null) {
                throw ApiError.invalidField("No such column '" + f + "' on entity '" + type.name() + "'. If you are "
                        + "attempting to use a custom field, be sure to append the '__c' after the custom field name.");
            }
            out.put(canonical, record.get(canonical));
        }
        if (!out.containsKey("Id")) {
            out.put("Id", id);
        }
        return out;
    }

    static String recordUrl(String version, String type, String id) {
        return "/services/data/v" + version + "/sobjects/" + type + "/" + id;
    }

    // ------------------------------------------------------------------ query

    private Response query(Call call, String version) {
        String q = call.query().get("q");
        Soql.Query query = Soql.parse(q);
        SObjectType type = org.type(query.from());
        if (type == null) {
            throw new ApiError(400, "INVALID_TYPE", "\n" + q + "\n^\nERROR at Row:1:Column:1\nsObject type '"
                    + query.from() + "' is not supported. If you are attempting to use a custom object, be sure to "
                    + "append the '__c' after the entity name.");
        }
        Soql.FieldReader reader = (record, path) -> read(type, record, path, q);
        // validate every referenced field before evaluating
        List<String> selected = new ArrayList<>();
        for (String f : query.fields()) {
            selected.add(canonicalPath(type, f, q));
        }
        validateCondition(type, query.where(), q);
        for (Soql.Order o : query.orderBy()) {
            canonicalPath(type, o.field(), q);
        }
        if (query.countField() != null) {
            canonicalPath(type, query.countField(), q);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> r : org.all(type)) {
            if (Soql.matches(query.where(), r, reader)) {
                rows.add(r);
            }
        }
        if (!query.orderBy().isEmpty()) {
            rows.sort(Soql.comparator(query.orderBy(), reader));
        }
        int offset = query.offset() == null ? 0 : query.offset();
        if (offset > 0) {
            rows = offset >= rows.size() ? new ArrayList<>() : new ArrayList<>(rows.subList(offset, rows.size()));
        }
        if (query.limit() != null && rows.size() > query.limit()) {
            rows = new ArrayList<>(rows.subList(0, query.limit()));
        }
        if (query.countOnly()) {
            return Response.of(200, ordered("totalSize", rows.size(), "done", true, "records", List.of()));
        }
        if (query.countField() != null) {
            long n = rows.stream().filter(r -> reader.read(r, query.countField()) != null).count();
            Map<String, Object> agg = new LinkedHashMap<>();
            agg.put("attributes", ordered("type", "AggregateResult"));
            agg.put(query.countAlias() == null ? "expr0" : query.countAlias(), n);
            return Response.of(200, ordered("totalSize", 1, "done", true, "records", List.of(agg)));
        }
        List<Map<String, Object>> projected = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            projected.add(projectQueryRow(type, r, selected, version));
        }
        int batch = batchSize(call.header("Sforce-Query-Options"));
        return page(version, projected, 0, batch, null);
    }

    private Response page(String version, List<Map<String, Object>> all, int from, int batch, String cursorId) {
        int to = Math.min(all.size(), from + batch);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalSize", all.size());
        boolean done = to >= all.size();
        out.put("done", done);
        if (!done) {
            String id = cursorId;
            if (id == null) {
                id = SalesforceIds.of("01g", cursorCounter.incrementAndGet());
                cursors.put(id, new Cursor(all, batch));
            }
            out.put("nextRecordsUrl", "/services/data/v" + version + "/query/" + id + "-" + to);
        } else if (cursorId != null) {
            cursors.remove(cursorId);
        }
        out.put("records", new ArrayList<>(all.subList(from, to)));
        return Response.of(200, out);
    }

    private Response nextPage(String version, String locator) {
        int dash = locator.lastIndexOf('-');
        if (dash < 0) {
            throw new ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        String id = locator.substring(0, dash);
        int from;
        try {
            from = Integer.parseInt(locator.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        Cursor c = cursors.get(id);
        if (c == null || from < 0 || from > c.records().size()) {
            throw new ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(version, c.records(), from, c.batchSize(), id);
    }

    private static int batchSize(String header) {
        if (header == null) {
            return DEFAULT_BATCH;
        }
        Matcher m = Pattern.compile("batchSize\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE).matcher(header);
        if (!m.find()) {
            return DEFAULT_BATCH;
        }
        int n = Integer.parseInt(m.group(1));
        return Math.max(200, Math.min(2000, n));
    }

    private void validateCondition(SObjectType type, Soql.Condition c, String q) {
        if (c == null) {
            return;
        }
        if (c instanceof Soql.And) {
            validateCondition(type, ((Soql.And) c).left(), q);
            validateCondition(type, ((Soql.And) c).right(), q);
        } else if (c instanceof Soql.Or) {
            validateCondition(type, ((Soql.Or) c).left(), q);
            validateCondition(type, ((Soql.Or) c).right(), q);
        } else if (c instanceof Soql.Not) {
            validateCondition(type, ((Soql.Not) c).inner(), q);
        } else if (c instanceof Soql.Compare) {
            canonicalPath(type, ((Soql.Compare) c).field(), q);
        } else if (c instanceof Soql.In) {
            canonicalPath(type, ((Soql.In) c).field(), q);
        } else if (c instanceof Soql.Like) {
            canonicalPath(type, ((Soql.Like) c).field(), q);
        }
    }

    /** The canonical spelling of a (possibly relationship) field path, or INVALID_FIELD. */
    private String canonicalPath(SObjectType type, String path, String q) {
        String[] parts = path.split("\\.");
        if (parts.length > 1 && parts[0].equalsIgnoreCase(type.name())) {
            // SELECT Account.Name FROM Account: the object name may prefix a field
            parts = java.util.Arrays.copyOfRange(parts, 1, parts.length);
        }
        if (parts.length == 1) {
            String f = type.field(parts[0], false);
            if (f == null) {
                throw noSuchColumn(type, parts[0], q);
            }
            return f;
        }
        if (parts.length == 2) {
            SObjectType target = relationshipTarget(type, parts[0]);
            if (target == null) {
                throw noSuchColumn(type, parts[0], q);
            }
            String f = target.field(parts[1], false);
            if (f == null) {
                throw noSuchColumn(target, parts[1], q);
            }
            return relationshipName(type, parts[0]) + "." + f;
        }
        throw noSuchColumn(type, path, q);
    }

    private static ApiError noSuchColumn(SObjectType type, String field, String q) {
        return ApiError.invalidField("\n" + q + "\n^\nERROR at Row:1:Column:1\nNo such column '" + field
                + "' on entity '" + type.name() + "'. If you are attempting to use a custom field, be sure to append "
                + "the '__c' after the custom field name. Please reference your WSDL or the describe call for the "
                + "appropriate names.");
    }

    /** The lookup field behind a relationship name ({@code Account} → AccountId, {@code X__r} → X__c), or null. */
    private static String lookupField(SObjectType type, String relationship) {
        if (relationship.toLowerCase(Locale.ROOT).endsWith("__r")) {
            return type.field(relationship.substring(0, relationship.length() - 3) + "__c", false);
        }
        return type.field(relationship + "Id", false);
    }

    private static String relationshipName(SObjectType type, String relationship) {
        String lookup = lookupField(type, relationship);
        if (lookup == null) {
            return relationship;
        }
        return lookup.endsWith("__c") ? lookup.substring(0, lookup.length() - 3) + "__r"
                : lookup.substring(0, lookup.length() - 2);
    }

    private SObjectType relationshipTarget(SObjectType type, String relationship) {
        String lookup = lookupField(type, relationship);
        if (lookup == null) {
            return null;
        }
        String rel = relationshipName(type, relationship);
        switch (rel) {
            case "Owner":
            case "CreatedBy":
            case "LastModifiedBy":
                return org.type("User");
            case "Parent":
                return type;
            default:
                SObjectType t = org.type(rel);
                // custom lookups: any type, resolved at read time by id prefix; describe them as Account for checks
                return t != null ? t : org.type("Account");
        }
    }

    private Object read(SObjectType type, Map<String, Object> record, String path, String q) {
        String canonical = canonicalPath(type, path, q);
        int dot = canonical.indexOf('.');
        if (dot < 0) {
            return record.get(canonical);
        }
        Map<String, Object> related = related(type, record, canonical.substring(0, dot));
        return related == null ? null : related.get(canonical.substring(dot + 1));
    }

    private Map<String, Object> related(SObjectType type, Map<String, Object> record, String relationship) {
        String lookup = lookupField(type, relationship);
        Object id = lookup == null ? null : record.get(lookup);
        return id == null ? null : org.anyById(id.toString());
    }

    private Map<String, Object> projectQueryRow(SObjectType type, Map<String, Object> r, List<String> selected,
                                                String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", ordered("type", type.name(), "url", recordUrl(version, type.name(), (String) r.get("Id"))));
        for (String path : selected) {
            int dot = path.indexOf('.');
            if (dot < 0) {
                out.put(path, r.get(path));
                continue;
            }
            String rel = path.substring(0, dot);
            String field = path.substring(dot + 1);
            Map<String, Object> related = related(type, r, rel);
            if (related == null) {
                out.putIfAbsent(rel, null);
                continue;
            }
            Object existing = out.get(rel);
            Map<String, Object> nested;
            if (existing instanceof Map) {
                nested = SandboxOrg.castMap(existing);
            } else {
                String relType = SandboxOrg.typeOf(related);
                nested = new LinkedHashMap<>();
                nested.put("attributes", ordered("type", relType,
                        "url", recordUrl(version, relType, (String) related.get("Id"))));
                out.put(rel, nested);
            }
            nested.put(field, related.get(field));
        }
        return out;
    }

    // ------------------------------------------------------------------ composite

    private Response composite(Call call, String method, String version, String[] seg) {
        if (seg.length == 2) {
            if (!method.equals("POST")) {
                throw methodNotAllowed(method, "POST");
            }
            return compositeRequest(call, version);
        }
        if (!seg[2].equals("sobjects")) {
            throw ApiError.notFound();
        }
        if (seg.length == 3) {
            switch (method) {
                case "POST":
                    return collection(call, version, null, null);
                case "PATCH":
                    return collection(call, version, null, "Id");
                case "DELETE":
                    return collectionDelete(call);
                default:
                    throw methodNotAllowed(method, "POST, PATCH, DELETE");
            }
        }
        SObjectType type = org.typeOrNotFound(seg[3]);
        if (seg.length == 4 && (method.equals("GET") || method.equals("POST"))) {
            return collectionRetrieve(call, version, type);
        }
        if (seg.length == 5 && method.equals("PATCH")) {
            String ext = type.externalIdField(decode(seg[4]));
            if (ext == null) {
                throw ApiError.notFound();
            }
            return collection(call, version, type, ext);
        }
        throw ApiError.notFound();
    }

    /** sObject Collections create (upsertField null), update (Id) or upsert (external id field). */
    private Response collection(Call call, String version, SObjectType upsertType, String upsertField) {
        Map<String, Object> body = bodyObject(call);
        boolean allOrNone = Boolean.TRUE.equals(body.get("allOrNone"));
        Object recs = body.get("records");
        if (!(recs instanceof List)) {
            throw new ApiError(400, "JSON_PARSER_ERROR", "records is required");
        }
        List<?> records = (List<?>) recs;
        if (records.size() > 200) {
            throw new ApiError(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records "
                    + "into this call");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        org.atomically(call.actor(), txn -> {
            boolean failed = false;
            for (Object o : records) {
                Map<String, Object> result = new LinkedHashMap<>();
                try {
                    if (!(o instanceof Map)) {
                        throw new ApiError(400, "JSON_PARSER_ERROR", "record must be an object");
                    }
                    Map<String, Object> rec = SandboxOrg.castMap(o);
                    SObjectType type = upsertType != null ? upsertType : typeFromAttributes(rec);
                    if (failed && allOrNone) {
                        throw new ApiError(400, "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because "
                                + "not all records were valid and the request was using AllOrNone header");
                    }
                    if (upsertField == null) {
                        String id = org.create(txn, type, rec);
                        put(result, id, true, List.of(), null);
                    } else if (upsertField.equals("Id")) {
                        Object id = rec.get("Id");
                        if (id == null) {
                            throw new ApiError(400, "MISSING_ARGUMENT", "Id not specified in an update call",
                                    List.of("Id"));
                        }
                        org.update(txn, type, id.toString(), rec);
                        put(result, SalesforceIds.to18(id.toString()), true, List.of(), null);
                    } else {
                        Object value = null;
                        for (Map.Entry<String, Object> e : rec.entrySet()) {
                            if (e.getKey().equalsIgnoreCase(upsertField)) {
                                value = e.getValue();
                            }
                        }
                        if (value == null) {
                            throw new ApiError(400, "MISSING_ARGUMENT", upsertField + " not specified",
                                    List.of(upsertField));
                        }
                        SandboxOrg.UpsertResult r = org.upsert(txn, type, upsertField, value.toString(), rec);
                        put(result, r.id(), true, List.of(), r.created());
                    }
                } catch (ApiError e) {
                    failed = true;
                    put(result, null, false, List.of(e.saveError()), upsertField != null && !"Id".equals(upsertField)
                            ? Boolean.FALSE : null);
                } catch (SandboxOrg.MultipleMatches m) {
                    failed = true;
                    put(result, null, false, List.of(new ApiError(300, "DUPLICATE_EXTERNAL_ID",
                            "Multiple records found for external id: " + m.ids).saveError()), Boolean.FALSE);
                }
                results.add(result);
            }
            if (failed && allOrNone) {
                txn.setRollbackOnly();
                // earlier successes are rolled back too
                for (Map<String, Object> r : results) {
                    if (Boolean.TRUE.equals(r.get("success"))) {
                        r.put("id", null);
                        r.put("success", false);
                        r.put("errors", List.of(new ApiError(400, "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                "Record rolled back because not all records were valid and the request was using "
                                        + "AllOrNone header").saveError()));
                        if (r.containsKey("created")) {
                            r.put("created", false);
                        }
                    }
                }
            }
            return null;
        });
        return Response.of(200, results);
    }

    private static void put(Map<String, Object> result, String id, boolean success, List<Object> errors,
                            Boolean created) {
        result.put("id", id);
        result.put("success", success);
        result.put("errors", errors);
        if (created != null) {
            result.put("created", created);
        }
    }

    private SObjectType typeFromAttributes(Map<String, Object> rec) {
        Object attrs = rec.get("attributes");
        Object type = attrs instanceof Map ? ((Map<?, ?>) attrs).get("type") : null;
        if (type == null) {
            throw new ApiError(400, "INVALID_TYPE", "Must send a concrete entity type.");
        }
        SObjectType t = org.type(type.toString());
        if (t == null) {
            throw new ApiError(400, "INVALID_TYPE", "sObject type '" + type + "' is not supported.");
        }
        return t;
    }

    private Response collectionDelete(Call call) {
        String ids = call.query().get("ids");
        boolean allOrNone = Boolean.parseBoolean(call.query().getOrDefault("allOrNone", "false"));
        List<Map<String, Object>> results = new ArrayList<>();
        org.atomically(call.actor(), txn -> {
            boolean failed = false;
            for (String id : ids == null ? new String[0] : ids.split(",")) {
                Map<String, Object> result = new LinkedHashMap<>();
                Map<String, Object> r = org.anyById(id.trim());
                try {
                    if (r == null) {
                        throw new ApiError(400, "ENTITY_IS_DELETED", "entity is deleted");
                    }
                    org.delete(txn, org.type(SandboxOrg.typeOf(r)), id.trim());
                    put(result, SalesforceIds.to18(id.trim()), true, List.of(), null);
                } catch (ApiError e) {
                    failed = true;
                    put(result, id.trim(), false, List.of(e.saveError()), null);
                }
                results.add(result);
            }
            if (failed && allOrNone) {
                txn.setRollbackOnly();
            }
            return null;
        });
        return Response.of(200, results);
    }

    private Response collectionRetrieve(Call call, String version, SObjectType type) {
        List<String> ids = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        if (call.method().equalsIgnoreCase("POST")) {
            Map<String, Object> body = bodyObject(call);
            for (Object o : listOf(body.get("ids"))) {
                ids.add(o.toString());
            }
            for (Object o : listOf(body.get("fields"))) {
                fields.add(o.toString());
            }
        } else {
            for (String s : call.query().getOrDefault("ids", "").split(",")) {
                if (!s.isBlank()) {
                    ids.add(s.trim());
                }
            }
            List<String> f = fieldsParam(call);
            if (f != null) {
                fields.addAll(f);
            }
        }
        List<Object> out = new ArrayList<>();
        for (String id : ids) {
            Optional<Map<String, Object>> r = org.get(type, id);
            out.add(r.isPresent() ? project(type, r.get(), fields.isEmpty() ? null : fields, version) : null);
        }
        return Response.of(200, out);
    }

    private static List<?> listOf(Object o) {
        return o instanceof List ? (List<?>) o : List.of();
    }

    private static final Pattern REFERENCE = Pattern.compile("@\\{([^}]+)}");

    /** {@code POST composite}: sub-requests in order, {@code @{ref.path}} references, optional all-or-none. */
    private Response compositeRequest(Call call, String version) {
        Map<String, Object> body = bodyObject(call);
        boolean allOrNone = Boolean.TRUE.equals(body.get("allOrNone"));
        List<?> subs = listOf(body.get("compositeRequest"));
        if (subs.isEmpty()) {
            throw new ApiError(400, "JSON_PARSER_ERROR", "compositeRequest is required");
        }
        if (subs.size() > 25) {
            throw new ApiError(400, "INVALID_BATCH_REQUEST", "Composite request may contain at most 25 subrequests");
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        org.atomically(call.actor(), txn -> {
            boolean failed = false;
            for (Object o : subs) {
                Map<String, Object> sub = SandboxOrg.castMap(o);
                String refId = String.valueOf(sub.get("referenceId"));
                Map<String, Object> entry = new LinkedHashMap<>();
                if (failed && allOrNone) {
                    entry.put("body", List.of(ordered("errorCode", "PROCESSING_HALTED", "message",
                            "The transaction was rolled back since another operation in the same transaction "
                                    + "failed.")));
                    entry.put("httpHeaders", Map.of());
                    entry.put("httpStatusCode", 400);
                    entry.put("referenceId", refId);
                    responses.add(entry);
                    continue;
                }
                Response r;
                try {
                    String url = resolveReferences(String.valueOf(sub.get("url")), results, true);
                    Object subBody = resolveInBody(sub.get("body"), results);
                    r = subCall(call, url, String.valueOf(sub.get("method")), subBody, sub.get("httpHeaders"));
                } catch (ApiError e) {
                    r = Response.of(e.status(), e.restBody());
                }
                if (r.status() >= 400) {
                    failed = true;
                } else {
                    results.put(refId, r.body());
                }
                entry.put("body", r.body());
                entry.put("httpHeaders", r.headers());
                entry.put("httpStatusCode", r.status());
                entry.put("referenceId", refId);
                responses.add(entry);
            }
            if (failed && allOrNone) {
                txn.setRollbackOnly();
                for (Map<String, Object> e : responses) {
                    int status = (Integer) e.get("httpStatusCode");
                    if (status < 400) {
                        e.put("body", List.of(ordered("errorCode", "PROCESSING_HALTED", "message",
                                "The transaction was rolled back since another operation in the same transaction "
                                        + "failed.")));
                        e.put("httpHeaders", Map.of());
                        e.put("httpStatusCode", 400);
                    }
                }
            }
            return null;
        });
        return Response.of(200, ordered("compositeResponse", responses));
    }

    private Response subCall(Call parent, String url, String method, Object body, Object headers) {
        String path = url;
        Map<String, String> query = new LinkedHashMap<>();
        int qm = path.indexOf('?');
        if (qm >= 0) {
            query.putAll(parseQuery(path.substring(qm + 1)));
            path = path.substring(0, qm);
        }
        if (!path.startsWith("/services/data/")) {
            throw new ApiError(400, "INVALID_URL", "Invalid URL: " + url);
        }
        path = path.substring("/services/data/".length());
        Map<String, String> h = new LinkedHashMap<>(parent.headers());
        if (headers instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) headers).entrySet()) {
                h.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "JSON_PARSER_ERROR", e.getOriginalMessage());
        }
        Call sub = new Call(method, path, query, h, bytes, parent.actor());
        // the sub-request's writes join the composite's transaction (see SandboxOrg.atomically)
        return handle(sub);
    }

    private Object resolveInBody(Object body, Map<String, Object> results) {
        if (body instanceof String) {
            return resolveReferences((String) body, results, false);
        }
        if (body instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : SandboxOrg.castMap(body).entrySet()) {
                out.put(e.getKey(), resolveInBody(e.getValue(), results));
            }
            return out;
        }
        if (body instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) body) {
                out.add(resolveInBody(o, results));
            }
            return out;
        }
        return body;
    }

    private String resolveReferences(String s, Map<String, Object> results, boolean url) {
        Matcher m = REFERENCE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = navigate(m.group(1), results);
            if (v == null) {
                throw new ApiError(400, "PROCESSING_HALTED", "Invalid reference specified. No value for "
                        + m.group(1) + " found in " + m.group(1).split("\\.")[0]
                        + ". Provided referenceId ('" + m.group(1).split("\\.")[0]
                        + "') must start with a letter or a number, and it can contain only letters, numbers and "
                        + "underscores ('_').");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v.toString()));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static Object navigate(String expr, Map<String, Object> results) {
        String[] parts = expr.split("\\.");
        Object cur = results.get(stripIndex(parts[0]));
        cur = index(cur, parts[0]);
        for (int i = 1; i < parts.length && cur != null; i++) {
            String p = parts[i];
            if (cur instanceof Map) {
                cur = ((Map<?, ?>) cur).get(stripIndex(p));
            } else {
                return null;
            }
            cur = index(cur, p);
        }
        return cur;
    }

    private static String stripIndex(String part) {
        int b = part.indexOf('[');
        return b < 0 ? part : part.substring(0, b);
    }

    private static Object index(Object cur, String part) {
        Matcher m = Pattern.compile("\\[(\\d+)]").matcher(part);
        while (m.find() && cur != null) {
            int i = Integer.parseInt(m.group(1));
            cur = cur instanceof List && i < ((List<?>) cur).size() ? ((List<?>) cur).get(i) : null;
        }
        return cur;
    }

    // ------------------------------------------------------------------ helpers

    private Map<String, Object> bodyObject(Call call) {
        if (call.body() == null || call.body().length == 0) {
            throw new ApiError(400, "JSON_PARSER_ERROR", "The request body is empty.");
        }
        Object parsed;
        try {
            parsed = json.readValue(call.body(), Object.class);
        } catch (java.io.IOException e) {
            String msg = e instanceof JsonProcessingException
                    ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
            throw new ApiError(400, "JSON_PARSER_ERROR", msg);
        }
        if (!(parsed instanceof Map)) {
            throw new ApiError(400, "JSON_PARSER_ERROR",
                    "Cannot deserialize instance of SObject from " + (parsed instanceof List ? "START_ARRAY" : "VALUE")
                            + " value");
        }
        return SandboxOrg.castMap(parsed);
    }

    static Optional<String> versionOf(String path) {
        Matcher m = Pattern.compile("^/?v(\\d+\\.\\d)").matcher(path);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(decode(k), decode(v));
        }
        return out;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A LinkedHashMap from alternating keys and values (values may be null). */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
