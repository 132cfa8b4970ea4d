package dev.baton.hub.api;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import javax.xml.stream.XMLStreamException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.baton.governance.audit.AuditEntry;
import dev.baton.governance.audit.Checkpoint;
import dev.baton.governance.evidence.EvidenceFormats;
import dev.baton.governance.evidence.XesWriter;
import dev.baton.hub.HubCodes;
import dev.baton.hub.audit.AuditCheckpoints;
import dev.baton.hub.audit.AuditRepository;
import dev.baton.hub.audit.AuditVerifier;

/** The auditor's API: the trail by instance, business key, trace or time; its verification; evidence exports. */
@RestController
public class AuditController {

    private static final int MAX_LIMIT = 1000;
    private static final int EXPORT_PAGE = 1000;

    private final AuditRepository repository;
    private final AuditVerifier verifier;
    private final AuditCheckpoints checkpoints;

    public AuditController(AuditRepository repository, AuditVerifier verifier, AuditCheckpoints checkpoints) {
        this.repository = repository;
        this.verifier = verifier;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/api/audit")
    public Map<String, Object> list(@RequestParam(required = false) String instance,
                                    @RequestParam(required = false) String businessKey,
                                    @RequestParam(required = false) String traceId,
                                    @RequestParam(required = false) String eventType,
                                    @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to,
                                    @RequestParam(defaultValue = "100") int limit,
                                    @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                    "Expected limit between 1 and " + MAX_LIMIT + ", but it is " + limit);
        }
        List<AuditEntry> entries = repository.query(query(instance, businessKey, traceId, eventType, from, to, limit,
                decode(cursor)));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("entries", entries.stream().map(AuditController::view).toList());
        if (entries.size() == limit) {
            AuditEntry last = entries.get(entries.size() - 1);
            page.put("nextCursor", Base64.getUrlEncoder().withoutPadding().encodeToString((last.time() + "|"
                    + last.sequence() + "|" + last.chain()).getBytes(StandardCharsets.UTF_8)));
        }
        return page;
    }

    @GetMapping("/api/audit/verify")
    public Map<String, Object> verify() {
        AuditVerifier.Report r = verifier.verify();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("valid", r.valid());
        answer.put("entries", r.entries());
        if (!r.valid()) {
            if (r.chain() != null) {
                answer.put("chain", r.chain());
                answer.put("firstBrokenSequence", r.firstBrokenSequence());
            }
            if (r.brokenCheckpoint() != null) {
                answer.put("brokenCheckpoint", r.brokenCheckpoint());
            }
            answer.put("reason", r.reason());
        }
        answer.put("checkpoints", r.checkpoints());
        answer.put("chains", r.chains().stream().map(c -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("chain", c.chain());
            one.put("valid", c.valid());
            one.put("entries", c.entries());
            if (!c.valid()) {
                one.put("firstBrokenSequence", c.firstBrokenSequence());
                one.put("reason", c.reason());
            }
            return one;
        }).toList());
        return answer;
    }

    @GetMapping("/api/audit/checkpoints")
    public Map<String, Object> checkpoints() {
        return Map.of("publicKeys", checkpoints.publicKeys(), "checkpoints", checkpoints.all());
    }

    /** Signs the current heads now (admin): before handing evidence over, so it ends at a checkpoint. */
    @PostMapping("/api/audit/checkpoints")
    public ResponseEntity<Checkpoint> checkpoint() {
        return ResponseEntity.status(HttpStatus.CREATED).body(checkpoints.take());
    }

    @GetMapping("/api/audit/export")
    public ResponseEntity<StreamingResponseBody> export(@RequestParam(defaultValue = "jsonl") String format,
                                                        @RequestParam(required = false) String instance,
                                                        @RequestParam(required = false) String businessKey,
                                                        @RequestParam(required = false) String traceId,
                                                        @RequestParam(required = false) String eventType,
                                                        @RequestParam(required = false) String from,
                                                        @RequestParam(required = false) String to) {
        String f = format.toLowerCase(Locale.ROOT);
        AuditRepository.Query base = query(instance, businessKey, traceId, eventType, from, to, EXPORT_PAGE, null);
        Iterable<AuditEntry> all = () -> new Pages(repository, base);
        MediaType type;
        StreamingResponseBody body;
        switch (f) {
            case "jsonl":
                type = MediaType.parseMediaType("application/x-ndjson");
                body = out -> {
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    EvidenceFormats.writeJsonLines(all, w);
                    w.flush();
                };
                break;
            case "csv":
                type = MediaType.parseMediaType("text/csv;charset=UTF-8");
                body = out -> {
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    EvidenceFormats.writeCsv(all, w);
                    w.flush();
                };
                break;
            case "xes":
                type = MediaType.APPLICATION_XML;
                body = out -> {
                    List<AuditEntry> entries = new ArrayList<>();
                    all.forEach(entries::add);
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    try {
                        XesWriter.write(entries, w);
                    } catch (XMLStreamException e) {
                        throw new IOException(e);
                    }
                    w.flush();
                };
                break;
            default:
                throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST,
                        "Expected format jsonl, csv or xes, but it is '" + format + "'");
        }
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"baton-audit." + f + "\"")
                .body(body);
    }

    /** The matching entries, a page of {@link #EXPORT_PAGE} at a time. */
    private static final class Pages implements Iterator<AuditEntry> {
        private final AuditRepository repository;
        private final AuditRepository.Query base;
        private Iterator<AuditEntry> page;
        private AuditEntry last;
        private boolean exhausted;

        Pages(AuditRepository repository, AuditRepository.Query base) {
            this.repository = repository;
            this.base = base;
        }

        @Override
        public boolean hasNext() {
            if (page != null && page.hasNext()) {
                return true;
            }
            if (exhausted) {
                return false;
            }
            AuditRepository.Position after = last == null ? null
                    : new AuditRepository.Position(last.time(), last.chain(), last.sequence());
            List<AuditEntry> next = repository.query(new AuditRepository.Query(base.instanceId(), base.businessKey(),
                    base.traceId(), base.eventType(), base.from(), base.to(), base.limit(), after));
            exhausted = next.size() < base.limit();
            page = next.iterator();
            return page.hasNext();
        }

        @Override
        public AuditEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = page.next();
            return last;
        }
    }

    private static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("chain", e.chain());
        d.put("sequence", e.sequence());
        d.put("time", e.time());
        d.put("instanceId", e.instanceId());
        d.put("definition", e.definition());
        d.put("version", e.version());
        d.put("step", e.step());
        d.put("eventType", e.eventType());
        d.put("eventCode", e.eventCode());
        d.put("actor", e.actor());
        d.put("traceId", e.traceId());
        d.put("spanId", e.spanId());
        d.put("trace", e.traceId() == null ? null : "/api/traces/" + e.traceId());
        d.put("payloadDigest", e.payloadDigest());
        d.put("summary", e.summary());
        d.put("prevHash", e.prevHash());
        d.put("hash", e.hash());
        return d;
    }

    private static AuditRepository.Query query(String instance, String businessKey, String traceId, String eventType,
                                               String from, String to, int limit, AuditRepository.Position after) {
        return new AuditRepository.Query(blank(instance), blank(businessKey), blank(traceId),
                eventType == null || eventType.isBlank() ? null : eventType.strip().toUpperCase(Locale.ROOT),
                RequestInstants.parse(from, "from"), RequestInstants.parse(to, "to"), limit, after);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static AuditRepository.Position decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
            return new AuditRepository.Position(java.util.Objects.requireNonNull(RequestInstants.inRange(parts[0])),
                    parts[2], Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.BAD_REQUEST, "The cursor is not one this API gave");
        }
    }
}
