package dev.baton.hub.audit;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedCaseInsensitiveMap;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.AuditEntry;
import dev.baton.governance.evidence.EvidenceFormats;
import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.EffectServer;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail on a running hub, through the public API: what an instance leaves on it, that
 * verification finds every kind of tampering at the entry where it happened, and that the exports
 * carry the same entries. Subclasses choose the database.
 */
abstract class AuditTrailBehaviour extends HubTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    protected JdbcTemplate jdbc;

    private EffectServer remote;

    @BeforeEach
    void remote() {
        remote = new EffectServer();
    }

    @AfterEach
    void stopRemote() {
        remote.close();
    }

    /** Lets the test change the table as an attacker with write access would; undone by {@link #protect}. */
    protected abstract void unprotect();

    protected abstract void protect();

    /** Runs an instance through a step, a call failing once, a human task and an end; returns it. */
    private JsonNode runOneInstance(String businessKey) {
        remote.failNext(1, 503);
        String id = unique("audited");
        Api.Response deployed = api.deploy("""
                id: %s
                steps:
                  - id: prepare
                    task: {set: {doubled: "amount * 2"}}
                    next: notify
                  - id: notify
                    call: http.post
                    with: {url: "%s"}
                    retry: {attempts: 3, backoff: PT0.1S}
                    next: approve
                  - id: approve
                    human: {title: "Approve", roles: [sales-manager]}
                    next: done
                  - id: done
                    task: {set: {finished: "true"}}
                """.formatted(id, remote.url("/notify")));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        String instance = api.start(id, businessKey, Map.of("amount", 21));
        await().atMost(WAIT).until(() -> api.tasks(TestUsers.MANAGER).stream()
                .anyMatch(t -> t.get("instanceId").asText().equals(instance)));
        String task = api.tasks(TestUsers.MANAGER).stream().filter(t -> t.get("instanceId").asText().equals(instance))
                .findFirst().orElseThrow().get("id").asText();
        assertThat(api.postJson("/api/tasks/" + task + "/complete", TestUsers.MANAGER,
                Map.of("variables", Map.of("approved", true))).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "COMPLETED".equals(api.status(instance)));
        return api.instance(instance);
    }

    private List<JsonNode> entries(String query) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/audit?" + query + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    TestUsers.AUDITOR);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            all.addAll(Api.toList(page.json().get("entries")));
            cursor = page.json().hasNonNull("nextCursor") ? page.json().get("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    @Test
    void shouldRecordEveryHandOffConnectorCallAndApprovalOfAnOrderOldestFirstWithItsTrace() {
        // given
        JsonNode instance = runOneInstance("SO-4711");
        String traceId = instance.get("traceId").asText();

        // when: the auditor asks by business key, a page of three at a time
        List<JsonNode> entries = entries("businessKey=SO-4711");

        // then
        assertThat(entries).extracting(e -> e.get("eventType").asText() + " " + e.path("step").asText(""))
                .containsExactly("INSTANCE_STARTED ", "STEP_EXECUTED prepare", "CONNECTOR_CALLED notify",
                        "STEP_FAILED notify", "CONNECTOR_CALLED notify", "STEP_RETRIED notify",
                        "STEP_WAITING approve", "COMPLETE_TASK approve", "TASK_COMPLETED approve",
                        "STEP_EXECUTED done");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.get("instanceId").asText()).isEqualTo(instance.get("id").asText());
            assertThat(e.get("traceId").asText()).isEqualTo(traceId);
            assertThat(e.get("trace").asText()).isEqualTo("/api/traces/" + traceId);
            assertThat(e.get("hash").asText()).hasSize(64);
        });
        assertThat(entries.get(0).get("actor").asText()).isEqualTo(TestUsers.OPERATOR);
        assertThat(entries.get(2).get("actor").asText()).isEqualTo("connector:http");
        assertThat(entries.get(2).get("summary").asText()).startsWith("http.post failed: BATON-HTTP-503 (HTTP 503)");
        assertThat(entries.get(4).get("summary").asText()).startsWith("http.post → 200");
        assertThat(entries.get(7).get("actor").asText()).isEqualTo(TestUsers.MANAGER);
        assertThat(entries.get(8).get("actor").asText()).isEqualTo(TestUsers.MANAGER);
        assertThat(entries.get(9).get("summary").asText()).endsWith("instance COMPLETED");
        assertThat(entries).noneMatch(e -> e.get("spanId").isNull() && !e.get("eventType").asText().equals("CONNECTOR_CALLED")
                && e.get("spanId").isNull());
        // the same entries by instance and by trace id
        assertThat(entries("instance=" + instance.get("id").asText())).isEqualTo(entries);
        assertThat(entries("traceId=" + traceId)).isEqualTo(entries);
        Api.Response verified = api.get("/api/audit/verify", TestUsers.AUDITOR);
        assertThat(verified.json().get("valid").asBoolean()).as(verified.body()).isTrue();
    }

    @Test
    void shouldExportTheSameEntriesAsJsonLinesAndCsvThatStillVerify() throws Exception {
        // given
        JsonNode instance = runOneInstance("SO-EXPORT");

        // when
        Api.Response jsonl = api.get("/api/audit/export?format=jsonl&businessKey=SO-EXPORT", TestUsers.AUDITOR);
        Api.Response csv = api.get("/api/audit/export?format=csv&businessKey=SO-EXPORT", TestUsers.AUDITOR);
        Api.Response xes = api.get("/api/audit/export?format=xes&businessKey=SO-EXPORT", TestUsers.AUDITOR);
        Api.Response unknown = api.get("/api/audit/export?format=pdf", TestUsers.AUDITOR);

        // then
        assertThat(jsonl.status()).as(jsonl.body()).isEqualTo(200);
        List<AuditEntry> fromJson = EvidenceFormats.readJsonLines(new StringReader(jsonl.body()));
        List<AuditEntry> fromCsv = EvidenceFormats.readCsv(new StringReader(csv.body()));
        assertThat(fromJson).hasSize(10).isEqualTo(fromCsv);
        assertThat(fromJson).allSatisfy(e -> assertThat(AuditChain.hashOf(e)).isEqualTo(e.hash()));
        assertThat(fromJson).extracting(AuditEntry::instanceId).containsOnly(instance.get("id").asText());
        assertThat(xes.status()).isEqualTo(200);
        assertThat(xes.body()).contains("xmlns=\"http://www.xes-standard.org/\"")
                .contains("<string key=\"concept:name\" value=\"" + instance.get("id").asText() + "\"/>");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("jsonl, csv or xes");
    }

    /** A chain with at least {@code n} entries, after running instances until there is one. */
    private String chainWith(int n) {
        for (int i = 0; i < 10; i++) {
            List<String> chains = jdbc.queryForList("SELECT chain FROM baton_audit GROUP BY chain HAVING COUNT(*) >= ?"
                    + " ORDER BY chain", String.class, n);
            if (!chains.isEmpty()) {
                return chains.get(0);
            }
            runOneInstance("SO-T" + i);
        }
        throw new AssertionError("no chain reached " + n + " entries");
    }

    private JsonNode verify() {
        Api.Response r = api.get("/api/audit/verify", TestUsers.AUDITOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private void assertBrokenAt(String chain, long sequence, String reason) {
        JsonNode v = verify();
        assertThat(v.get("valid").asBoolean()).as(v.toString()).isFalse();
        assertThat(v.get("chain").asText()).isEqualTo(chain);
        assertThat(v.get("firstBrokenSequence").asLong()).as(v.toString()).isEqualTo(sequence);
        assertThat(v.get("reason").asText()).contains(reason);
    }

    private Map<String, Object> row(String chain, long seq) {
        return jdbc.queryForMap("SELECT * FROM baton_audit WHERE chain = ? AND seq = ?", chain, seq);
    }

    private void insert(Map<String, Object> row) {
        jdbc.update("INSERT INTO baton_audit (chain, seq, at, instance_id, definition_id, version, step, event_type,"
                        + " event_code, actor, trace_id, span_id, payload_digest, summary, prev_hash, hash)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", row.get("chain"), row.get("seq"), row.get("at"),
                row.get("instance_id"), row.get("definition_id"), row.get("version"), row.get("step"),
                row.get("event_type"), row.get("event_code"), row.get("actor"), row.get("trace_id"), row.get("span_id"),
                row.get("payload_digest"), row.get("summary"), row.get("prev_hash"), row.get("hash"));
    }

    /** Moves entries {@code from..} of a chain by {@code by} places (two steps, so keys never collide). */
    private void shift(String chain, long from, long by) {
        jdbc.update("UPDATE baton_audit SET seq = -(seq + ?) WHERE chain = ? AND seq >= ?", by, chain, from);
        jdbc.update("UPDATE baton_audit SET seq = -seq WHERE chain = ? AND seq < 0", chain);
    }

    @Test
    void shouldFindEachKindOfTamperingAtTheEntryWhereItHappened() {
        // given
        String chain = chainWith(8);
        assertThat(verify().get("valid").asBoolean()).isTrue();
        unprotect();
        try {
            // a field of one entry changed
            Map<String, Object> fifth = row(chain, 5);
            jdbc.update("UPDATE baton_audit SET actor = 'mallory' WHERE chain = ? AND seq = 5", chain);
            assertBrokenAt(chain, 5, "entry 5 was altered");
            jdbc.update("UPDATE baton_audit SET actor = ? WHERE chain = ? AND seq = 5", fifth.get("actor"), chain);
            assertThat(verify().get("valid").asBoolean()).isTrue();

            // one entry deleted
            Map<String, Object> fourth = row(chain, 4);
            jdbc.update("DELETE FROM baton_audit WHERE chain = ? AND seq = 4", chain);
            assertBrokenAt(chain, 4, "entry 4 is missing");
            insert(fourth);
            assertThat(verify().get("valid").asBoolean()).isTrue();

            // one entry inserted (a copy of entry 3 saying something else, the rest moved up one)
            Map<String, Object> forged = new LinkedCaseInsensitiveMap<>();
            forged.putAll(row(chain, 3));
            shift(chain, 3, 1);
            forged.put("summary", "approved by nobody");
            insert(forged);
            assertBrokenAt(chain, 3, "entry 3 was altered");
            jdbc.update("DELETE FROM baton_audit WHERE chain = ? AND seq = 3", chain);
            shift(chain, 4, -1);
            assertThat(verify().get("valid").asBoolean()).isTrue();

            // two entries swapped
            swap(chain, 6, 7);
            assertBrokenAt(chain, 6, "entry 6 was altered");
            swap(chain, 6, 7);
            assertThat(verify().get("valid").asBoolean()).isTrue();
        } finally {
            protect();
        }
    }

    @Test
    void shouldFindAChainRewrittenOrCutAfterACheckpointByTheCheckpoint() {
        // given: a signed checkpoint of the heads
        String chain = chainWith(6);
        Api.Response taken = api.post("/api/audit/checkpoints", TestUsers.ADMIN, null, null);
        assertThat(taken.status()).as(taken.body()).isEqualTo(201);
        long head = jdbc.queryForObject("SELECT MAX(seq) FROM baton_audit WHERE chain = ?", Long.class, chain);
        Api.Response listed = api.get("/api/audit/checkpoints", TestUsers.AUDITOR);
        assertThat(listed.json().get("publicKeys").size()).isEqualTo(1);
        assertThat(Api.toList(listed.json().get("checkpoints"))).isNotEmpty();
        unprotect();
        try {
            // an insertion re-hashed from there on, so the chain itself is consistent again
            List<Map<String, Object>> original = jdbc.queryForList("SELECT * FROM baton_audit WHERE chain = ? AND seq >= 3"
                    + " ORDER BY seq", chain);
            Map<String, Object> before = row(chain, 2);
            String prev = (String) before.get("hash");
            jdbc.update("DELETE FROM baton_audit WHERE chain = ? AND seq >= 3", chain);
            List<Map<String, Object>> rewritten = new ArrayList<>();
            Map<String, Object> forged = new LinkedCaseInsensitiveMap<>();
            forged.putAll(original.get(0));
            forged.put("summary", "approved by nobody");
            rewritten.add(forged);
            for (Map<String, Object> r : original) {
                Map<String, Object> copy = new LinkedCaseInsensitiveMap<>();
                copy.putAll(r);
                rewritten.add(copy);
            }
            long seq = 3;
            for (Map<String, Object> r : rewritten) {
                r.put("seq", seq++);
                r.put("prev_hash", prev);
                AuditEntry sealed = AuditChain.seal(chain, (Long) r.get("seq"), prev, draftOf(r));
                r.put("hash", sealed.hash());
                prev = sealed.hash();
                insert(r);
            }
            // the chain is consistent in itself, so the change shows at the head the checkpoint signed
            JsonNode v = verify();
            assertThat(v.get("firstBrokenSequence").asLong()).as(v.toString()).isEqualTo(head);
            assertThat(v.get("reason").asText()).contains("is not the entry checkpoint")
                    .contains("rewritten (re-hashed) somewhere in entries 1 to " + head);

            // the tail cut off after the checkpoint
            jdbc.update("DELETE FROM baton_audit WHERE chain = ? AND seq >= 3", chain);
            for (Map<String, Object> r : original) {
                if ((Long) ((Number) r.get("seq")).longValue() < head) {
                    insert(r);
                }
            }
            assertBrokenAt(chain, head, "its tail was cut");
            for (Map<String, Object> r : original) {
                if (((Number) r.get("seq")).longValue() == head) {
                    insert(r);
                }
            }
            assertThat(verify().get("valid").asBoolean()).as(verify().toString()).isTrue();
        } finally {
            protect();
        }
    }

    private static AuditChain.Draft draftOf(Map<String, Object> r) {
        Object at = r.get("at");
        java.time.Instant time = at instanceof java.time.OffsetDateTime o ? o.toInstant()
                : ((java.sql.Timestamp) at).toInstant();
        return new AuditChain.Draft(time, (String) r.get("instance_id"), (String) r.get("definition_id"),
                r.get("version") == null ? null : ((Number) r.get("version")).intValue(), (String) r.get("step"),
                (String) r.get("event_type"), ((Number) r.get("event_code")).intValue(), (String) r.get("actor"),
                (String) r.get("trace_id"), (String) r.get("span_id"), (String) r.get("payload_digest"),
                (String) r.get("summary"));
    }

    private void swap(String chain, long a, long b) {
        jdbc.update("UPDATE baton_audit SET seq = -1 WHERE chain = ? AND seq = ?", chain, a);
        jdbc.update("UPDATE baton_audit SET seq = ? WHERE chain = ? AND seq = ?", a, chain, b);
        jdbc.update("UPDATE baton_audit SET seq = ? WHERE chain = ? AND seq = -1", b, chain);
    }
}
