package dev.baton.hub.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.baton.model.engine.Intent;

/**
 * What a hand-off stores of the commands it sent, and reads back when its command is delivered again: its
 * own instance's commands in the short form, and those of other instances (a call activity's child starting,
 * a child's end going to its caller) whole, so a redelivery re-sends them to the right instance.
 */
class CommandCodecTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final CommandCodec codec = new CommandCodec(new ObjectMapper());

    @Test
    void shouldReadBackOwnAndOtherInstancesCommandsAsSent() {
        // given: the child's last hand-off started its own next step and told its caller it ended
        Command own = new Command("child-1", "publication", 2, "mail", "t4", 1, Intent.EXECUTE_STEP, null, null,
                TRACEPARENT);
        Command toCaller = new Command("caller-9", "job-announcement", 1, "publication", "t7", 3,
                Intent.COMPLETE_CHILD, "{\"child\":\"child-1\",\"completed\":true,\"variables\":{\"a\":\"x\\\"y\"}}",
                null, TRACEPARENT);
        List<Outgoing> sent = List.of(new Outgoing(own, 0), new Outgoing(toCaller, 1_700_000_000_000L));

        // when
        String stored = codec.emittedJson(sent, "child-1");
        List<Outgoing> again = codec.fromEmitted(stored, "child-1", "publication", 2, TRACEPARENT);

        // then
        assertThat(again).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldKeepTheShortFormWhenEveryCommandIsTheInstancesOwn() {
        // given
        Command own = new Command("i1", "orders", 1, "book", "t2", 2, Intent.RETRY_STEP, null, null, TRACEPARENT);

        // when
        String stored = codec.emittedJson(List.of(new Outgoing(own, 5)), "i1");

        // then
        assertThat(stored).isEqualTo("[[\"book\",\"t2\",2,120,5]]");
        assertThat(codec.fromEmitted(stored, "i1", "orders", 1, TRACEPARENT)).containsExactly(new Outgoing(own, 5));
    }
}
