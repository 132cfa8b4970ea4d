package dev.baton.connectors.sap.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EDM values between their Java form in the store ({@code String}, {@code BigDecimal}, {@code Instant}, {@code Integer},
 * a {@code Map} for complex types) and OData V2 verbose JSON ({@code Edm.Decimal} as a string,
 * {@code Edm.DateTime} as {@code "/Date(ms)/"}).
 */
final class ODataValues {

    private static final Pattern JSON_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private final ODataModel model;

    ODataValues(ODataModel model) {
        this.model = model;
    }

    Object toJson(ODataModel.Property property, Object value) {
        if (value == null) {
            return null;
        }
        if (property.isComplex()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("__metadata", Map.of("type", property.type()));
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) value;
            for (ODataModel.Property p : model.complexType(property.type()).values()) {
                out.put(p.name(), toJson(p, fields.get(p.name())));
            }
            return out;
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Instant) {
            return "/Date(" + ((Instant) value).toEpochMilli() + ")/";
        }
        return value;
    }

    /** Parses a JSON request value for {@code property}; 400 when it does not fit the EDM type. */
    Object fromJson(ODataModel.Property property, Object json) {
        if (json == null) {
            return null;
        }
        try {
            if (property.isComplex()) {
                if (!(json instanceof Map)) {
                    throw new IllegalArgumentException("an object is expected");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                Map<?, ?> in = (Map<?, ?>) json;
                for (ODataModel.Property p : model.complexType(property.type()).values()) {
                    out.put(p.name(), fromJson(p, in.get(p.name())));
                }
                return out;
            }
            switch (property.type()) {
                case "Edm.Decimal":
                    return new BigDecimal(json.toString());
                case "Edm.DateTime":
                case "Edm.DateTimeOffset":
                    return parseDateTime(json.toString());
                case "Edm.Int32":
                case "Edm.Byte":
                case "Edm.Int16":
                    return json instanceof Number ? ((Number) json).intValue() : Integer.parseInt(json.toString());
                case "Edm.Boolean":
                    return json instanceof Boolean ? json : Boolean.parseBoolean(json.toString());
                case "Edm.Guid":
                    return UUID.fromString(json.toString()).toString();
                default:
                    return json.toString();
            }
        } catch (RuntimeException e) {
            throw ODataException.badRequest("Invalid value '" + json + "' for property '" + property.name()
                    + "' of type " + property.type());
        }
    }

    /** Accepts {@code /Date(ms)/}, {@code 2026-11-26T00:00:00} (UTC) and ISO instants with an offset. */
    static Instant parseDateTime(String text) {
        Matcher m = JSON_DATE.matcher(text);
        if (m.matches()) {
            return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }
}
