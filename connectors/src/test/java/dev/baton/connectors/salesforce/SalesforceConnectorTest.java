package dev.baton.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.api.Test;

import dev.baton.connectors.ConnectorException;
import dev.baton.model.engine.Failure;

class SalesforceConnectorTest {

    private final SalesforceConnector connector = new SalesforceConnector(new SalesforceProperties(
            "http://127.0.0.1:1", null, "id", "secret", "user", "pw", null, null, null, 0, null, null, true));

    @Test
    void soqlPlaceholdersBecomeQuotedEscapedLiterals() {
        assertThat(SalesforceConnector.bind("SELECT Id FROM Account WHERE Name = :name AND NumberOfEmployees > :n",
                Map.of("name", "O'Brien \\ Sons", "n", 5)))
                .isEqualTo("SELECT Id FROM Account WHERE Name = 'O\\'Brien \\\\ Sons' AND NumberOfEmployees > 5");
        assertThat(SalesforceConnector.bind("SELECT Id FROM Account WHERE SAP_BP_Id__c IN :ids",
                Map.of("ids", List.of("1", "2")))).endsWith("IN ('1', '2')");
        assertThatThrownBy(() -> SalesforceConnector.bind("SELECT Id FROM Account WHERE Name = :missing", Map.of()))
                .isInstanceOf(ConnectorException.class).hasMessageContaining(":missing");
    }

    @Test
    void failuresCarrySalesforcesErrorCodeStatusAndFieldsAndRetryOnlyWhatCanSucceedLater() {
        Failure missing = connector.classify(new SalesforceException(List.of(new RestError("REQUIRED_FIELD_MISSING",
                "Required fields are missing: [StageName]", List.of("StageName"))), 400));
        assertThat(missing.type()).isEqualTo("BATON-SF-400");
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.message()).contains("REQUIRED_FIELD_MISSING").contains("StageName");
        assertThat(missing.details()).contains("status=400", "errorCode=REQUIRED_FIELD_MISSING", "fields=StageName");

        for (int status : new int[] {401, 429, 503}) {
            Failure f = connector.classify(new SalesforceException(List.of(new RestError("X", "x")), status));
            assertThat(f.retryable()).as("status " + status).isTrue();
        }
        assertThat(connector.classify(new SalesforceException(List.of(new RestError("NOT_FOUND", "gone")), 404))
                .retryable()).isFalse();
    }

    @Test
    void unusableSettingsAreReportedByName() {
        assertThatThrownBy(() -> new SalesforceConnector(new SalesforceProperties(null, null, "id", "s", "u", "p",
                null, null, null, 0, null, null, true)).component()).hasMessageContaining("login-url");
        assertThatThrownBy(() -> new SalesforceConnector(new SalesforceProperties("http://x", "SAML", "id", "s", "u",
                "p", null, null, null, 0, null, null, true)).component()).hasMessageContaining("SAML");
    }
}
