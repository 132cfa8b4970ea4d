package dev.baton.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** What a refused call must look like: the status, the hub's JSON error body with the code, no stack trace. */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    public static JsonNode assertError(Api.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json()).as("a JSON error body: %s", r.body()).isNotNull();
        assertThat(r.text("code")).as(r.body()).isEqualTo(code);
        assertThat(r.text("error")).as(r.body()).isNotBlank();
        assertThat(r.json().get("details")).as(r.body()).isNotNull();
        assertThat(r.json().get("details").isArray()).as(r.body()).isTrue();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("at org.");
        return r.json();
    }
}
