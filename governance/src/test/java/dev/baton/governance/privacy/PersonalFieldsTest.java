package dev.baton.governance.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PersonalFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> variables() throws Exception {
        return JSON.readValue("""
                {"orderId": "SO-1", "amount": 250000,
                 "contactName": "Ann Example",
                 "customer": {"email": "ann@example.com", "tier": "gold", "phone": 4930123456,
                              "addresses": [{"street": "Main St 1", "city": "Berlin"},
                                            {"street": "Side St 2", "city": "Hamburg"}, "not a map"],
                              "nick": null},
                 "notes": ["first", {"deep": "x"}],
                 "approved": true}
                """, LinkedHashMap.class);
    }

    @Test
    void shouldMaskTheMarkedValuesInACopyAndKeepEverythingElse() throws Exception {
        // given
        PersonalFields fields = PersonalFields.of(List.of("contactName", "customer.email", "customer.phone",
                "customer.addresses.street", "customer.nick", "notes", "nowhere.to.be.found"));
        Map<String, Object> variables = variables();
        String before = JSON.writeValueAsString(variables);

        // when
        Map<String, Object> masked = fields.mask(variables);

        // then: values masked, shape and other fields kept, lists of maps entered element by element
        assertThat((JsonNode) JSON.valueToTree(masked)).isEqualTo(JSON.readTree("""
                {"orderId": "SO-1", "amount": 250000,
                 "contactName": "***",
                 "customer": {"email": "***", "tier": "gold", "phone": "***",
                              "addresses": [{"street": "***", "city": "Berlin"},
                                            {"street": "***", "city": "Hamburg"}, "not a map"],
                              "nick": null},
                 "notes": ["***", {"deep": "***"}],
                 "approved": true}
                """));
        // and the original is untouched
        assertThat(JSON.writeValueAsString(variables)).isEqualTo(before);
    }

    @Test
    void shouldMaskAJsonTreeTheSameWay() throws Exception {
        // given
        PersonalFields fields = PersonalFields.of(List.of("customer"));
        JsonNode tree = JSON.readTree("{\"customer\": {\"email\": \"a@b.c\", \"tags\": [\"x\", 1]}, \"n\": 1}");

        // when
        JsonNode masked = fields.maskTree(tree);

        // then
        assertThat(masked).isEqualTo(JSON.readTree(
                "{\"customer\": {\"email\": \"***\", \"tags\": [\"***\", \"***\"]}, \"n\": 1}"));
        assertThat(tree.at("/customer/email").asText()).isEqualTo("a@b.c");
    }

    @Test
    void shouldFindThePersonalValuesPresentIncludingTheBusinessKeyWhenMarked() throws Exception {
        // given
        PersonalFields fields = PersonalFields.of(List.of("contactName", "customer.email", "customer.phone",
                "customer.addresses.street", "customer.nick", "approved", "businessKey"));

        // when
        var values = fields.valuesIn(variables(), "CUST-4711");

        // then: strings and numbers as text; nulls and booleans are no one's identity
        assertThat(values).containsExactlyInAnyOrder("CUST-4711", "Ann Example", "ann@example.com", "4930123456",
                "Main St 1", "Side St 2");
        assertThat(PersonalFields.of(List.of("contactName")).valuesIn(variables(), "CUST-4711"))
                .containsExactly("Ann Example");
    }

    @Test
    void shouldMaskTheBusinessKeyOnlyWhenItIsMarked() {
        assertThat(PersonalFields.of(List.of("businessKey")).maskBusinessKey("CUST-4711")).isEqualTo("***");
        assertThat(PersonalFields.of(List.of("businessKey")).maskBusinessKey(null)).isNull();
        assertThat(PersonalFields.of(List.of("email")).maskBusinessKey("SO-1")).isEqualTo("SO-1");
    }

    @Test
    void shouldChangeNothingWithoutPersonalFields() throws Exception {
        // given
        Map<String, Object> variables = variables();

        // then
        assertThat(PersonalFields.of(null)).isSameAs(PersonalFields.NONE);
        assertThat(PersonalFields.of(List.of(" ", "")).isEmpty()).isTrue();
        assertThat(PersonalFields.NONE.mask(variables)).isEqualTo(variables);
        assertThat(PersonalFields.NONE.valuesIn(variables, "SO-1")).isEmpty();
        assertThat(PersonalFields.NONE.scrubber(variables, "SO-1").scrub("SO-1 Ann Example")).isEqualTo("SO-1 Ann Example");
    }

    @Test
    void shouldScrubTheValuesOfAnInstanceFromAnErrorMessage() throws Exception {
        // given
        PersonalFields fields = PersonalFields.of(List.of("contactName", "customer.email", "businessKey"));
        Scrubber scrubber = fields.scrubber(variables(), "CUST-4711");

        // when
        String scrubbed = scrubber.scrub("BATON-HTTP-400: HTTP 400 from http://crm/contacts?email=ann%40example.com"
                + " body={\"name\":\"Ann Example\",\"mail\":\"ANN@EXAMPLE.COM\",\"key\":\"CUST-4711\",\"order\":\"SO-1\"}");

        // then
        assertThat(scrubbed).isEqualTo("BATON-HTTP-400: HTTP 400 from http://crm/contacts?email=***"
                + " body={\"name\":\"***\",\"mail\":\"***\",\"key\":\"***\",\"order\":\"SO-1\"}");
    }
}
