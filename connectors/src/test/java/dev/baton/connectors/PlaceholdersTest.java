package dev.baton.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import dev.baton.connectors.salesforce.SalesforceConnector;
import dev.baton.connectors.salesforce.SalesforceProperties;
import dev.baton.connectors.sap.SapConnector;
import dev.baton.connectors.sap.SapProperties;

/**
 * Definition text never reaches Camel's property placeholders: Camel 4.17 resolves {@code {{env:HOME}}} in a
 * constant expression (shown first), so connectors set headers through suppliers, and deployment refuses
 * {@code {{} in every connector's settings but a secret reference in an http header.
 */
class PlaceholdersTest {

    private static final String HOME_PLACEHOLDER = "{{sys:user.home}}";

    @Test
    void shouldShowThatCamelResolvesPlaceholdersInConstantText() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:constant").setHeader("h").constant(HOME_PLACEHOLDER);
            }
        });
        camel.start();
        try {
            Object h = camel.createProducerTemplate().send("direct:constant", e -> { }).getMessage().getHeader("h");
            assertThat(h).isEqualTo(System.getProperty("user.home"));
        } finally {
            camel.stop();
        }
    }

    @Test
    void shouldPassSalesforceAndSapSettingsToTheirRoutesVerbatim() throws Exception {
        // given: the step routes of a Salesforce query and a SAP create, whose settings hold a placeholder
        SalesforceConnector salesforce = new SalesforceConnector(new SalesforceProperties(null, null, null, null, null,
                null, null, null, null, 0, null, List.of(), true));
        SapConnector sap = new SapConnector(new SapProperties("http://sap.invalid", "u", "p", Duration.ofSeconds(5), 0,
                null, null));
        Map<String, Object> seen = new ConcurrentHashMap<>();
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                salesforce.configure(from("direct:sf"), "query", Map.of("soql",
                        "SELECT Id FROM Account WHERE Name = '" + HOME_PLACEHOLDER + "'", "batchSize", HOME_PLACEHOLDER));
                sap.configure(from("direct:sap"), "create", Map.of("entitySet", HOME_PLACEHOLDER));
                from("direct:salesforce.query").process(e -> seen.putAll(e.getMessage().getHeaders()));
                from("direct:sap.write").process(e -> seen.putAll(e.getMessage().getHeaders()));
            }
        });
        camel.start();
        try {
            // when
            camel.createProducerTemplate().sendBody("direct:sf", "{}");
            camel.createProducerTemplate().sendBody("direct:sap", "{}");

            // then
            assertThat(seen).containsEntry("BatonSfSoql", "SELECT Id FROM Account WHERE Name = '" + HOME_PLACEHOLDER + "'")
                    .containsEntry("Sforce-Query-Options", "batchSize=" + HOME_PLACEHOLDER)
                    .containsEntry("BatonSapCommand", HOME_PLACEHOLDER);
            assertThat(seen.values()).noneMatch(v -> String.valueOf(v).contains(System.getProperty("user.home")));
        } finally {
            camel.stop();
        }
    }

    @Test
    void shouldRefusePlaceholdersInEveryConnectorsSettingsAtDeployment() {
        // given
        Connector anyConnector = new Connector() {
            @Override
            public String name() {
                return "any";
            }

            @Override
            public java.util.Set<String> operations() {
                return java.util.Set.of("op");
            }

            @Override
            public void configure(org.apache.camel.model.RouteDefinition route, String operation,
                                  Map<String, Object> settings) {
            }

            @Override
            public dev.baton.model.engine.Failure classify(Exception exception) {
                return null;
            }
        };

        // when
        List<String> refusals = anyConnector.refusals("op", Map.of("soql", "SELECT {{env:DB_PASSWORD}}",
                "fields", List.of("Id", "{{sys:user.home}}"), "command", "{{secret:crm-token}}", "sObject", "Account"));

        // then
        assertThat(refusals).containsExactlyInAnyOrder(
                String.format(SettingsMessages.PLACEHOLDER, "soql"),
                String.format(SettingsMessages.PLACEHOLDER, "fields[1]"),
                String.format(SettingsMessages.SECRET_NOT_HERE, "command"));
    }
}
