package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.T0;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import io.messengerhub.support.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The webhook spine on a real PostgreSQL 14, as docker-compose.yml deploys it. */
class WebhookIngestionOnPostgresTest extends WebhookIngestionContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_ingestion");
    }

    /** PostgreSQL names the transaction that wrote a row (xmin): the events of one webhook share one. */
    @Test
    void shouldRecordTheEventsOfAWebhookInOneTransaction() {
        String alice = unique("alice");
        String bob = unique("bob");

        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, alice, "a1-" + alice, "a1", T0),
                textAt(SALES_PAGE, alice, "a2-" + alice, "a2", T0 + 1), textAt(SALES_PAGE, bob, "b1-" + bob, "b1", T0))))
                .statusCode()).isEqualTo(200);

        awaitMessages(alice, 2);
        awaitMessages(bob, 1);
        assertThat(jdbc.sql("select count(distinct xmin::text) from facebook_event where customer_psid in (:alice, :bob)")
                .param("alice", alice).param("bob", bob).query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from facebook_event where customer_psid in (:alice, :bob)")
                .param("alice", alice).param("bob", bob).query(Integer.class).single()).isEqualTo(3);
        assertThat(awaitOffers("sales", alice, 1)).hasSize(1);
        assertThat(awaitOffers("sales", bob, 1)).hasSize(1);
    }
}
