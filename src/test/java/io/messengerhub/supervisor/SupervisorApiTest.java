package io.messengerhub.supervisor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.AdminClient;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.IntegrationEvents;
import io.messengerhub.support.TestAgents;
import jakarta.jms.ConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The supervisor API against the real hub, its broker and database, with agents on the real client over TCP: the
 * floor follows a conversation from the queue to an agent, a very negative customer becomes an alert that one
 * acknowledgement takes off the list, a consult reaches the agent and its answer the supervisor while the Send API
 * hears nothing of it, and a supervisor assigns (beyond capacity) and transfers. Every refusal changes nothing.
 */
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=supervisor-page-token",
        "hub.agents.distribution-interval=200",
        "hub.agents.queues[0].name=sales",
        "hub.agents.queues[1].name=billing",
        "hub.agents.queues[1].mode=pick",
        "hub.supervisor.waiting-threshold=1s",
})
class SupervisorApiTest extends HubSystemTest {

    static final String SUPERVISOR = TestAgents.SUPERVISOR;
    static final String SUPERVISOR_PASSWORD = TestAgents.SUPERVISOR_PASSWORD;
    static final String ANGRY = "This is terrible, the worst service ever. I am furious and disgusted!!! 😡";

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        GRAPH.start();
    }

    private static TestAgents agents;

    @DynamicPropertySource
    static void agentsSupervisorAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        TestAgents.registerSupervisor(registry, 0);
        AdminClient.register(registry, 1);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    @Autowired
    ConnectionFactory connectionFactory;

    AgentSession anna;
    AgentSession ben;
    AdminClient supervisor;

    @BeforeEach
    void agentsAvailable() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_sup\"}")));
        supervisor = new AdminClient(port, SUPERVISOR, SUPERVISOR_PASSWORD);
        anna = agents.anna();
        ben = agents.ben();
        anna.result(anna.client().setPresence("AVAILABLE"));
    }

    @AfterEach
    void agentsLeave() throws Exception {
        anna.leave();
        ben.leave();
    }

    @Test
    void shouldFollowAConversationFromTheQueueToAnAgentAndAlertOnceUntilAcknowledged() throws Exception {
        anna.result(anna.client().setPresence("OFFLINE"));
        String psid = unique("floor");
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, "Hello, a question", now()))));
        String conversationId = conversationOf(psid);

        // Nobody there: it waits in sales, and past the threshold (1 s here) it is at risk.
        JsonNode waiting = Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::floor,
                floor -> atRisk(floor, "waiting", conversationId) != null);
        assertThat(queue(waiting, "sales").path("waiting").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(queue(waiting, "sales").path("longestWaitSeconds").asLong()).isGreaterThanOrEqualTo(1);

        // Anna comes: the offer is pending, then she accepts and holds it.
        anna.result(anna.client().setPresence("AVAILABLE"));
        JsonNode offer = anna.offerFor(psid);
        JsonNode offered = Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::floor,
                floor -> queue(floor, "sales").path("offersPending").asInt() >= 1);
        assertThat(agent(offered, "anna").path("offered").findValuesAsText("id")).contains(conversationId);
        anna.result(anna.client().accept(offer.path("offerId").asText()));
        JsonNode held = Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::floor,
                floor -> agent(floor, "anna").path("conversations").findValuesAsText("id").contains(conversationId));
        assertThat(agent(held, "anna").path("used").asInt()).isEqualTo(1);
        assertThat(agent(held, "anna").path("capacity").asInt()).isEqualTo(2);
        assertThat(agent(held, "anna").path("presence").asText()).isEqualTo("BUSY");
        assertThat(atRisk(held, "waiting", conversationId)).isNull();

        // A furious customer: an alert on the floor, and on the events topic once acknowledged.
        try (var events = new IntegrationEvents(connectionFactory, "contact-center.events", json)) {
            customerWrites(psid, ANGRY);
            customerWrites(psid, ANGRY);
            JsonNode alerted = Awaitility.await().atMost(Duration.ofSeconds(15)).until(this::floor,
                    floor -> atRisk(floor, "sentiment", conversationId) != null);
            JsonNode alert = atRisk(alerted, "sentiment", conversationId);
            assertThat(alert.path("agentId").asText()).isEqualTo("anna");
            assertThat(alert.path("detail").asText()).contains("NEGATIVE");

            var acknowledged = supervisor.post("/supervisor/api/alerts/" + alert.path("alertId").asText() + "/acknowledge", "");
            assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(200);
            assertThat(readJson(acknowledged.body()).path("acknowledgedBy").asText()).isEqualTo(SUPERVISOR);
            assertThat(atRisk(floor(), "sentiment", conversationId)).isNull();
            assertThat(jdbc.sql("select acknowledged_by from supervisor_alert where id = :id")
                    .param("id", alert.path("alertId").asLong()).query(String.class).single()).isEqualTo(SUPERVISOR);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.of("supervisor.action", conversationId).stream()
                    .anyMatch(event -> "acknowledge".equals(event.path("action").asText())));

            // A second supervisor (or a second click) finds it done, and by whom.
            var again = supervisor.post("/supervisor/api/alerts/" + alert.path("alertId").asText() + "/acknowledge", "");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(readJson(again.body()).path("reason").asText()).contains("acknowledged already, by " + SUPERVISOR);
        }
    }

    @Test
    void shouldListAMessageFacebookRefusedAtRiskUntilAcknowledged() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).atPriority(1)
                .withRequestBody(containing("refused-by-graph")).willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"(#100) Invalid parameter\",\"code\":100}}")));
        String conversationId = heldByAnna(unique("graph"));

        String requestId = anna.client().sendText(conversationId, "This is refused-by-graph");
        assertThat(anna.result(requestId).path("ok").asBoolean()).isTrue();
        anna.await("message.failed", m -> requestId.equals(m.path("requestId").asText()));

        JsonNode floor = Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::floor,
                f -> atRisk(f, "message-failed", conversationId) != null);
        JsonNode risk = atRisk(floor, "message-failed", conversationId);
        assertThat(risk.path("detail").asText()).contains("(#100) Invalid parameter");
        assertThat(risk.path("agentId").asText()).isEqualTo("anna");
        assertThat(supervisor.post("/supervisor/api/alerts/" + risk.path("alertId").asText() + "/acknowledge", "").statusCode())
                .isEqualTo(200);
        assertThat(atRisk(floor(), "message-failed", conversationId)).isNull();
    }

    @Test
    void shouldConsultBesideTheAgentWithoutTheCustomerSeeingIt() throws Exception {
        String conversationId = heldByAnna(unique("consult"));
        String question = "Supervisor here: offer the customer a voucher? " + unique("q");

        var consulted = supervisor.post("/supervisor/api/conversations/" + conversationId + "/consult",
                json.writeValueAsString(Map.of("text", question)));
        assertThat(consulted.statusCode()).as(consulted.body()).isEqualTo(201);
        JsonNode message = anna.await("consult.message", m -> conversationId.equals(m.path("conversationId").asText()));
        assertThat(message.path("consult").path("text").asText()).isEqualTo(question);
        assertThat(message.path("consult").path("author").asText()).isEqualTo(SUPERVISOR);
        assertThat(message.path("consult").path("role").asText()).isEqualTo("SUPERVISOR");

        String answer = "Agent: yes, doing it now " + unique("a");
        JsonNode answered = anna.result(anna.client().send("consult.send", Map.of("conversationId", conversationId, "text", answer)));
        assertThat(answered.path("ok").asBoolean()).as(answered.toString()).isTrue();
        assertThat(answered.path("consult").findValuesAsText("text")).containsExactly(question, answer);

        JsonNode view = readJson(supervisor.get("/supervisor/api/conversations/" + conversationId).body());
        assertThat(view.path("consult").findValuesAsText("text")).containsExactly(question, answer);
        assertThat(view.path("consult").findValuesAsText("role")).containsExactly("SUPERVISOR", "AGENT");
        assertThat(view.path("transcript").findValuesAsText("text")).doesNotContain(question, answer);
        // The agent's own view has the thread too (after a reload of its client), and the customer nothing.
        assertThat(anna.result(anna.client().openConversation(conversationId)).path("consult").findValuesAsText("text"))
                .containsExactly(question, answer);
        Thread.sleep(500);
        GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).withRequestBody(containing("voucher")));
        GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).withRequestBody(containing("doing it now")));

        // An agent answers only where a supervisor consulted it.
        String other = heldByAnna(unique("unconsulted"));
        JsonNode refused = anna.result(anna.client().send("consult.send", Map.of("conversationId", other, "text", "hello?")));
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("reason").asText()).contains("no supervisor has consulted you");

        // The customer's data erased: the consult goes with the conversation.
        String psid = jdbc.sql("select customer_psid from conversation where id = :id").param("id", conversationId)
                .query(String.class).single();
        var erased = facebook.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/erasures"))
                .header("Authorization", "Bearer " + io.messengerhub.support.WebhookClient.API_TOKEN)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"psid\":\"" + psid + "\"}")).build());
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from consult_message where conversation_id = :id").param("id", conversationId)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void shouldAssignToANamedAgentBeyondItsCapacityAndTransferToAQueue() throws Exception {
        ben.result(ben.client().setPresence("AVAILABLE"));
        String first = heldByAnna(unique("assign"));

        var assigned = supervisor.post("/supervisor/api/conversations/" + first + "/assign", "{\"agentId\": \"ben\"}");
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
        JsonNode reassigned = anna.await("conversation.reassigned", m -> first.equals(m.path("conversationId").asText()));
        assertThat(reassigned.path("agentId").asText()).isEqualTo("ben");
        assertThat(reassigned.path("by").asText()).isEqualTo("supervisor");
        JsonNode taken = ben.await("conversation.assigned", m -> first.equals(m.path("conversation").path("id").asText()));
        assertThat(taken.path("transcript").findValuesAsText("text")).isNotEmpty();
        assertThat(stateAndAgent(first)).isEqualTo("ACTIVE ben");
        assertThat(ben.result(ben.client().sendText(first, "Ben here, I take over")).path("ok").asBoolean()).isTrue();

        // Force-assign: ben's capacity is 1, a supervisor may give him a second conversation all the same.
        String second = heldByAnna(unique("overbook"));
        assertThat(supervisor.post("/supervisor/api/conversations/" + second + "/assign", "{\"agentId\": \"ben\"}").statusCode())
                .isEqualTo(200);
        JsonNode overbooked = agent(floor(), "ben");
        assertThat(overbooked.path("used").asInt()).isEqualTo(2);
        assertThat(overbooked.path("capacity").asInt()).isEqualTo(1);
        assertThat(overbooked.path("presence").asText()).isEqualTo("DO_NOT_DISTURB");

        // Transfer to billing (a pick queue): it waits there, and ben is told it is no longer his.
        var transferred = supervisor.post("/supervisor/api/conversations/" + second + "/transfer", "{\"queue\": \"billing\"}");
        assertThat(transferred.statusCode()).as(transferred.body()).isEqualTo(200);
        ben.await("conversation.reassigned", m -> second.equals(m.path("conversationId").asText())
                && "billing".equals(m.path("queue").asText()) && m.path("agentId").isNull());
        assertThat(stateAndAgent(second)).isEqualTo("OPEN null");
        assertThat(jdbc.sql("select queue from conversation where id = :id").param("id", second).query(String.class).single())
                .isEqualTo("billing");
        assertThat(jdbc.sql("select outcome from supervisor_action where conversation_id = :id order by id")
                .param("id", second).query(String.class).list()).containsExactly("done", "done");
        // Anna picks it from billing as usual.
        assertThat(anna.result(anna.client().send("conversation.pick", Map.of("conversationId", second))).path("ok").asBoolean()).isTrue();
    }

    @Test
    void shouldRefuseWhoIsNoSupervisorAndWhatCannotBeDoneAndChangeNothing() throws Exception {
        String conversationId = heldByAnna(unique("refusals"));

        var anonymous = new AdminClient(port, null, null).get("/supervisor/api/floor");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"supervisor\"");
        assertThat(new AdminClient(port, SUPERVISOR, "wrong-password").get("/supervisor/api/floor").statusCode()).isEqualTo(401);
        var agentLogin = new AdminClient(port, "anna", "pw-anna").post("/supervisor/api/conversations/" + conversationId + "/assign",
                "{\"agentId\": \"ben\"}");
        assertThat(agentLogin.statusCode()).isEqualTo(403);
        assertThat(readJson(agentLogin.body()).path("reason").asText()).isEqualTo("'anna' is not a supervisor");
        assertThat(new AdminClient(port, AdminClient.ADMIN, AdminClient.PASSWORD).get("/supervisor/api/floor").statusCode())
                .isEqualTo(403);

        assertThat(supervisor.get("/supervisor/api/conversations/no-such-conversation").statusCode()).isEqualTo(404);
        assertThat(supervisor.post("/supervisor/api/conversations/no-such-conversation/assign", "{\"agentId\": \"ben\"}")
                .statusCode()).isEqualTo(404);
        assertThat(supervisor.post("/supervisor/api/alerts/999999/acknowledge", "").statusCode()).isEqualTo(404);

        var unknownAgent = supervisor.post("/supervisor/api/conversations/" + conversationId + "/assign", "{\"agentId\": \"nobody\"}");
        assertThat(unknownAgent.statusCode()).isEqualTo(400);
        assertThat(readJson(unknownAgent.body()).path("reason").asText()).isEqualTo("no agent 'nobody'");
        var admin = new AdminClient(port, AdminClient.ADMIN, AdminClient.PASSWORD);
        assertThat(admin.post("/admin/agents", """
                {"id": "carla", "name": "Carla", "password": "carla-password-1", "queues": ["sales"], "capacity": 2}""")
                .statusCode()).isEqualTo(201);
        assertThat(admin.post("/admin/agents/carla/disable", "").statusCode()).isEqualTo(200);
        var disabled = supervisor.post("/supervisor/api/conversations/" + conversationId + "/assign", "{\"agentId\": \"carla\"}");
        assertThat(disabled.statusCode()).isEqualTo(409);
        assertThat(readJson(disabled.body()).path("reason").asText()).isEqualTo("agent carla is disabled");
        var offline = supervisor.post("/supervisor/api/conversations/" + conversationId + "/assign", "{\"agentId\": \"ben\"}");
        assertThat(offline.statusCode()).isEqualTo(409);
        assertThat(readJson(offline.body()).path("reason").asText()).contains("Offline");
        assertThat(supervisor.post("/supervisor/api/conversations/" + conversationId + "/assign", "{\"agentId\": \"anna\"}")
                .statusCode()).isEqualTo(409);
        assertThat(supervisor.post("/supervisor/api/conversations/" + conversationId + "/transfer", "{\"queue\": \"nowhere\"}")
                .statusCode()).isEqualTo(400);
        assertThat(supervisor.post("/supervisor/api/conversations/" + conversationId + "/consult", "{\"text\": \"  \"}")
                .statusCode()).isEqualTo(400);

        // Hostile text comes back as valid JSON, and nothing of it was stored or sent anywhere.
        String hostile = "x\\\"</script><img src=x onerror=alert(1)>\\u0000\uD83D\uDE21";
        var hostileAgent = supervisor.post("/supervisor/api/conversations/" + conversationId + "/assign",
                "{\"agentId\": \"" + hostile + "\"}");
        assertThat(hostileAgent.statusCode()).isEqualTo(400);
        assertThat(readJson(hostileAgent.body()).path("reason").asText()).contains("</script><img src=x onerror=alert(1)>");
        var hostileConsult = supervisor.post("/supervisor/api/conversations/" + conversationId + "/consult",
                "{\"text\": \"" + hostile + "\"}");
        assertThat(hostileConsult.statusCode()).isEqualTo(400);
        assertThat(readJson(hostileConsult.body()).path("reason").asText()).contains("control characters");

        assertThat(stateAndAgent(conversationId)).isEqualTo("ACTIVE anna");
        assertThat(jdbc.sql("select count(*) from consult_message where conversation_id = :id").param("id", conversationId)
                .query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("select outcome from supervisor_action where conversation_id = :id order by id")
                .param("id", conversationId).query(String.class).list())
                .isNotEmpty().allMatch(outcome -> outcome.startsWith("refused ("));
        assertThat(anna.received("conversation.reassigned")).noneMatch(m -> conversationId.equals(m.path("conversationId").asText()));
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    JsonNode floor() {
        var answer = supervisor.get("/supervisor/api/floor");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return readJson(answer.body());
    }

    static JsonNode queue(JsonNode floor, String name) {
        for (JsonNode queue : floor.path("queues")) {
            if (name.equals(queue.path("name").asText())) {
                return queue;
            }
        }
        throw new AssertionError("no queue " + name + " on the floor: " + floor);
    }

    static JsonNode agent(JsonNode floor, String id) {
        for (JsonNode agent : floor.path("agents")) {
            if (id.equals(agent.path("id").asText())) {
                return agent;
            }
        }
        throw new AssertionError("no agent " + id + " on the floor: " + floor);
    }

    static JsonNode atRisk(JsonNode floor, String kind, String conversationId) {
        for (JsonNode risk : floor.path("atRisk")) {
            if (kind.equals(risk.path("kind").asText()) && conversationId.equals(risk.path("conversationId").asText())) {
                return risk;
            }
        }
        return null;
    }

    /** A new customer's conversation, offered to and accepted by anna. */
    String heldByAnna(String psid) throws Exception {
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, "Hi, I need help with " + psid, now()))));
        anna.result(anna.client().accept(anna.offerFor(psid).path("offerId").asText()));
        String conversationId = conversationOf(psid);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateAndAgent(conversationId).equals("ACTIVE anna"));
        return conversationId;
    }

    String conversationOf(String psid) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                        "select id from conversation where customer_psid = :psid and state <> 'CLOSED'")
                .param("psid", psid).query(String.class).optional().orElse(null), id -> id != null);
    }

    String stateAndAgent(String conversationId) {
        return jdbc.sql("select state || ' ' || coalesce(agent_id, 'null') from conversation where id = :id")
                .param("id", conversationId).query(String.class).single();
    }

    void customerWrites(String psid, String text) {
        int before = messagesOf(psid);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, unique("m"), text, now()))));
        awaitMessages(psid, before + 1);
    }

    static long now() {
        return System.currentTimeMillis();
    }
}
