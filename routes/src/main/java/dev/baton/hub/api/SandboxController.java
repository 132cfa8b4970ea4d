package dev.baton.hub.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.baton.connectors.salesforce.sandbox.SalesforceSandbox;
import dev.baton.connectors.sap.sandbox.SapSandbox;

/** {@code GET /api/sandboxes}: where the embedded default's stand-ins for Salesforce and SAP listen, and how to log in. */
@RestController
class SandboxController {

    private final ObjectProvider<SalesforceSandbox> salesforce;
    private final ObjectProvider<SapSandbox> sap;

    SandboxController(ObjectProvider<SalesforceSandbox> salesforce, ObjectProvider<SapSandbox> sap) {
        this.salesforce = salesforce;
        this.sap = sap;
    }

    @GetMapping("/api/sandboxes")
    Map<String, Object> sandboxes() {
        Map<String, Object> answer = new LinkedHashMap<>();
        SalesforceSandbox sf = salesforce.getIfAvailable();
        if (sf != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("loginUrl", sf.loginUrl());
            s.put("clientId", sf.clientId());
            s.put("clientSecret", sf.clientSecret());
            s.put("username", sf.username());
            s.put("password", sf.password());
            answer.put("salesforce", s);
        }
        SapSandbox gw = sap.getIfAvailable();
        if (gw != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("serviceUrl", gw.serviceUrl());
            s.put("username", gw.username());
            s.put("password", gw.password());
            answer.put("sap", s);
        }
        return answer;
    }
}
