package dev.baton.governance.evidence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.baton.governance.audit.AuditEntry;

/**
 * Audit entries as JSON Lines (one entry an object a line: exact, the format to verify an export with)
 * and as CSV (RFC 4180 with a header, for spreadsheets; an empty cell reads back as null, so CSV cannot
 * tell an empty text from none). Both through Jackson; times as ISO-8601 instants.
 */
public final class EvidenceFormats {

    /** The columns, in the order of {@link AuditEntry}'s components. */
    public static final List<String> COLUMNS = List.of("chain", "sequence", "time", "instanceId", "definition",
            "version", "step", "eventType", "eventCode", "actor", "traceId", "spanId", "payloadDigest", "summary",
            "prevHash", "hash");

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final CsvMapper CSV = csvMapper();
    private static final CsvSchema SCHEMA = schema();

    private EvidenceFormats() {
    }

    public static void writeJsonLines(Iterable<AuditEntry> entries, Writer out) throws IOException {
        ObjectWriter writer = JSON.writerFor(AuditEntry.class);
        for (AuditEntry e : entries) {
            out.write(writer.writeValueAsString(e));
            out.write('\n');
        }
        out.flush();
    }

    public static List<AuditEntry> readJsonLines(Reader in) throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        ObjectReader reader = JSON.readerFor(AuditEntry.class);
        BufferedReader lines = new BufferedReader(in);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
                entries.add(reader.readValue(line));
            }
        }
        return entries;
    }

    public static void writeCsv(Iterable<AuditEntry> entries, Writer out) throws IOException {
        CSV.writer(SCHEMA).writeValues(out).writeAll(entries).flush();
    }

    public static List<AuditEntry> readCsv(Reader in) throws IOException {
        try (MappingIterator<AuditEntry> it = CSV.readerFor(AuditEntry.class).with(SCHEMA).readValues(in)) {
            return it.readAll();
        }
    }

    private static CsvMapper csvMapper() {
        CsvMapper mapper = new CsvMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        mapper.enable(CsvParser.Feature.EMPTY_STRING_AS_NULL);
        return mapper;
    }

    private static CsvSchema schema() {
        CsvSchema.Builder b = CsvSchema.builder().setUseHeader(true);
        for (String c : COLUMNS) {
            b.addColumn(c);
        }
        return b.build();
    }
}
