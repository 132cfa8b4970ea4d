package dev.baton.hub.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;

/** Looks into the Salesforce sandbox the way a user's script would: OAuth, then the REST query API. */
public final class SalesforceRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SalesforceSandbox sandbox;
    private String token;

    public SalesforceRest(SalesforceSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** Every record of a SOQL query, all pages followed. */
    public List<JsonNode> query(String soql) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        JsonNode page = get("/services/data/v56.0/query/?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
        while (true) {
            page.path("records").forEach(records::add);
            if (page.path("done").asBoolean(true) || page.path("nextRecordsUrl").isMissingNode()) {
                return records;
            }
            page = get(page.path("nextRecordsUrl").asText());
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.instanceUrl() + path))
                .header("Authorization", "Bearer " + token()).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401) {
            token = null;
            return get(path);
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("Salesforce answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private String token() throws Exception {
        if (token == null) {
            String form = "grant_type=password&client_id=" + enc(sandbox.clientId()) + "&client_secret="
                    + enc(sandbox.clientSecret()) + "&username=" + enc(sandbox.username()) + "&password="
                    + enc(sandbox.password());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.loginUrl()
                            + "/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            token = JSON.readTree(r.body()).path("access_token").asText();
        }
        return token;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
