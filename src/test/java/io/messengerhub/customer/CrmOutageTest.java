package io.messengerhub.customer;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The CRM is down (nothing listens where its database should be): conversations are still stored and offered,
 * with what is known and the incomplete flag, and a later lookup is scheduled.
 */
@TestPropertySource(properties = {
        "hub.crm.datasource.url=jdbc:postgresql://127.0.0.1:9/crm?connectTimeout=1",
        "hub.crm.demo-schema=false",
})
class CrmOutageTest extends HubSystemTest {

    @Test
    void shouldOfferWithIncompleteCustomerDataWhileTheCrmIsDown() {
        String first = unique("psid");
        String second = unique("psid");

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, first, "m-" + first, "Hello?"))));
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, second, "m-" + second, "Anyone?"))));

        for (String psid : new String[] {first, second}) {
            JsonNode offer = awaitOffers("sales", psid, 1).get(0);
            assertThat(offer.path("customerDataIncomplete").asBoolean()).isTrue();
            assertThat(offer.path("customer").path("source").asText()).isEqualTo("anonymous");
            assertThat(offer.path("firstMessage").path("text").asText()).isNotBlank();
            String conversationId = offer.path("conversationId").asText();
            assertThat(jdbc.sql("select last_error from enrichment_retry where conversation_id = :id").param("id", conversationId)
                    .query(String.class).single()).startsWith("crm: ");
        }
    }
}
