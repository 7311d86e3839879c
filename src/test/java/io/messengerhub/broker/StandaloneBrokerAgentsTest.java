package io.messengerhub.broker;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.client.AgentClient;
import io.messengerhub.support.AdminClient;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.ShippedBroker;
import io.messengerhub.support.StandaloneHub;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Agents added, disabled, given a new password and removed through the admin API on a standalone broker: the one of
 * deploy/artemis/ (the shipped broker.xml, and login.config's "activemq" domain as shipped, its HubLoginModule
 * pointed at the hub by {@code hub.login.url} as docker-compose.yml does), with a hub in native broker mode. The
 * broker asks the hub for every login ({@code GET /api/login}); the hub gives each agent its inbox and read right
 * through the broker's management API, which the broker keeps in its journal across a restart.
 */
class StandaloneBrokerAgentsTest {

    private static final String HUB_PASSWORD = "standalone-hub-secret";
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "demo-admin";

    @TempDir
    static Path files;

    private static int brokerPort;
    private static String brokerUrl;
    private static Path brokerData;
    private static javax.security.auth.login.Configuration logins;
    private static EmbeddedActiveMQ broker;
    private static ConfigurableApplicationContext hub;
    private static WebhookClient facebook;
    private static AdminClient admin;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startBrokerThenHub() throws Exception {
        brokerPort = TestAgents.freePort();
        brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        brokerData = files.resolve("broker");
        int httpPort = TestAgents.freePort();
        // Two hubs to ask, the first never there: the module passes to the next.
        String hubs = "http://127.0.0.1:" + TestAgents.freePort() + "/api/login,http://127.0.0.1:" + httpPort + "/api/login";
        logins = ShippedBroker.shippedLogins(files, HUB_PASSWORD, hubs);
        broker = startBroker();

        // No hub answers yet: refused.
        assertThatThrownBy(() -> connect("anna", "demo-anna").close()).isInstanceOf(JMSSecurityException.class);

        hub = StandaloneHub.start(
                "--server.port=" + httpPort,
                "--hub.data-dir=" + HubSystemTest.newDataDir(),
                "--spring.artemis.mode=native",
                "--spring.artemis.broker-url=" + brokerUrl + "?reconnectAttempts=-1&retryInterval=200",
                "--spring.artemis.user=hub",
                "--spring.artemis.password=" + HUB_PASSWORD,
                "--hub.broker.tcp-acceptor=",
                "--hub.agents.distribution-interval=200",
                "--hub.cluster.instance-id=standalone-agents");
        facebook = StandaloneHub.client(hub);
        admin = new AdminClient(httpPort, ADMIN, ADMIN_PASSWORD);
        // Once a hub answers, the same login gets in: the broker remembers a refusal for at most its
        // security-invalidation-interval (10 s).
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    connect("anna", "demo-anna").close();
                    return true;
                });
    }

    @AfterAll
    static void stopHubThenBroker() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void shouldCheckALoginAsTheBrokerDoesWithItsRoles() throws Exception {
        var anna = new AdminClient(port(), "anna", "demo-anna").get("/api/login");
        assertThat(anna.statusCode()).as(anna.body()).isEqualTo(200);
        assertThat(json.readTree(anna.body())).isEqualTo(json.readTree("{\"id\": \"anna\", \"roles\": [\"agent\", \"agent-anna\"]}"));
        var supervisor = new AdminClient(port(), "supervisor", "demo-supervisor").get("/api/login");
        assertThat(json.readTree(supervisor.body()).path("roles").toString()).isEqualTo("[\"supervisor\"]");

        var wrong = new AdminClient(port(), "anna", "demo-ben").get("/api/login");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json.readTree(wrong.body()).path("reason").asText()).isEqualTo("login refused");
        assertThat(new AdminClient(port(), null, null).get("/api/login").statusCode()).isEqualTo(401);

        // The broker asks the same: anna of config/agents.yaml logs in and reads her inbox, the wrong password not.
        try (AgentSession session = new AgentSession(brokerUrl, "anna", "demo-anna")) {
            assertThat(session.result(session.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }
        assertThatThrownBy(() -> connect("anna", "demo-ben").close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void shouldLetAnAgentAddedThroughTheAdminApiWorkAtOnceAndStopItWhenDisabledOrRemoved() throws Exception {
        var added = admin.post("/admin/agents", """
                {"id": "zoe", "name": "Zoe Adams", "password": "zoe-password-1", "queues": ["sales"], "capacity": 2}""");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

        // At once: the broker takes zoe's login from the hub, and her inbox is there for her to read.
        try (AgentSession zoe = new AgentSession(brokerUrl, "zoe", "zoe-password-1")) {
            assertThat(zoe.result(zoe.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
            String psid = customerWrites("Hello, anyone on the standalone broker?");
            JsonNode offer = zoe.offerFor(psid);
            assertThat(zoe.result(zoe.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();

            // Only her own inbox.
            try (Connection connection = connect("zoe", "zoe-password-1")) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThatThrownBy(() -> session.createConsumer(session.createQueue(AgentClient.INBOX_PREFIX + "anna")))
                        .isInstanceOf(JMSSecurityException.class);
            }

            // A new password ends the session opened with the old one, and the old one opens none.
            assertThat(admin.post("/admin/agents/zoe/password", "{\"password\": \"zoe-password-2\"}").statusCode()).isEqualTo(200);
            zoe.awaitClosedByBroker();
        }
        assertThatThrownBy(() -> connect("zoe", "zoe-password-1").close()).isInstanceOf(JMSSecurityException.class);

        try (AgentSession zoe = new AgentSession(brokerUrl, "zoe", "zoe-password-2")) {
            assertThat(zoe.result(zoe.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
            assertThat(admin.post("/admin/agents/zoe/disable", "{}").statusCode()).isEqualTo(200);
            zoe.awaitClosedByBroker();
        }
        assertThatThrownBy(() -> connect("zoe", "zoe-password-2").close()).as("disabled").isInstanceOf(JMSSecurityException.class);
        assertThat(broker.getActiveMQServer().getSecurityRepository().getMatch(AgentClient.INBOX_PREFIX + "zoe"))
                .as("no read right while disabled").noneMatch(role -> role.getName().equals("agent-zoe"));

        assertThat(admin.post("/admin/agents/zoe/enable", "{}").statusCode()).isEqualTo(200);
        try (AgentSession zoe = new AgentSession(brokerUrl, "zoe", "zoe-password-2")) {
            assertThat(zoe.result(zoe.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }

        assertThat(admin.delete("/admin/agents/zoe").statusCode()).isEqualTo(204);
        assertThatThrownBy(() -> connect("zoe", "zoe-password-2").close()).as("removed").isInstanceOf(JMSSecurityException.class);
        assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of(AgentClient.INBOX_PREFIX + "zoe"))).as("inbox").isNull();
    }

    @Test
    void shouldKeepAnAddedAgentsInboxAndRightInTheBrokersJournalAcrossARestart() throws Exception {
        var added = admin.post("/admin/agents", """
                {"id": "yuri", "name": "Yuri Tanaka", "password": "yuri-password-1", "queues": ["sales"], "capacity": 1}""");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

        broker.stop();
        broker = startBroker();

        // The hub does not tell the restarted broker again: the broker read it back from its own journal.
        assertThat(broker.getActiveMQServer().getSecurityRepository().getMatch(AgentClient.INBOX_PREFIX + "yuri"))
                .anyMatch(role -> role.getName().equals("agent-yuri") && role.isConsume());
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (AgentSession yuri = new AgentSession(brokerUrl, "yuri", "yuri-password-1")) {
                assertThat(yuri.result(yuri.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
            }
        });
        assertThat(admin.delete("/admin/agents/yuri").statusCode()).isEqualTo(204);
    }

    /** A queue the configuration names while the hub runs (a reloaded routing.yaml) gets its offer queue there too. */
    @Test
    void shouldCreateTheOfferQueueOfANewAgentQueueForSupervisorsToRead() throws Exception {
        String offers = hub.getEnvironment().getRequiredProperty("hub.dispatch.offer-address-prefix") + "night-shift";
        assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of(offers))).isNull();

        hub.getBean(OfferQueues.class).declare(List.of("night-shift"));

        assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of(offers))).isNotNull();
        try (Connection supervisor = connect("supervisor", "demo-supervisor");
             Connection anna = connect("anna", "demo-anna")) {
            Session session = supervisor.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(offers)).close();
            Session annaSession = anna.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> annaSession.createConsumer(annaSession.createQueue(offers)))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    private static EmbeddedActiveMQ startBroker() throws Exception {
        return ShippedBroker.start(ShippedBroker.configuration(brokerPort, brokerData, true, xml -> xml), logins);
    }

    private static Connection connect(String user, String password) throws Exception {
        return new ActiveMQConnectionFactory(brokerUrl, user, password).createConnection();
    }

    private static int port() {
        return Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
    }

    private static String customerWrites(String text) {
        String psid = String.valueOf(System.nanoTime());
        String page = HubSystemTest.SALES_PAGE;
        assertThat(facebook.postSigned(webhook(entry(page, textAt(page, psid, "m-" + psid, text, System.currentTimeMillis())))).statusCode())
                .isEqualTo(200);
        return psid;
    }
}
