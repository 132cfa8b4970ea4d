package dev.baton.model.parser;

import static dev.baton.model.parser.Fields.concat;
import static dev.baton.model.validation.ValidationMessages.NOT_AN_INSTANT;
import static dev.baton.model.validation.ValidationMessages.NOT_A_DURATION;
import static dev.baton.model.validation.ValidationMessages.TRIGGER_KIND;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.EventTrigger;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.Trigger;

/** Reads the definition's triggers: CloudEvent types, Quartz crons and timer starts ({@code at}, {@code every}). */
final class TriggerReader {

    private static final List<String> EVENT_FIELDS = List.of("event", "source", "when", "businessKey", "variables");

    private final ParseRun run;

    TriggerReader(ParseRun run) {
        this.run = run;
    }

    /** The {@code triggers} list of the definition, in order; an entry that cannot be read is left out. */
    List<Trigger> triggers(Fields def) {
        List<Trigger> triggers = new ArrayList<>();
        List<Node> items = def.list("triggers", "a list of triggers");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            if (!(item instanceof MappingNode mapping)) {
                def.wrongType(item, "triggers[" + (i + 1) + "]", "a mapping");
                continue;
            }
            String element = "trigger " + (i + 1);
            Fields t = new Fields(run, mapping, element, element, "");
            boolean event = t.has("event");
            boolean cron = t.has("cron");
            if (t.has("at") || t.has("every")) {
                timerTrigger(t, mapping, element, event || cron).ifPresent(triggers::add);
            } else if (event == cron) {
                t.problem(mapping, TRIGGER_KIND, element, event ? "both" : "neither");
                t.allow(concat(EVENT_FIELDS, List.of("cron")));
            } else if (event) {
                t.allow(EVENT_FIELDS);
                triggers.add(new EventTrigger(t.text("event", "a CloudEvent type"), t.text("source", "a source name"),
                        t.expression("when"), t.expression("businessKey"), t.expression("variables")));
            } else {
                t.allow(List.of("cron"));
                triggers.add(new CronTrigger(t.text("cron", "a Quartz cron expression")));
            }
        }
        return triggers;
    }

    /** {@code at}, or {@code every} with optional {@code times} and {@code from}: a timer start. */
    private Optional<TimerTrigger> timerTrigger(Fields t, MappingNode mapping, String element, boolean otherKind) {
        boolean at = t.has("at");
        if (otherKind || (at && t.has("every"))) {
            t.problem(mapping, TRIGGER_KIND, element, "several");
        }
        t.allow(at ? List.of("at", "event", "cron", "every") : List.of("every", "times", "from", "event", "cron"));
        if (at) {
            Instant instant = timerInstant(t, "at");
            return instant == null ? Optional.empty() : Optional.of(TimerTrigger.once(instant));
        }
        String every = t.text("every", "an ISO-8601 duration such as PT1H");
        Duration interval = null;
        if (every != null) {
            try {
                interval = TimerTrigger.parseDuration(every);
            } catch (IllegalArgumentException e) {
                t.problem(t.value("every"), NOT_A_DURATION, element, t.path("every"), every);
            }
        }
        Integer times = t.integer("times");
        Instant from = t.has("from") ? timerInstant(t, "from") : null;
        return interval == null ? Optional.empty()
                : Optional.of(TimerTrigger.repeating(interval, times, from));
    }

    private Instant timerInstant(Fields t, String key) {
        String text = t.text(key, "an ISO-8601 date-time such as 2026-12-01T09:00:00Z");
        if (text == null) {
            return null;
        }
        try {
            return TimerTrigger.parseDate(text);
        } catch (IllegalArgumentException e) {
            t.problem(t.value(key), NOT_AN_INSTANT, t.owner(), t.path(key), text);
            return null;
        }
    }
}
