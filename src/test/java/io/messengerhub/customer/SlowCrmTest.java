package io.messengerhub.customer;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.intake.ConversationRecorder;
import io.messengerhub.support.EmbeddedPostgres;
import io.messengerhub.support.HubSystemTest;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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
        // Late enough that no retry waits on the CRM while a batch's own lookups do.
        "hub.crm.retry-initial-delay=3s",
        "hub.crm.retry-interval=200",
        // One consumer: the webhooks that wait together are taken in one batch, whose new customers are looked up.
        "hub.webhook.consumers=1",
})
class SlowCrmTest extends HubSystemTest {

    @DynamicPropertySource
    static void postgresCrm(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "hub.crm.datasource", "crm_slow");
    }

    @Autowired
    @Qualifier("crmDataSource")
    DataSource crmDataSource;

    @Autowired
    CamelContext camel;

    @AfterEach
    void processingRuns() throws Exception {
        camel.getRouteController().startRoute("webhook-process");
    }

    @Test
    void shouldLookUpTheNewCustomersOfOneBatchSideBySideAndRecordThemOnTheConsumersThread() throws Exception {
        // Four new customers' webhooks wait on the broker and are then taken together.
        List<String> psids = newCustomersWaitingTogether(camel, 4);

        List<Instant> lookupsStarted;
        var recorderLog = new ListAppender<ILoggingEvent>();
        var recorderLogger = (Logger) LoggerFactory.getLogger(ConversationRecorder.class);
        recorderLog.start();
        recorderLogger.addAppender(recorderLog);
        try (Connection batchJob = crmDataSource.getConnection()) {
            batchJob.setAutoCommit(false);
            batchJob.createStatement().execute("lock table contact in access exclusive mode");

            camel.getRouteController().startRoute("webhook-process");

            for (String psid : psids) {
                assertThat(awaitOffers("sales", psid, 1).get(0).path("customerDataIncomplete").asBoolean()).isTrue();
            }
            // Every lookup is still waiting for the lock (a timed-out query is abandoned, not cancelled in the CRM):
            // when each began shows whether they waited together or one lookup timeout after another.
            // Asked on the lock holder's connection: the CRM pool's others are all taken by the waiting lookups.
            lookupsStarted = new ArrayList<>();
            try (var started = batchJob.createStatement().executeQuery("""
                    select query_start from pg_stat_activity
                    where datname = current_database() and wait_event_type = 'Lock' and query ilike '%contact%'
                    order by query_start""")) {
                while (started.next()) {
                    lookupsStarted.add(started.getTimestamp(1).toInstant());
                }
            }
            batchJob.rollback();
        }

        assertThat(lookupsStarted).as("CRM lookups waiting for the locked contact table").hasSize(psids.size());
        // One after another, each would begin when the one before it timed out, 700 ms later. (Side by side, all of
        // a batch begin together; should the broker hand the four over in two batches, the lookups of each still do.)
        Duration closest = Duration.ofDays(1);
        for (int i = 1; i < lookupsStarted.size(); i++) {
            Duration gap = Duration.between(lookupsStarted.get(i - 1), lookupsStarted.get(i));
            closest = gap.compareTo(closest) < 0 ? gap : closest;
        }
        assertThat(closest).as("shortest time between the beginnings of two lookups").isLessThan(Duration.ofMillis(350));
        // The batch is recorded on the thread of the consumer whose broker transaction it belongs to, not a lookup's.
        recorderLogger.detachAppender(recorderLog);
        assertThat(recorderLog.list).filteredOn(event -> event.getFormattedMessage().startsWith("Opened conversation"))
                .hasSize(psids.size()).extracting(ILoggingEvent::getThreadName).allMatch(name -> name.startsWith("JmsBatchConsumer"));
    }

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
