package io.messengerhub.customer;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.EmbeddedPostgres;
import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The CRM answers slower than the lookup timeout (its contact table is locked by another transaction, as during
 * a long batch job): the offer goes out on time with incomplete data, and once the CRM answers again the
 * customer is completed and the update sent to the queue.
 */
@TestPropertySource(properties = {
        "hub.crm.lookup-timeout=700ms",
        "hub.crm.retry-initial-delay=300ms",
        "hub.crm.retry-interval=200",
})
class SlowCrmTest extends HubSystemTest {

    @DynamicPropertySource
    static void postgresCrm(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "hub.crm.datasource", "crm_slow");
    }

    @Autowired
    @Qualifier("crmDataSource")
    DataSource crmDataSource;

    @Test
    void shouldOfferOnTimeAndSendTheCustomerOnceTheCrmAnswers() throws Exception {
        String psid = unique("psid");
        JdbcClient.create(crmDataSource).sql("insert into contact (id, facebook_psid, first_name, last_name) values (:id, :psid, 'Slow', 'Lane')")
                .param("id", "S-" + psid).param("psid", psid).update();

        JsonNode offer;
        try (Connection batchJob = crmDataSource.getConnection()) {
            batchJob.setAutoCommit(false);
            batchJob.createStatement().execute("lock table contact in access exclusive mode");

            facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));

            offer = awaitOffers("sales", psid, 1).get(0);
            assertThat(offer.path("customerDataIncomplete").asBoolean()).isTrue();
            assertThat(offer.path("customer").path("contactId").isNull()).isTrue();
            batchJob.rollback();
        }

        String conversationId = offer.path("conversationId").asText();
        JsonNode update = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> offersFor("sales", psid).stream()
                .filter(m -> m.path("type").asText().equals("conversation.customer-updated")).findFirst().orElse(null), u -> u != null);
        assertThat(update.path("conversationId").asText()).isEqualTo(conversationId);
        assertThat(update.path("customer").path("contactId").asText()).isEqualTo("S-" + psid);
        assertThat(update.path("customer").path("firstName").asText()).isEqualTo("Slow");
    }
}
