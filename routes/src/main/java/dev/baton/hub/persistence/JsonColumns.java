package dev.baton.hub.persistence;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import dev.baton.model.engine.JoinCounter;
import dev.baton.model.engine.LoopState;
import dev.baton.model.engine.Token;

/** JSON text columns: instance variables and the engine's token state. */
@Component
public class JsonColumns {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public JsonColumns(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The engine state that is not variables: open tokens, join counters, the token sequence, and what running
     * multi-instance steps hold (variables local to their scopes, their loops). Rows written before multi-instance
     * steps existed have neither of the last two and read as empty.
     */
    public record TokenState(long seq, Collection<Token> tokens, Map<String, JoinCounter> joins,
                             Map<String, Map<String, Object>> locals, Map<String, LoopState> loops) {

        public TokenState(long seq, Collection<Token> tokens, Map<String, JoinCounter> joins) {
            this(seq, tokens, joins, Map.of(), Map.of());
        }
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not representable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public Map<String, Object> readMap(String text) {
        if (text == null || text.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not an object: " + e.getOriginalMessage(), e);
        }
    }

    public Object readAny(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not readable: " + e.getOriginalMessage(), e);
        }
    }

    public TokenState readState(String text) {
        try {
            TokenState s = json.readValue(text, TokenState.class);
            return new TokenState(s.seq(), s.tokens() == null ? List.of() : s.tokens(),
                    s.joins() == null ? Map.of() : s.joins(), s.locals() == null ? Map.of() : s.locals(),
                    s.loops() == null ? Map.of() : s.loops());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored instance state is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
