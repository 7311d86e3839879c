package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import org.junit.jupiter.api.Test;

/** What an operator watches: health of broker, database and routes, and the webhook metrics. */
class OperationsEndpointsTest extends HubSystemTest {

    @Test
    void shouldReportBrokerDatabaseAndRoutesInHealth() {
        JsonNode health = readJson(facebook.get("/actuator/health").body());

        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("jms").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("camelHealth").toString()).contains("route:webhook-receive");
    }

    @Test
    void shouldExposeWebhookLatencyEventCountsDuplicatesAndQueueDepths() {
        String psid = unique("psid");
        String body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "metrics")));
        facebook.postSigned(body);
        facebook.postSigned(body);
        awaitMessages(psid, 1);
        awaitOffers("sales", psid, 1);
        org.awaitility.Awaitility.await().until(() -> facebook.get("/actuator/prometheus").body().contains("hub_events_duplicates_total"));

        String metrics = facebook.get("/actuator/prometheus").body();

        assertThat(metrics).contains("camel_route_policy_seconds_bucket{").contains("routeId=\"webhook-receive\"");
        assertThat(metrics).containsPattern("hub_events_processed_total\\{kind=\"message\"} [1-9]");
        assertThat(metrics).containsPattern("hub_events_duplicates_total\\{kind=\"message\"} [1-9]");
        assertThat(metrics).containsPattern("artemis_message_count\\{address=\"contact-center.offers.sales\"[^}]*} [1-9]");
        assertThat(metrics).contains("artemis_message_count{address=\"hub.webhook.inbound\"");
    }
}
