package dev.baton.hub.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.baton.model.engine.JoinCounter;
import dev.baton.model.engine.LoopState;
import dev.baton.model.engine.Token;
import dev.baton.model.engine.TokenStatus;

/** The engine state column: rows written before multi-instance steps existed still load. */
class JsonColumnsTest {

    private final JsonColumns columns = new JsonColumns(new ObjectMapper());

    @Test
    void shouldReadAStateWrittenBeforeScopeLocalVariablesExisted() {
        // given: a row as the hub wrote it before
        String old = "{\"seq\":4,\"tokens\":[{\"id\":\"t4\",\"step\":\"approve\",\"scope\":\"s1\",\"status\":\"WAITING\","
                + "\"attempt\":1,\"lastAttempt\":3,\"escalated\":false}],\"joins\":{\"s1\":{\"expected\":2,\"arrived\":1}}}";

        // when
        JsonColumns.TokenState state = columns.readState(old);

        // then
        assertThat(state.seq()).isEqualTo(4);
        assertThat(state.tokens()).containsExactly(new Token("t4", "approve", "s1", TokenStatus.WAITING, 1, 3));
        assertThat(state.joins()).containsEntry("s1", new JoinCounter(2, 1));
        assertThat(state.locals()).isEmpty();
        assertThat(state.loops()).isEmpty();
    }

    @Test
    void shouldKeepTheLocalsAndLoopsOfARunningMultiInstanceStep() {
        // given: a body t1 with three instances, the second done; an element may be null
        Map<String, Object> first = new HashMap<>();
        first.put("line", null);
        first.put("loopCounter", 1);
        List<Object> results = new ArrayList<>();
        results.add(null);
        results.add("S-2");
        results.add(null);
        JsonColumns.TokenState state = new JsonColumns.TokenState(5,
                List.of(new Token("t1", "ship", "", TokenStatus.WAITING, 1, 1),
                        new Token("t2", "ship", "m1/i0", TokenStatus.QUEUED, 1, 3)),
                Map.of(), Map.of("m1", Map.of("nrOfInstances", 3), "m1/i0", first),
                Map.of("t1", new LoopState("ship", List.of(Map.of("sku", "A"), "B", 3), 3, 1, results)));

        // when
        JsonColumns.TokenState read = columns.readState(columns.write(state));

        // then
        assertThat(read.locals()).isEqualTo(state.locals());
        assertThat(read.loops()).isEqualTo(state.loops());
        assertThat(read.tokens()).containsExactlyElementsOf(state.tokens());
    }
}
