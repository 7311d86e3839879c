package io.messengerhub.admin;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.agent.AgentAdministration;
import io.messengerhub.agent.AgentAdministration.AgentRequest;
import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.support.AdminClient;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Agents without a restart: an admin adds one through the admin API, who logs in to the broker at once and gets work;
 * disabling it ends its session and gives its conversation back to the queue; every action, refused ones too, is in
 * the audit with the admin who did it.
 */
@TestPropertySource(properties = {
        "hub.agents.offer-timeout=5s",
        "hub.agents.distribution-interval=200",
        "hub.agents.heartbeat-timeout=600s",
})
class AdminAgentsTest extends HubSystemTest {

    private static TestAgents agents;
    private static final AtomicLong PSIDS = new AtomicLong(System.nanoTime());

    @DynamicPropertySource
    static void agentsBrokerAndAdmin(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        AdminClient.register(registry, 0);
        String hash = io.messengerhub.agent.PasswordHashes.hash("pw-watcher");
        registry.add("hub.agents.users[1].id", () -> "watcher");
        registry.add("hub.agents.users[1].password-hash", () -> hash);
        registry.add("hub.agents.users[1].role", () -> "supervisor");
    }

    private AdminClient admin;

    @BeforeEach
    void adminLogsIn() {
        admin = new AdminClient(port, AdminClient.ADMIN, AdminClient.PASSWORD);
    }

    @Autowired
    AgentAdministration administration;

    @Autowired
    AgentDirectory directory;

    @Autowired
    TransactionTemplate transaction;

    /**
     * Work distribution reads the accounts every 200 ms here: a read while an addition commits must not hide the new
     * agent until the next refresh (its commands were refused as those of no agent, now and then).
     */
    @Test
    void shouldKnowAnAddedAgentOnceTheAdditionCommitsThoughTheAccountsWereReadMeanwhile() {
        transaction.executeWithoutResult(status -> {
            administration.add(new AgentRequest("gina", "Gina", "gina-password-1", List.of("sales"), 1));
            assertThat(CompletableFuture.supplyAsync(() -> directory.agent("gina")).join()).as("not committed yet").isEmpty();
        });

        assertThat(directory.agent("gina")).isPresent();
        transaction.executeWithoutResult(status -> administration.remove("gina"));
        assertThat(directory.agent("gina")).isEmpty();
    }

    @Test
    void shouldLetAnAddedAgentWorkAtOnceAndTakeItsWorkAwayWhenDisabled() throws Exception {
        var added = admin.post("/admin/agents", """
                {"id": "carl", "name": "Carl Nowak", "password": "carl-password-1", "queues": ["sales"], "capacity": 2}""");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode carl = readJson(added.body());
        assertThat(carl.path("id").asText()).isEqualTo("carl");
        assertThat(carl.path("enabled").asBoolean()).isTrue();
        assertThat(carl.path("source").asText()).isEqualTo("admin-api");
        assertThat(added.body()).doesNotContain("carl-password-1").doesNotContainIgnoringCase("hash");

        // No restart: the broker takes the new login, and its inbox is there to read.
        String conversationId;
        try (AgentSession session = new AgentSession(agents.brokerUrl(), "carl", "carl-password-1")) {
            assertThat(session.result(session.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
            String psid = customerWrites("Is anybody new there?");
            JsonNode offer = session.offerFor(psid);
            conversationId = offer.path("conversationId").asText();
            assertThat(session.result(session.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();
            assertThat(stateOf(conversationId)).isEqualTo("ACTIVE");

            var disabled = admin.post("/admin/agents/carl/disable", "{}");
            assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
            assertThat(readJson(disabled.body()).path("enabled").asBoolean()).isFalse();
            // Its conversation goes back to the queue at once, not after a reconnect grace.
            assertThat(stateOf(conversationId)).isEqualTo("OPEN");
            assertThat(jdbc.sql("select count(*) from conversation where id = :id and agent_id is null")
                    .param("id", conversationId).query(Integer.class).single()).isEqualTo(1);
            // Its session was closed by the broker: a command sent now does not reach the hub.
            session.awaitClosedByBroker();
        }
        assertThatThrownBy(() -> new AgentSession(agents.brokerUrl(), "carl", "carl-password-1").close())
                .as("a disabled agent cannot log in").isInstanceOf(Exception.class);

        var enabled = admin.post("/admin/agents/carl/enable", "{}");
        assertThat(enabled.statusCode()).isEqualTo(200);
        try (AgentSession back = new AgentSession(agents.brokerUrl(), "carl", "carl-password-1")) {
            assertThat(back.result(back.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }

        JsonNode audit = readJson(admin.get("/admin/audit?actor=" + AdminClient.ADMIN).body());
        assertThat(audit.findValuesAsText("action")).contains("agent.add", "agent.disable", "agent.enable");
        JsonNode addLine = find(audit, "agent.add", "carl");
        assertThat(addLine.path("outcome").asText()).isEqualTo("done");
        assertThat(addLine.path("detail").asText()).contains("queues=[sales]").doesNotContain("carl-password-1");
    }

    @Test
    void shouldRefuseWhatIsNotAllowedWithTheReasonAndAuditTheRefusal() {
        var noLogin = new AdminClient(port, null, null).get("/admin/agents");
        assertThat(noLogin.statusCode()).isEqualTo(401);
        assertThat(noLogin.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"admin\"");
        assertThat(new AdminClient(port, AdminClient.ADMIN, "wrong-password").get("/admin/agents").statusCode()).isEqualTo(401);
        var agentLogin = new AdminClient(port, "anna", "pw-anna").get("/admin/agents");
        assertThat(agentLogin.statusCode()).isEqualTo(403);
        assertThat(readJson(agentLogin.body()).path("error").asText()).isEqualTo("forbidden");
        assertThat(new AdminClient(port, "watcher", "pw-watcher").get("/admin/agents").statusCode()).isEqualTo(403);

        assertRefused(admin.post("/admin/agents", """
                {"id": "dora", "password": "dora-password-1", "queues": ["nowhere"]}"""), 400, "no queue 'nowhere'");
        assertRefused(admin.post("/admin/agents", """
                {"id": "dora", "password": "short", "queues": ["sales"]}"""), 400, "password");
        assertRefused(admin.post("/admin/agents", """
                {"id": "Dora Smith", "password": "dora-password-1", "queues": ["sales"]}"""), 400, "id");
        assertRefused(admin.post("/admin/agents", """
                {"id": "anna", "password": "anna-password-1", "queues": ["sales"]}"""), 409, "config/agents.yaml");
        assertRefused(admin.post("/admin/agents/anna/disable", "{}"), 409, "config/agents.yaml");
        assertRefused(admin.post("/admin/agents/nobody/disable", "{}"), 404, "nobody");
        assertRefused(admin.post("/admin/agents", "{not json"), 400, "");

        // Hostile text in a field comes back as valid JSON, as it was given.
        String hostile = "Dora \\\"</script><b>\\u0000\\n\uD83D\uDE21";
        var dora = admin.post("/admin/agents", """
                {"id": "dora", "name": "%s", "password": "dora-password-1", "queues": ["sales", "billing"]}""".formatted(hostile));
        assertRefused(dora, 400, "control characters");
        var doraAdded = admin.post("/admin/agents", """
                {"id": "dora", "name": "Dora \\"</script> \uD83D\uDE21", "password": "dora-password-1", "queues": ["sales", "billing"]}""");
        assertThat(doraAdded.statusCode()).as(doraAdded.body()).isEqualTo(201);
        assertThat(readJson(doraAdded.body()).path("name").asText()).isEqualTo("Dora \"</script> \uD83D\uDE21");
        assertRefused(admin.post("/admin/agents", """
                {"id": "dora", "password": "dora-password-2", "queues": ["sales"]}"""), 409, "exists already");

        JsonNode audit = readJson(admin.get("/admin/audit").body());
        JsonNode refusal = find(audit, "agent.add", "anna");
        assertThat(refusal.path("actor").asText()).isEqualTo(AdminClient.ADMIN);
        assertThat(refusal.path("outcome").asText()).startsWith("refused (409)").contains("config/agents.yaml");
        assertThat(jdbc.sql("select count(*) from agent_account where id = 'anna'").query(Integer.class).single()).isZero();
        assertRefused(admin.get("/admin/audit?from=yesterday"), 400, "ISO-8601");
    }

    @Test
    void shouldResetAPasswordChangeQueuesAndRemoveAnAgent() throws Exception {
        assertThat(admin.post("/admin/agents", """
                {"id": "emil", "name": "Emil", "password": "emil-password-1", "queues": ["sales"]}""").statusCode()).isEqualTo(201);
        try (AgentSession first = new AgentSession(agents.brokerUrl(), "emil", "emil-password-1")) {
            assertThat(first.result(first.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }

        assertThat(admin.post("/admin/agents/emil/password", """
                {"password": "emil-password-2"}""").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new AgentSession(agents.brokerUrl(), "emil", "emil-password-1").close())
                .as("the old password no longer counts").isInstanceOf(Exception.class);

        var moved = admin.put("/admin/agents/emil", """
                {"queues": ["billing"], "capacity": 3}""");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(readJson(moved.body()).path("queues").toString()).isEqualTo("[\"billing\"]");
        assertThat(readJson(moved.body()).path("capacity").asInt()).isEqualTo(3);
        assertThat(readJson(moved.body()).path("name").asText()).as("kept").isEqualTo("Emil");
        try (AgentSession emil = new AgentSession(agents.brokerUrl(), "emil", "emil-password-2")) {
            assertThat(emil.result(emil.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
            // The routing rule "refunds" sends this to billing, which emil serves now.
            String psid = customerWrites("I want a refund");
            JsonNode offer = emil.offerFor(psid);
            assertThat(offer.path("queue").asText()).isEqualTo("billing");
            assertThat(emil.result(emil.client().reject(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();
            assertThat(emil.result(emil.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }

        JsonNode listed = readJson(admin.get("/admin/agents").body());
        assertThat(listed.findValuesAsText("id")).contains("anna", "ben", "emil");
        assertThat(admin.get("/admin/agents").body()).doesNotContain("pbkdf2");

        assertThat(admin.delete("/admin/agents/emil").statusCode()).isEqualTo(204);
        assertThat(admin.get("/admin/agents/emil").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> new AgentSession(agents.brokerUrl(), "emil", "emil-password-2").close())
                .as("a removed agent cannot log in").isInstanceOf(Exception.class);
    }

    private void assertRefused(java.net.http.HttpResponse<String> response, int status, String reasonPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = readJson(response.body());
        assertThat(error.path("reason").asText()).contains(reasonPart);
    }

    private static JsonNode find(JsonNode audit, String action, String target) {
        for (JsonNode line : audit) {
            if (action.equals(line.path("action").asText()) && target.equals(line.path("target").asText())) {
                return line;
            }
        }
        throw new AssertionError("no audit line " + action + " " + target + " in " + audit);
    }

    private String stateOf(String conversationId) {
        return jdbc.sql("select state from conversation where id = :id").param("id", conversationId).query(String.class).single();
    }

    private String customerWrites(String text) {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, text, System.currentTimeMillis()))));
        return psid;
    }
}
