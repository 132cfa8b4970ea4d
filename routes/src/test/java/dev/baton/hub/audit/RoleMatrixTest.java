package dev.baton.hub.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.baton.hub.HubTestBase;
import dev.baton.hub.support.Api;
import dev.baton.hub.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of CONTRACT.md against every role: each cell allowed or refused as the contract says,
 * and every refusal on the audit trail with who asked and what they asked for. "Allowed" means the
 * request got past authorization (its answer may still be 400 or 404: the matrix sends no valid
 * payloads and names no existing records).
 */
class RoleMatrixTest extends HubTestBase {

    /** The test users by role; null is a caller without credentials. */
    private static final Map<String, String> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("anonymous", null);
        CALLERS.put("admin", TestUsers.ADMIN);
        CALLERS.put("developer", TestUsers.DEVELOPER);
        CALLERS.put("operator", TestUsers.OPERATOR);
        CALLERS.put("auditor", TestUsers.AUDITOR);
        CALLERS.put("integration", TestUsers.INTEGRATION);
        CALLERS.put("integration:shop", TestUsers.SHOP);
        CALLERS.put("approver", TestUsers.MANAGER);
    }

    /** Everyone but the event sources, whose integration roles read nothing under /api. */
    private static final Set<String> READERS = Set.of("admin", "developer", "operator", "auditor", "approver");

    private record Endpoint(String method, String path, Set<String> allowed) {
    }

    /**
     * CONTRACT.md's table, plus the hub's own additions (checkpoints). "integration" holds the relay role
     * (any source), "integration:shop" the shop's own credential.
     */
    private static final List<Endpoint> CONTRACT = List.of(
            new Endpoint("GET", "/actuator/prometheus", Set.of("operator", "admin")),
            new Endpoint("POST", "/api/definitions", Set.of("developer", "admin")),
            new Endpoint("GET", "/api/definitions", READERS),
            new Endpoint("GET", "/api/definitions/no-such-process", READERS),
            new Endpoint("GET", "/api/definitions/no-such-process?format=bpmn", READERS),
            new Endpoint("GET", "/api/no-such-resource", READERS),
            new Endpoint("POST", "/api/definitions/no-such-process/instances", Set.of("operator", "admin")),
            new Endpoint("GET", "/api/instances", Set.of("operator", "admin", "auditor")),
            new Endpoint("GET", "/api/instances/no-such-instance", Set.of("operator", "admin", "auditor")),
            new Endpoint("POST", "/api/instances/no-such-instance/cancel", Set.of("operator", "admin")),
            new Endpoint("POST", "/events/shop", Set.of("integration", "integration:shop", "admin")),
            new Endpoint("POST", "/events/wms", Set.of("integration", "admin")),
            new Endpoint("GET", "/api/tasks", Set.of("approver", "operator", "admin")),
            new Endpoint("POST", "/api/tasks/no-such-task/complete", Set.of("approver", "operator", "admin")),
            new Endpoint("GET", "/api/incidents", Set.of("operator", "admin")),
            new Endpoint("POST", "/api/incidents/no-such-incident/retry", Set.of("operator", "admin")),
            new Endpoint("GET", "/api/audit", Set.of("auditor", "admin")),
            new Endpoint("GET", "/api/audit/verify", Set.of("auditor", "admin")),
            new Endpoint("GET", "/api/audit/export?format=jsonl", Set.of("auditor", "admin")),
            new Endpoint("GET", "/api/audit/checkpoints", Set.of("auditor", "admin")),
            new Endpoint("POST", "/api/audit/checkpoints", Set.of("admin")),
            new Endpoint("GET", "/api/traces/0af7651916cd43dd8448eb211c80319c", Set.of("operator", "admin", "auditor")),
            new Endpoint("GET", "/api/kpis", Set.of("operator", "admin", "auditor")),
            new Endpoint("GET", "/api/sandboxes", Set.of("admin", "developer", "operator")));

    private Api.Response call(Endpoint e, String user) {
        return e.method().equals("GET") ? api.get(e.path(), user)
                : api.post(e.path(), user, "application/json", "{}");
    }

    @Test
    void shouldAllowOrRefuseEveryRoleOnEveryEndpointAsTheContractSaysAndAuditEachRefusal() {
        // given
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        List<String> wrong = new ArrayList<>();
        List<String[]> refusals = new ArrayList<>();

        // when
        for (Endpoint e : CONTRACT) {
            for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
                int status = call(e, caller.getValue()).status();
                boolean anonymous = caller.getValue() == null;
                boolean allowed = !anonymous && e.allowed().contains(caller.getKey());
                int expectedRefusal = anonymous ? 401 : 403;
                String cell = e.method() + " " + e.path() + " as " + caller.getKey() + ": " + status;
                if (allowed && (status == 401 || status == 403)) {
                    wrong.add(cell + " (expected allowed)");
                } else if (!allowed && status != expectedRefusal) {
                    wrong.add(cell + " (expected " + expectedRefusal + ")");
                } else if (!allowed) {
                    refusals.add(new String[] {anonymous ? "anonymous" : caller.getValue(),
                            status + " " + e.method() + " " + e.path().replaceAll("\\?.*", "")});
                }
            }
        }

        // then
        assertThat(wrong).isEmpty();
        List<JsonNode> denied = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/audit?eventType=ACCESS_DENIED&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), TestUsers.AUDITOR);
            denied.addAll(Api.toList(page.json().get("entries")));
            cursor = page.json().hasNonNull("nextCursor") ? page.json().get("nextCursor").asText() : null;
        } while (cursor != null);
        for (String[] refusal : refusals) {
            assertThat(denied).as("the refusal %s of %s is on the record", refusal[1], refusal[0])
                    .anyMatch(d -> d.get("actor").asText().equals(refusal[0])
                            && d.get("summary").asText().startsWith(refusal[1]));
        }
        assertThat(denied).allSatisfy(d -> assertThat(d.get("hash").asText()).hasSize(64));
        assertThat(api.get("/api/audit/verify", TestUsers.AUDITOR).json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void shouldRefuseAWrongPasswordAndRecordTheNameItClaimed() {
        // when
        Api.Response r = new Api("http://127.0.0.1:" + port).get("/api/instances", "nobody-known");

        // then
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asText()).startsWith("BATON-");
        assertThat(r.body()).doesNotContain("nobody-known-secret");
    }
}
