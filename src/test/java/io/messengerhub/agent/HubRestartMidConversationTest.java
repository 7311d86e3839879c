package io.messengerhub.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.HubApplication;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StandaloneHub;
import io.messengerhub.support.WebhookClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The hub restarts in the middle of a conversation: the agent's client reconnects by itself, the conversation is
 * still the agent's, the customer message that arrived meanwhile reaches the agent, and the reply goes out.
 */
class HubRestartMidConversationTest {

    private static final String PAGE = HubSystemTest.SALES_PAGE;
    private static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        GRAPH.start();
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.stop();
    }

    @Test
    void shouldLoseNothingWhenTheHubRestartsMidConversation() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_after_restart\"}")));
        Path dataDir = HubSystemTest.newDataDir();
        int brokerPort = io.messengerhub.support.TestAgents.freePort();
        String psid = String.valueOf(System.nanoTime());
        // The client keeps trying to reconnect while the hub (and its embedded broker) is down.
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=-1&retryInterval=200";
        String hash = PasswordHashes.hash("pw-anna");

        String conversationId;
        ConfigurableApplicationContext hub = startHub(dataDir, brokerPort, hash);
        try (AgentSession anna = new AgentSession(brokerUrl, "anna", "pw-anna")) {
            anna.result(anna.client().setPresence("AVAILABLE"));
            StandaloneHub.client(hub).postSigned(webhook(entry(PAGE, textAt(PAGE, psid, "m1-" + psid, "Before the restart",
                    System.currentTimeMillis()))));
            anna.result(anna.client().accept(anna.offerFor(psid).path("offerId").asText()));
            conversationId = anna.await("conversation.assigned", m -> true).path("conversation").path("id").asText();

            hub.close();
            hub = startHub(dataDir, brokerPort, hash);

            StandaloneHub.client(hub).postSigned(webhook(entry(PAGE, textAt(PAGE, psid, "m2-" + psid, "While you were away",
                    System.currentTimeMillis()))));
            JsonNode received = anna.await("message.received", m -> conversationId.equals(m.path("conversationId").asText()));
            assertThat(received.path("message").path("text").asText()).isEqualTo("While you were away");

            String reply = anna.client().sendText(conversationId, "I am still here");
            assertThat(anna.await("message.sent", m -> reply.equals(m.path("requestId").asText())).path("mid").asText())
                    .isEqualTo("m_after_restart");
            var jdbc = hub.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select state from conversation where id = :id").param("id", conversationId)
                    .query(String.class).single()).isEqualTo("ACTIVE");
            assertThat(jdbc.sql("select count(*) from message where conversation_id = :id").param("id", conversationId)
                    .query(Integer.class).single()).isEqualTo(3);
        } finally {
            hub.close();
        }
    }

    private static ConfigurableApplicationContext startHub(Path dataDir, int brokerPort, String annaHash) {
        return new SpringApplicationBuilder(HubApplication.class).run(
                "--server.port=0",
                "--hub.webhook.port=0",
                "--hub.data-dir=" + dataDir,
                "--hub.broker.tcp-acceptor=tcp://127.0.0.1:" + brokerPort,
                "--hub.broker.websocket-acceptor=",
                "--hub.facebook.app-secret=" + WebhookClient.APP_SECRET,
                "--hub.facebook.verify-token=" + WebhookClient.VERIFY_TOKEN,
                "--hub.facebook.graph-url=http://127.0.0.1:" + GRAPH.port() + "/v21.0",
                "--TEST_PAGE_TOKEN=page-token",
                "--hub.channels.pages[0].id=" + PAGE,
                "--hub.channels.pages[0].queue=sales",
                "--hub.channels.pages[0].access-token-env=TEST_PAGE_TOKEN",
                "--hub.agents.distribution-interval=200",
                "--hub.agents.queues[0].name=sales",
                "--hub.agents.members[0].id=anna",
                "--hub.agents.members[0].password-hash=" + annaHash,
                "--hub.agents.members[0].queues=sales",
                "--hub.agents.members[0].capacity=2",
                "--camel.main.shutdown-timeout=3");
    }
}
