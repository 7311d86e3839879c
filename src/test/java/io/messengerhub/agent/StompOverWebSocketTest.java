package io.messengerhub.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StompOverWebSocket;
import io.messengerhub.support.TestAgents;
import jakarta.jms.TextMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Agents in a browser: STOMP over WebSocket on the embedded broker, with the same logins, inboxes, command queue and
 * rights as the JMS clients, and only from the pages the hub allows.
 */
class StompOverWebSocketTest extends HubSystemTest {

    @Autowired
    EmbeddedActiveMQ broker;

    private static String webSocket;
    private static final String SUPERVISOR_PASSWORD = "pw-watcher";

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        TestAgents.register(registry);
        webSocket = TestAgents.registerWebSocket(registry);
        String hash = PasswordHashes.hash(SUPERVISOR_PASSWORD);
        registry.add("hub.agents.users[0].id", () -> "watcher");
        registry.add("hub.agents.users[0].password-hash", () -> hash);
        registry.add("hub.agents.users[0].role", () -> "supervisor");
        registry.add("hub.broker.websocket-allowed-origins", () -> "https://hub.example.org");
    }

    private final List<StompOverWebSocket> clients = new ArrayList<>();

    @AfterEach
    void disconnect() {
        clients.forEach(StompOverWebSocket::close);
        jdbc.sql("update agent_state set presence = 'OFFLINE'").update();
    }

    @Test
    void shouldCarryOutAnAgentsCommandSentOverStompAndAnswerItInTheAgentsInbox() throws Exception {
        var anna = open(null);
        assertThat(anna.connect("anna", "pw-anna").command()).isEqualTo("CONNECTED");
        assertThat(anna.subscribe("inbox", "/queue/contact-center.agents.anna").command()).isEqualTo("RECEIPT");

        // As browsers' clients send it (content-length: a BytesMessage) and without content-length (a TextMessage).
        anna.sendJson("/queue/contact-center.commands", "{\"type\":\"presence.set\",\"presence\":\"AVAILABLE\",\"requestId\":\"r1\"}", Map.of());
        anna.sendText("/queue/contact-center.commands", "{\"type\":\"presence.get\",\"requestId\":\"r2\"}");

        JsonNode set = readJson(anna.message("\"r1\"").body());
        assertThat(set.path("type").asText()).isEqualTo("command.result");
        assertThat(set.path("command").asText()).isEqualTo("presence.set");
        assertThat(set.path("ok").asBoolean()).isTrue();
        assertThat(set.path("presence").asText()).isEqualTo("AVAILABLE");
        JsonNode get = readJson(anna.message("\"r2\"").body());
        assertThat(get.path("ok").asBoolean()).isTrue();
        assertThat(presenceOf("anna")).isEqualTo("AVAILABLE");
    }

    @Test
    void shouldNotLetAnAgentReadAnotherAgentsInboxOrSendAnywhereButTheCommandsAndFiles() throws Exception {
        var anna = open(null);
        anna.connect("anna", "pw-anna");

        StompOverWebSocket.Frame refused = anna.subscribe("bens", "/queue/contact-center.agents.ben");

        assertThat(refused.command()).isEqualTo("ERROR");
        assertThat(refused.header("message")).endsWith("Error creating subscription bens");
        var again = open(null);
        again.connect("anna", "pw-anna");
        again.send("SEND", Map.of("destination", "/queue/contact-center.agents.ben", "receipt", "to-ben"),
                "{\"type\":\"command.result\",\"requestId\":\"fake\",\"ok\":true}");
        StompOverWebSocket.Frame notSent = again.await(frame -> frame.command().equals("ERROR") || frame.command().equals("RECEIPT"));
        assertThat(notSent.command()).isEqualTo("ERROR");
        assertThat(notSent.header("message")).startsWith("AMQ339011 Error sending message");
        assertThat(inboxRequestIds("ben")).doesNotContain("fake");
    }

    @Test
    void shouldCarryOutACommandWithAForgedSenderAsTheAgentWhoLoggedIn() throws Exception {
        var anna = open(null);
        anna.connect("anna", "pw-anna");
        anna.subscribe("inbox", "/queue/contact-center.agents.anna");

        anna.sendJson("/queue/contact-center.commands", "{\"type\":\"presence.set\",\"presence\":\"AVAILABLE\",\"requestId\":\"forged\"}",
                Map.of("_AMQ_VALIDATED_USER", "ben", "JMSXUserID", "ben"));

        assertThat(readJson(anna.message("\"forged\"").body()).path("ok").asBoolean()).isTrue();
        assertThat(presenceOf("anna")).isEqualTo("AVAILABLE");
        assertThat(presenceOf("ben")).isNotEqualTo("AVAILABLE");
        assertThat(inboxRequestIds("ben")).doesNotContain("forged");
    }

    @Test
    void shouldRefuseAWrongPassword() throws Exception {
        var stranger = open(null);

        StompOverWebSocket.Frame answer = stranger.connect("anna", "not-annas-password");

        assertThat(answer.command()).isEqualTo("ERROR");
        assertThat(answer.header("message")).isEqualTo("Security Error occurred: User name [anna] or password is invalid");
    }

    @Test
    void shouldRefuseAPageOfAForeignOriginBeforeItsLoginIsLookedAt() throws Exception {
        long stompBefore = stompConnections();
        var foreign = open("https://evil.example");

        StompOverWebSocket.Frame answer = foreign.connect("anna", "pw-anna");

        assertThat(answer.command()).isEqualTo("ERROR");
        assertThat(answer.header("message")).isEqualTo("origin not allowed: https://evil.example");
        // The broker drops the connection. (Whether the JDK's WebSocket client reports the closed socket to its
        // listener is the client's business; the broker's side is what counts.)
        Awaitility.await().until(() -> stompConnections() <= stompBefore);
        for (String allowed : List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "https://hub.example.org")) {
            assertThat(open(allowed).connect("anna", "pw-anna").command()).as(allowed).isEqualTo("CONNECTED");
        }
    }

    @Test
    void shouldLetASupervisorSubscribeToTheEventsTopic() throws Exception {
        var supervisor = open(null);
        supervisor.connect("watcher", SUPERVISOR_PASSWORD);

        assertThat(supervisor.subscribe("events", "/topic/contact-center.events").command()).isEqualTo("RECEIPT");
    }

    /** The broker's STOMP connections (the browsers' WebSocket ones among them). */
    private long stompConnections() {
        return broker.getActiveMQServer().getRemotingService().getConnections().stream()
                .filter(connection -> "STOMP".equalsIgnoreCase(connection.getProtocolName())).count();
    }

    private StompOverWebSocket open(String origin) throws Exception {
        var client = StompOverWebSocket.open(webSocket, origin);
        clients.add(client);
        return client;
    }

    /** The requestIds of the command results waiting in an agent's inbox (browsed, left there). */
    private List<String> inboxRequestIds(String agentId) {
        List<String> ids = jms.browse("contact-center.agents." + agentId, (session, browser) -> {
            var found = new ArrayList<String>();
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                found.add(readJson(((TextMessage) messages.nextElement()).getText()).path("requestId").asText());
            }
            return found;
        });
        return ids == null ? List.of() : ids;
    }
}
