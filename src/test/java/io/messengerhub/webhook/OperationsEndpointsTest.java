package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

/**
 * What an operator watches (health of broker, database and routes, the webhook metrics), only with an operator
 * token; the probes answer anyone with their status only, and the hub answers 503 while it is not ready.
 */
class OperationsEndpointsTest extends HubSystemTest {

    @Autowired
    ApplicationContext context;

    @Test
    void shouldKeepHealthDetailsMetricsAndInfoForOperators() {
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/info",
                "/actuator/health/db")) {
            var anonymous = facebook.get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(readJson(anonymous.body()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(facebook.getApi(path, WebhookClient.API_TOKEN).statusCode()).as("an API token is not an operator's: " + path)
                    .isEqualTo(401);
        }
        // Other spellings of the same path reach the same endpoint or none, never the metrics without a token.
        for (String path : List.of("//actuator/prometheus", "/actuator//prometheus", "/actuator/./prometheus",
                "/api/../actuator/prometheus", "/actuator;x=1/prometheus", "/%61ctuator/prometheus")) {
            var response = facebook.get(path);
            assertThat(response.statusCode()).as(path).isNotEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain("jvm_").doesNotContain("hub_events");
        }
        assertThat(facebook.getOperator("/actuator/info").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerTheProbesToAnyoneWithTheirStatusOnly() {
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            var response = facebook.get(probe);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(readJson(response.body())).as(probe).isEqualTo(readJson("{\"status\":\"UP\"}"));
        }
        JsonNode readiness = readJson(facebook.getOperator("/actuator/health/readiness").body());
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheHubIsNotReady() {
        String psid = unique("psid");
        String body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "while starting")));
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            var refused = facebook.postSigned(body);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(facebook.getApi("/api/conversations?psid=" + psid, WebhookClient.API_TOKEN).statusCode()).isEqualTo(503);
            assertThat(facebook.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(facebook.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(messagesOf(psid)).isZero();

        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);
        awaitMessages(psid, 1);
    }

    @Test
    void shouldReportBrokerDatabaseAndRoutesInHealth() {
        JsonNode health = readJson(facebook.getOperator("/actuator/health").body());

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
        org.awaitility.Awaitility.await().until(() -> facebook.getOperator("/actuator/prometheus").body().contains("hub_events_duplicates_total"));

        String metrics = facebook.getOperator("/actuator/prometheus").body();

        assertThat(metrics).contains("camel_route_policy_seconds_bucket{").contains("routeId=\"webhook-receive\"")
                .contains("routeId=\"webhook-process\"");
        // The offer went out through the relay route of ConversationOpened, timed as part of webhook-process only
        // (RouteTimers); and no context-wide timer counts every route's exchange again.
        assertThat(metrics).doesNotContain("routeId=\"conversation-opened\"");
        // A direct: route that is not a relay, the CRM look-up of the new customer, keeps its timer.
        assertThat(metrics).contains("routeId=\"crm-find-contact\"");
        assertThat(metrics.lines().filter(line -> line.startsWith("camel_route_policy_seconds_count{")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("routeId=\""));
        assertThat(metrics).containsPattern("hub_events_processed_total\\{kind=\"message\"} [1-9]");
        assertThat(metrics).containsPattern("hub_events_duplicates_total\\{kind=\"message\"} [1-9]");
        assertThat(metrics).containsPattern("artemis_message_count\\{address=\"contact-center.offers.sales\"[^}]*} [1-9]");
        assertThat(metrics).contains("artemis_message_count{address=\"hub.webhook.inbound\"");
    }
}
