package io.messengerhub.supervisor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.AdminClient;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Facebook rejects a Page's token (error 190): the Page is at risk on the supervisors' floor, once, until a supervisor
 * acknowledges it. A context of its own, since the rejected token blocks the Page for the
 * rest of the context.
 */
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=expired-page-token",
        "hub.agents.distribution-interval=200",
})
class SupervisorPageAlertTest extends HubSystemTest {

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static TestAgents agents;

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void agentsSupervisorAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        TestAgents.registerSupervisor(registry, 0);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    @Test
    void shouldPutAPageWhoseTokenFacebookRejectedAtRiskOnceUntilAcknowledged() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Error validating access token: Session has expired\",\"type\":\"OAuthException\",\"code\":190}}")));
        var supervisor = new AdminClient(port, TestAgents.SUPERVISOR, TestAgents.SUPERVISOR_PASSWORD);
        try (AgentSession anna = agents.anna()) {
            anna.result(anna.client().setPresence("AVAILABLE"));
            String psid = unique("expired");
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, "Hello?", System.currentTimeMillis()))));
            JsonNode offer = anna.offerFor(psid);
            String conversationId = offer.path("conversationId").asText();
            anna.result(anna.client().accept(offer.path("offerId").asText()));
            String request = anna.client().sendText(conversationId, "First try");
            anna.await("message.failed", m -> request.equals(m.path("requestId").asText()));
            // From now on the Page sends nothing until it is re-authorised: the next reply is refused at once.
            JsonNode refused = anna.result(anna.client().sendText(conversationId, "Second try"));
            assertThat(refused.path("ok").asBoolean()).as(refused.toString()).isFalse();

            JsonNode floor = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> floor(supervisor),
                    f -> pageAlerts(f).size() >= 1);
            assertThat(pageAlerts(floor)).as("one alert for the Page").hasSize(1);
            JsonNode alert = pageAlerts(floor).get(0);
            assertThat(alert.path("detail").asText()).contains("Session has expired");
            assertThat(supervisor.post("/supervisor/api/alerts/" + alert.path("alertId").asText() + "/acknowledge", "")
                    .statusCode()).isEqualTo(200);
            assertThat(pageAlerts(floor(supervisor))).isEmpty();
            anna.leave();
        }
    }

    private JsonNode floor(AdminClient supervisor) {
        var answer = supervisor.get("/supervisor/api/floor");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return readJson(answer.body());
    }

    private static java.util.List<JsonNode> pageAlerts(JsonNode floor) {
        var alerts = new java.util.ArrayList<JsonNode>();
        for (JsonNode risk : floor.path("atRisk")) {
            if ("page-reauthorisation".equals(risk.path("kind").asText()) && SALES_PAGE.equals(risk.path("pageId").asText())) {
                alerts.add(risk);
            }
        }
        return alerts;
    }
}
