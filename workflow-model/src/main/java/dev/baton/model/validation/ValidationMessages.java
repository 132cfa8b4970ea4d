package dev.baton.model.validation;

/**
 * Every text a {@link Problem} can carry, as {@link String#format} templates phrased "Expected …, but …".
 * Tests assert on these constants, so a wording change is a change of contract: keep the arguments'
 * order and meaning when editing one.
 */
public final class ValidationMessages {

    // ---- Reading YAML (dev.baton.model.parser) ----

    /** %s: the parser's problem with its position, e.g. {@code line 3, column 5: mapping values are not allowed here}. */
    public static final String MALFORMED_YAML = "Expected well-formed YAML, but %s";
    /** %d: the limit; %d: the document's size, both in code points. */
    public static final String TOO_LARGE = "Expected a document of at most %d code points, but it has %d";
    /** %s: what the document is instead ({@code empty}, {@code a list}, {@code 'text'}). */
    public static final String NOT_A_MAPPING = "Expected the document to be a mapping of process fields, but it is %s";
    /** %s: the key; %s: the mapping's owner, e.g. {@code step 'read'}. */
    public static final String DUPLICATE_KEY = "Expected key '%s' of %s to be unique, but it is repeated";
    /** %s: the mapping's owner; %s: what the key is instead. */
    public static final String KEY_NOT_A_NAME = "Expected the keys of %s to be names, but one is %s";
    /** %s: the mapping's owner; %s: the known fields; %s: the unknown key. */
    public static final String UNKNOWN_FIELD = "Expected %s to have only the fields %s, but it has '%s'";
    /** %s: the owner; %s: the field's path, e.g. {@code timeout.after}. */
    public static final String MISSING_FIELD = "Expected %s to have field '%s', but it is missing";
    /** %s: the owner; %s: the field's path; %s: the expected type; %s: what the value is instead. */
    public static final String WRONG_TYPE = "Expected %s field '%s' to be %s, but it is %s";
    /** %s: the owner; %s: the field's path; %s: the value as written. */
    public static final String NOT_A_DURATION =
            "Expected %s field '%s' to be an ISO-8601 duration such as PT30S, but it is '%s'";
    /** %s: the owner; %s: the field's path; %s: the value as written. */
    public static final String NOT_AN_INSTANT =
            "Expected %s field '%s' to be an ISO-8601 date-time such as 2026-12-01T09:00:00Z, but it is '%s'";
    /** %s: the owner; %s: the field's path; %s: the known languages; %s: the key as written. */
    public static final String UNKNOWN_LANGUAGE_KEY =
            "Expected %s field '%s' to name its expression language with one of %s, but it names '%s'";
    /** %s: the owner; %s: the field's path; %s: what the value is instead. */
    public static final String NOT_AN_EXPRESSION =
            "Expected %s field '%s' to be an expression (a string, or a mapping of one language to a string), but it is %s";
    /** %s: the owner; %s: the field's path; %s: why not, e.g. {@code it refers to itself}. */
    public static final String NOT_PLAIN_DATA = "Expected %s field '%s' to be plain data, but %s";
    /** %s: the step; %s: the kind keys. */
    public static final String STEP_WITHOUT_KIND = "Expected %s to have one kind key (%s), but it has none";
    /** %s: the step; %s: the kind keys it has. */
    public static final String STEP_WITH_SEVERAL_KINDS = "Expected %s to have one kind key, but it has %s";
    /** %s: the trigger; %s: {@code neither} or {@code both}. */
    public static final String TRIGGER_KIND =
            "Expected %s to have exactly one of 'event', 'cron', 'at' and 'every', but it has %s";
    /** %d: the entry (1-based); %s: the choice step's id; %s: what it has instead. */
    public static final String CHOICE_ENTRY =
            "Expected entry %d of choice '%s' to have 'when' and 'next', or 'otherwise', but it has %s";
    /** %s: the choice step's id; %d: how many. */
    public static final String SEVERAL_DEFAULTS = "Expected choice '%s' to have one 'otherwise' entry, but it has %d";
    /** %d: the entry (1-based); %s: the inclusive step's id; %s: what it has instead. */
    public static final String INCLUSIVE_ENTRY =
            "Expected entry %d of inclusive '%s' to have 'when' and 'next', or 'otherwise', but it has %s";
    /** %s: the inclusive step's id; %d: how many. */
    public static final String SEVERAL_INCLUSIVE_DEFAULTS =
            "Expected inclusive '%s' to have at most one 'otherwise' entry, but it has %d";

    // ---- Validating a definition (DefinitionValidator) ----

    /** %d: the limit; %d: how many steps the definition has, those inside sub-processes included. */
    public static final String TOO_MANY_STEPS =
            "Expected at most %d steps (those inside sub-processes included), but the definition has %d";
    /** %s: what, e.g. {@code the id of step 3}, {@code the title of human task 'approve'}; %d: the limit; %d: the length. */
    public static final String TOO_LONG = "Expected %s to have at most %d characters, but it has %d";
    /** %s: {@code the definition} or {@code step 3}. */
    public static final String MISSING_ID = "Expected %s to have an id, but it has none";
    /** %s: {@code definition} or {@code step}; %s: the id. */
    public static final String INVALID_ID = "Expected %s id '%s' to consist of letters, digits, '_' and '-', "
            + "starting with a letter or digit (it names queues baton.<id>.<step>), but it does not";
    public static final String NO_STEPS = "Expected the definition to have at least one step, but it has none";
    public static final String NO_START = "Expected the definition to name its start step, but it names none";
    /** %s: the start as written. */
    public static final String UNKNOWN_START = "Expected the definition to start at an existing step, but '%s' does not exist";
    /** %s: the sla. */
    public static final String SLA_NOT_POSITIVE = "Expected the definition's sla to be positive, but it is %s";
    /** %s: what uses the language; %s: the known languages; %s: the language. */
    public static final String UNKNOWN_LANGUAGE = "Expected %s to use a known expression language (%s), but it uses '%s'";
    /** %s: the expression's field, e.g. {@code 'choice[1].when'}; %s: its owner; %s: the checker's reason. */
    public static final String INVALID_EXPRESSION = "Expected the %s expression of %s to be valid, but %s";
    /** %s: the id; %d: how often it is defined. */
    public static final String DUPLICATE_STEP_ID = "Expected step id '%s' to be unique, but it is defined %d times";
    /** %s: the step; %s: the missing target. */
    public static final String UNKNOWN_TARGET = "Expected step '%s' to lead to an existing step, but '%s' does not exist";
    /** %s: the step. */
    public static final String UNREACHABLE = "Expected step '%s' to be reachable from the start, but no path leads to it";
    /** %s: the parallel step; %s: the branch's first step. */
    public static final String BRANCH_WITHOUT_JOIN =
            "Expected every branch of parallel step '%s' to reach a join, but branch '%s' ends without one";
    /** %s: the parallel step; %s: the joins and the branches reaching each, e.g. {@code 'm1' (from 'a'), 'm2' (from 'b')}. */
    public static final String BRANCHES_REACH_DIFFERENT_JOINS =
            "Expected every branch of parallel step '%s' to reach the same join, but they reach %s";
    /** %s: the parallel step; %d: how many branches it has. */
    public static final String TOO_FEW_BRANCHES = "Expected parallel step '%s' to have at least 2 branches, but it has %d";
    /** %s: the choice step. */
    public static final String CHOICE_WITHOUT_DEFAULT =
            "Expected choice '%s' to have a default branch ('otherwise'), but it has none";
    /** %s: the choice step. */
    public static final String CHOICE_WITHOUT_CONDITION =
            "Expected choice '%s' to have at least one 'when' branch, but it has none";
    /** %s: the inclusive step. */
    public static final String INCLUSIVE_WITHOUT_CONDITION =
            "Expected inclusive '%s' to have at least one 'when' branch, but it has none";
    /** %s: the inclusive step; %s: the branch's first step. */
    public static final String INCLUSIVE_BRANCH_WITHOUT_JOIN =
            "Expected every branch of inclusive step '%s' to reach a join, but branch '%s' ends without one";
    /** %s: the inclusive step; %s: the joins and the branches reaching each, e.g. {@code 'm1' (from 'a'), 'm2' (from 'b')}. */
    public static final String INCLUSIVE_BRANCHES_REACH_DIFFERENT_JOINS =
            "Expected every branch of inclusive step '%s' to reach the same join, but they reach %s";
    /** %s: the operation; %s: the step; %s: the known operations, sorted and comma-separated. */
    public static final String UNKNOWN_OPERATION =
            "Expected connector operation '%s' of step '%s' to exist, but it is unknown (known: %s)";
    /** %s: the cycle, e.g. {@code a → b → a}. */
    public static final String CYCLE_WITHOUT_WAIT =
            "Expected the cycle %s to contain a wait, timer or human task, but it has none";
    /** %s: the step. */
    public static final String HUMAN_TASK_WITHOUT_ROLES =
            "Expected human task '%s' to name at least one candidate role or an assignee, but it names neither";
    /** %s: the step. */
    public static final String TIMER_WITHOUT_TIME = "Expected timer '%s' to have a duration or a date, but it has neither";
    /** %s: the step. */
    public static final String TIMER_WITH_BOTH_TIMES = "Expected timer '%s' to have a duration or a date, but it has both";
    /** %s: the step; %s: the duration. */
    public static final String TIMER_NOT_POSITIVE = "Expected the duration of timer '%s' to be positive, but it is %s";
    /** %s: the step. */
    public static final String WAIT_WITHOUT_MESSAGE = "Expected wait step '%s' to name a message, but it names none";
    /** %s: {@code the definition} or {@code step 'x'}; %d: the attempts. */
    public static final String RETRY_ATTEMPTS = "Expected the retry attempts of %s to be at least 1, but they are %d";
    /** %s: {@code the definition} or {@code step 'x'}; %s: the multiplier. */
    public static final String RETRY_MULTIPLIER = "Expected the retry multiplier of %s to be at least 1, but it is %s";
    /** %s: {@code backoff} or {@code maxBackoff}; %s: {@code the definition} or {@code step 'x'}; %s: the value. */
    public static final String RETRY_BACKOFF = "Expected the retry %s of %s to be zero or positive, but it is %s";
    /** %s: the step; %s: the duration. */
    public static final String TIMEOUT_NOT_POSITIVE = "Expected the timeout of step '%s' to be positive, but it is %s";
    /** %s: the step; %d: the concurrency. */
    public static final String NEGATIVE_CONCURRENCY = "Expected the concurrency of step '%s' to be 0 or more, but it is %d";
    /** %s: the sub-process. */
    public static final String SUBPROCESS_WITHOUT_STEPS =
            "Expected sub-process '%s' to have at least one step, but it has none";
    /** %s: the sub-process. */
    public static final String SUBPROCESS_WITHOUT_START =
            "Expected sub-process '%s' to name its start step, but it names none";
    /** %s: the sub-process; %s: the start as written. */
    public static final String SUBPROCESS_START =
            "Expected sub-process '%s' to start at one of its own steps, but '%s' is not one";
    /**
     * %s: the step; %s: where it is, e.g. {@code sub-process 'fix'} or {@code the top level}; %s: the target;
     * %s: where the target is.
     */
    public static final String CROSSES_SUBPROCESS = "Expected step '%s' to lead to a step in %s, but '%s' is in %s";
    /** %s: the start; %s: the sub-process it is in. */
    public static final String START_INSIDE_SUBPROCESS =
            "Expected the definition to start at a top-level step, but '%s' is inside sub-process '%s'";
    /** %s: the race; %d: how many alternatives it has. */
    public static final String RACE_TOO_FEW = "Expected race '%s' to have at least 2 alternatives, but it has %d";
    /** %s: the alternative; %s: the race; %s: the alternative's kind. */
    public static final String RACE_ALTERNATIVE_KIND =
            "Expected alternative '%s' of race '%s' to be a wait or timer step, but it is a %s step";
    /** %s: the alternative; %s: the race; %s: what else leads to it, e.g. {@code step 'a', the definition's start}. */
    public static final String RACE_ALTERNATIVE_SHARED =
            "Expected alternative '%s' of race '%s' to be reached only through the race, but %s also lead to it";
    /** %s: the alternative; %s: the race; %s: {@code a timeout} or {@code a catch}. */
    public static final String RACE_ALTERNATIVE_BOUNDARY =
            "Expected alternative '%s' of race '%s' to have no timeout or catch of its own, but it has %s";
    /** %s: the step; %s: its kind. */
    public static final String CATCH_NOT_ALLOWED =
            "Expected step '%s' to catch errors only if it is a call, task, sub-process or process (call activity),"
                    + " but it is a %s step";
    /** %s: the step. */
    public static final String PROCESS_WITHOUT_DEFINITION =
            "Expected call activity '%s' to name the definition it starts, but it names none";
    /** %s: the step; %d: the version. */
    public static final String PROCESS_VERSION_NOT_POSITIVE =
            "Expected call activity '%s' to start version 1 or later, but it names version %d";
    /** %s: the step; %s: {@code error 'X'} or {@code every error}; %d: how often. */
    public static final String CATCH_DUPLICATE = "Expected step '%s' to catch %s once, but it catches it %d times";
    /** %d: the boundary (1-based); %s: the step. */
    public static final String MESSAGE_BOUNDARY_WITHOUT_MESSAGE =
            "Expected message boundary %d of step '%s' to name a message, but it names none";
    /** %s: the step; %s: the message; %d: how often the step listens for it (its wait's own message included). */
    public static final String MESSAGE_BOUNDARY_DUPLICATE =
            "Expected step '%s' to listen for message '%s' once, but it listens for it %d times";
    /** %s: the step; %s: its kind. */
    public static final String MESSAGE_BOUNDARY_NOT_ALLOWED = "Expected step '%s' to have message boundaries only if it"
            + " is a task, call, wait, human or sub-process step, but it is a %s step";
    /**
     * %s: the step; %s: the field, {@code wait.source} or {@code messages[2].source}; %s: the name as written.
     * CloudEvents' own {@code source} attribute ({@code /wms}) is the likely mistake, so the message says what a
     * channel is.
     */
    public static final String SOURCE_NOT_A_CHANNEL = "Expected %2$s of step '%1$s' to name channels as in"
            + " /events/{channel} (a letter or digit, then letters, digits, '.', '_' or '-', at most 100), but '%3$s'"
            + " is not one";
    /** %s: the end step. */
    public static final String END_TERMINATES_AND_THROWS =
            "Expected end '%s' to either terminate or throw an error, but it does both";
    /** %s: the step; %s: the field, {@code end.error} or {@code catch[2].error}. */
    public static final String BLANK_ERROR_CODE = "Expected the %2$s of step '%1$s' to be an error code, but it is blank";
    /** %d: the trigger (1-based). */
    public static final String EVENT_WITHOUT_TYPE = "Expected trigger %d to name a CloudEvent type, but it names none";
    /** %d: the trigger (1-based); %d: the fields the expression has. */
    public static final String CRON_FIELDS = "Expected the cron expression of trigger %d to have 6 or 7 fields, but it has %d";
    /** %d: the trigger (1-based); %s: the interval as written. */
    public static final String TIMER_EVERY_NOT_POSITIVE =
            "Expected the interval of trigger %d to be at least a millisecond, but it is %s";
    /** %d: the trigger (1-based); %d: the count. */
    public static final String TIMER_TIMES_NOT_POSITIVE = "Expected trigger %d to fire at least once, but 'times' is %d";
    /** %d: the trigger (1-based). */
    public static final String TIMER_KIND = "Expected trigger %d to have exactly one of 'at' and 'every'";

    /** %d: the entry of {@code personal} (1-based). */
    public static final String PERSONAL_PATH_BLANK = "Expected personal field %d to be a variable path, but it is blank";
    /** %d: the entry of {@code personal} (1-based); %s: the path as written. */
    public static final String PERSONAL_PATH_MALFORMED = "Expected personal field %d to be a variable path of names"
            + " (letters, digits, '_' and '-') joined by dots, such as customer.email, but it is '%s'";
    /** %s: the path; %d: how often it is listed. */
    public static final String PERSONAL_PATH_DUPLICATE =
            "Expected personal field '%s' to be listed once, but it is listed %d times";

    /** %s: the field ({@code multi.as}, {@code multi.collect}); %s: the step; %s: the name as written. */
    public static final String MULTI_VARIABLE_NAME = "Expected %s of multi-instance step '%s' to be a variable name"
            + " (a letter or '_', then letters, digits and '_'), but it is '%s'";
    /** %s: the alternative; %s: the race. */
    public static final String RACE_ALTERNATIVE_MULTI = "Expected alternative '%s' of race '%s' to happen once (an"
            + " event-based gateway's event is no multi-instance activity), but it has multi";
    /** %s: the step; %s: the name as written. */
    public static final String MULTI_RESERVED_NAME = "Expected multi.as of multi-instance step '%s' to be a variable"
            + " name of its own, but '%s' is one the engine sets for every instance";

    private ValidationMessages() {
    }
}
