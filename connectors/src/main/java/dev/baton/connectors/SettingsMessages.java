package dev.baton.connectors;

/**
 * Why a call step's {@code with} settings are refused at deployment, as {@link Connector#refusals} reports
 * them: each names the setting; the hub prefixes {@link #STEP} with the step. Constants the tests assert on.
 */
public final class SettingsMessages {

    /** A refusal as the deployment answer shows it: the step, then the refusal. */
    public static final String STEP = "Step '%s': %s";

    /** A '{{' Camel would resolve as a property placeholder (environment, system properties, files). */
    public static final String PLACEHOLDER = "setting '%s' holds '{{', which Camel would resolve as a property "
            + "placeholder; the only reference Baton reads is {{secret:<name>}} in an http header value";
    /** A secret reference where none is resolved. */
    public static final String SECRET_NOT_HERE = "setting '%s' refers to a secret, but secrets are resolved only "
            + "in http header values (a URL is recorded in spans, logs and incidents)";
    /** A secret reference to a name that no secret has. */
    public static final String SECRET_UNKNOWN = "setting '%s' refers to secret '%s', which neither the secrets "
            + "file nor the environment variable %s holds";
    /** A header that would steer Camel (its URL, method, query, path). */
    public static final String CAMEL_HEADER = "header '%s' is refused: headers named Camel* steer Camel itself "
            + "(where and how the call is sent)";
    /** A header Baton or the HTTP client sets, or one that only a proxy should read. */
    public static final String RESERVED_HEADER = "header '%s' is refused: Baton and the HTTP client set it";
    /** A header name that is not an HTTP token, or a value with a line break. */
    public static final String BAD_HEADER = "header '%s' is not a valid HTTP header (a token as name, a value "
            + "without line breaks)";
    /** A URL query parameter named like an option of Camel's http endpoint. */
    public static final String URL_CAMEL_OPTION = "url query parameter '%s' is an option of Camel's http endpoint; "
            + "Baton sends the query to the remote only, so it would not do what it says: remove it";
    /** A URL carrying a user name or password. */
    public static final String URL_USERINFO = "url must not carry a user or password (it is recorded in spans, "
            + "logs and incidents): send an Authorization header with {{secret:<name>}}";
    /** A static URL that the allow-list or the private-address rule refuses. */
    public static final String URL_REFUSED = "url %s is refused: %s";

    private SettingsMessages() {
    }
}
