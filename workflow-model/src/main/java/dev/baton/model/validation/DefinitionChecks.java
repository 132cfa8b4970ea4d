package dev.baton.model.validation;

import static dev.baton.model.validation.ValidationMessages.CRON_FIELDS;
import static dev.baton.model.validation.ValidationMessages.EVENT_WITHOUT_TYPE;
import static dev.baton.model.validation.ValidationMessages.INVALID_ID;
import static dev.baton.model.validation.ValidationMessages.MISSING_ID;
import static dev.baton.model.validation.ValidationMessages.NO_START;
import static dev.baton.model.validation.ValidationMessages.NO_STEPS;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_BLANK;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_DUPLICATE;
import static dev.baton.model.validation.ValidationMessages.PERSONAL_PATH_MALFORMED;
import static dev.baton.model.validation.ValidationMessages.SLA_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.START_INSIDE_SUBPROCESS;
import static dev.baton.model.validation.ValidationMessages.TIMER_EVERY_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TIMER_KIND;
import static dev.baton.model.validation.ValidationMessages.TIMER_TIMES_NOT_POSITIVE;
import static dev.baton.model.validation.ValidationMessages.TOO_LONG;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_LANGUAGE;
import static dev.baton.model.validation.ValidationMessages.UNKNOWN_START;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.baton.model.definition.CronTrigger;
import dev.baton.model.definition.EventTrigger;
import dev.baton.model.definition.Expression;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.definition.TextLimits;
import dev.baton.model.definition.TimerTrigger;
import dev.baton.model.definition.Trigger;

/**
 * The checks of what belongs to the definition as a whole: its id, texts, SLA, default language and
 * retry, personal paths and start; then each trigger. Problems name {@code definition},
 * {@code personal[2]} or {@code trigger 2}.
 */
final class DefinitionChecks {

    private final ValidationRun run;
    private final FieldChecks fields;

    DefinitionChecks(ValidationRun run, FieldChecks fields) {
        this.run = run;
        this.fields = fields;
    }

    /** The definition's own fields first, then its triggers in order. */
    void check() {
        checkDefinition();
        List<Trigger> triggers = run.def().triggers();
        for (int i = 0; i < triggers.size(); i++) {
            checkTrigger(triggers.get(i), i + 1);
        }
    }

    private void checkDefinition() {
        ProcessDefinition def = run.def();
        if (def.id() == null) {
            run.report("definition", 0, MISSING_ID, "the definition");
        } else if (def.id().length() > TextLimits.ID) {
            run.report("definition", 0, TOO_LONG, "the definition's id", TextLimits.ID, def.id().length());
        } else if (!DefinitionValidator.ID.matcher(def.id()).matches()) {
            run.report("definition", 0, INVALID_ID, "definition", def.id());
        }
        fields.checkLength(def.name(), TextLimits.NAME, "the definition's name", "definition", 0);
        fields.checkLength(def.owner(), TextLimits.NAME, "the definition's owner", "definition", 0);
        if (def.sla() != null && (def.sla().isNegative() || def.sla().isZero())) {
            run.report("definition", 0, SLA_NOT_POSITIVE, def.sla());
        }
        if (def.expressionLanguage() != null && !Expression.LANGUAGES.contains(def.expressionLanguage())) {
            run.report("definition", 0, UNKNOWN_LANGUAGE, "the definition", FieldChecks.knownLanguages(),
                    def.expressionLanguage());
        }
        fields.checkRetry(def.defaultRetry(), "definition", "the definition", 0);
        checkPersonal();
        if (def.steps().isEmpty()) {
            run.report("definition", 0, NO_STEPS);
        } else if (def.start() == null) {
            run.report("definition", 0, NO_START);
        } else if (!run.has(def.start())) {
            run.report("definition", 0, UNKNOWN_START, def.start());
        } else if (run.enclosing(def.start()) != null) {
            run.report("definition", 0, START_INSIDE_SUBPROCESS, def.start(), run.enclosing(def.start()));
        }
    }

    /** Each personal path well-formed and listed once; problems name the entry, {@code personal[2]}. */
    private void checkPersonal() {
        Map<String, Integer> seen = new HashMap<>();
        List<String> paths = run.def().personal();
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            String element = "personal[" + (i + 1) + "]";
            if (path == null || path.isBlank()) {
                run.report(element, 0, PERSONAL_PATH_BLANK, i + 1);
            } else if (!DefinitionValidator.PERSONAL_PATH.matcher(path).matches()) {
                run.report(element, 0, PERSONAL_PATH_MALFORMED, i + 1, path);
            } else if (seen.merge(path, 1, Integer::sum) == 2) {
                run.report(element, 0, PERSONAL_PATH_DUPLICATE, path, paths.stream().filter(path::equals).count());
            }
        }
    }

    private void checkTrigger(Trigger trigger, int number) {
        String element = "trigger " + number;
        if (trigger instanceof EventTrigger event) {
            if (event.type() == null || event.type().isBlank()) {
                run.report(element, 0, EVENT_WITHOUT_TYPE, number);
            }
            fields.checkExpression(event.when(), "'when'", element, 0);
            fields.checkExpression(event.businessKey(), "'businessKey'", element, 0);
            fields.checkExpression(event.variables(), "'variables'", element, 0);
        } else if (trigger instanceof CronTrigger cron) {
            int count = cron.cron() == null || cron.cron().isBlank() ? 0 : cron.cron().trim().split("\\s+").length;
            if (count != 6 && count != 7) {
                run.report(element, 0, CRON_FIELDS, number, count);
            }
        } else if (trigger instanceof TimerTrigger timer) {
            if ((timer.at() == null) == (timer.every() == null)) {
                run.report(element, 0, TIMER_KIND, number);
            }
            if (timer.every() != null && timer.every().toMillis() < 1) {
                run.report(element, 0, TIMER_EVERY_NOT_POSITIVE, number, timer.every());
            }
            if (timer.times() != null && timer.times() < 1) {
                run.report(element, 0, TIMER_TIMES_NOT_POSITIVE, number, timer.times());
            }
        }
    }
}
