package dev.baton.governance.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.governance.audit.AuditChain;
import dev.baton.governance.audit.AuditEntry;
import dev.baton.governance.audit.ChainVerifier;

class EvidenceFormatsTest {

    private static List<AuditEntry> trail() {
        List<AuditEntry> entries = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= 20; i++) {
            boolean hubWide = i % 7 == 0;
            AuditEntry e = AuditChain.seal("p1", i, prev, new AuditChain.Draft(
                    Instant.parse("2026-11-26T08:00:00.123456Z").plusMillis(i), hubWide ? null : "i-" + (i % 3),
                    hubWide ? null : "order-to-cash", hubWide ? null : 2, hubWide ? null : "step-" + i,
                    "STEP_EXECUTED", 111, i % 2 == 0 ? "mia" : "connector:sap", hubWide ? null : "t-" + i, "s-" + i,
                    i % 5 == 0 ? null : AuditChain.digest(new byte[] {(byte) i}),
                    "order \"5000000" + i + "\", amount 1,234.50\nsecond line; ünïcode"));
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    private static boolean verifies(List<AuditEntry> entries) {
        ChainVerifier v = new ChainVerifier("p1");
        entries.forEach(v::accept);
        return v.result().valid();
    }

    @Test
    void jsonLinesRoundTripExactlyAndStillVerify() throws Exception {
        List<AuditEntry> entries = trail();
        StringWriter out = new StringWriter();
        EvidenceFormats.writeJsonLines(entries, out);
        assertThat(out.toString().lines()).hasSize(20);
        List<AuditEntry> back = EvidenceFormats.readJsonLines(new StringReader(out.toString()));
        assertThat(back).isEqualTo(entries);
        assertThat(verifies(back)).isTrue();
    }

    @Test
    void csvRoundTripsWithQuotesCommasAndLineBreaksAndStillVerifies() throws Exception {
        List<AuditEntry> entries = trail();
        StringWriter out = new StringWriter();
        EvidenceFormats.writeCsv(entries, out);
        assertThat(out.toString()).startsWith(String.join(",", EvidenceFormats.COLUMNS));
        List<AuditEntry> back = EvidenceFormats.readCsv(new StringReader(out.toString()));
        assertThat(back).isEqualTo(entries);
        assertThat(verifies(back)).isTrue();
    }
}
