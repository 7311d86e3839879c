package io.messengerhub.agent;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.IntegrationEvents;
import io.messengerhub.support.TestAgents;
import jakarta.jms.ConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Presence follows the connection (heartbeats, grace period), declined conversations come round again, pick mode,
 * and integrations hear about conversations agents close.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "hub.agents.distribution-interval=200",
        "hub.agents.offer-timeout=1s",
        "hub.agents.heartbeat-timeout=2s",
        "hub.agents.reconnect-grace=4s",
        "hub.agents.reoffer-after=2s",
        "hub.agents.queues[0].name=sales",
        "hub.agents.queues[1].name=billing",
        "hub.agents.queues[1].mode=pick",
})
class AgentConnectionsTest extends HubSystemTest {

    private static final Duration FAST = Duration.ofMillis(200);
    private static final AtomicLong PSIDS = new AtomicLong(System.nanoTime());
    private static TestAgents agents;

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
    }

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void shouldKeepTheConversationsOfAnAgentWhoReturnsWithinTheGracePeriod() throws Exception {
        String conversationId;
        try (AgentSession anna = agents.anna(FAST)) {
            anna.result(anna.client().setPresence("AVAILABLE"));
            String psid = customerWrites("sales question");
            anna.result(anna.client().accept(anna.offerFor(psid).path("offerId").asText()));
            conversationId = anna.await("conversation.assigned", m -> psid.equals(m.path("conversation").path("customerPsid").asText()))
                    .path("conversation").path("id").asText();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> presenceOf("anna").equals("OFFLINE"));

        try (AgentSession anna = agents.anna(FAST)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> presenceOf("anna").equals("AVAILABLE"));
            JsonNode list = anna.result(anna.client().send("conversation.list", Map.of()));
            assertThat(list.path("conversations").get(0).path("id").asText()).isEqualTo(conversationId);
            assertThat(stateOf(conversationId)).isEqualTo("ACTIVE");
            anna.result(anna.client().conversation("close", conversationId));
            anna.result(anna.client().setPresence("OFFLINE"));
        }
    }

    @Test
    void shouldGiveTheConversationsOfAnAgentWhoDoesNotReturnToSomeoneElse() throws Exception {
        String psid;
        try (AgentSession anna = agents.anna(FAST)) {
            anna.result(anna.client().setPresence("AVAILABLE"));
            psid = customerWrites("sales question");
            anna.result(anna.client().accept(anna.offerFor(psid).path("offerId").asText()));
            anna.await("conversation.assigned", m -> true);
        }
        try (AgentSession ben = agents.ben(FAST)) {
            ben.result(ben.client().setPresence("AVAILABLE"));
            JsonNode offer = ben.offerFor(psid);
            assertThat(offer).isNotNull();
            String conversationId = offer.path("conversationId").asText();
            ben.result(ben.client().accept(offer.path("offerId").asText()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(conversationId).equals("ACTIVE"));
            assertThat(jdbc.sql("select agent_id from conversation where id = :id").param("id", conversationId)
                    .query(String.class).single()).isEqualTo("ben");
            ben.result(ben.client().conversation("close", conversationId));
            ben.result(ben.client().setPresence("OFFLINE"));
            try (AgentSession anna = agents.anna(FAST)) {
                JsonNode notice = anna.await("conversation.state-changed", m -> conversationId.equals(m.path("conversationId").asText()));
                assertThat(notice.path("by").asText()).isEqualTo("disconnected");
                anna.result(anna.client().setPresence("OFFLINE"));
            }
        }
    }

    @Test
    void shouldOfferAConversationAgainOnceEveryAgentLetItGo() throws Exception {
        try (AgentSession ben = agents.ben(FAST)) {
            ben.result(ben.client().setPresence("AVAILABLE"));
            String psid = customerWrites("anyone?");
            JsonNode first = ben.offerFor(psid);
            ben.result(ben.client().reject(first.path("offerId").asText()));

            JsonNode second = ben.await("conversation.offered", m -> psid.equals(m.path("customerPsid").asText())
                    && !first.path("offerId").asText().equals(m.path("offerId").asText()));
            assertThat(second.path("conversationId").asText()).isEqualTo(first.path("conversationId").asText());
            ben.result(ben.client().reject(second.path("offerId").asText()));
            ben.result(ben.client().setPresence("OFFLINE"));
        }
    }

    @Test
    void shouldLetAgentsPickFromAPickQueueAndTellIntegrationsWhenTheyClose() throws Exception {
        try (AgentSession anna = agents.anna(FAST); var events = new IntegrationEvents(connectionFactory, "contact-center.events", json)) {
            anna.result(anna.client().setPresence("AVAILABLE"));
            String psid = customerWrites("I want a refund");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> conversationsOf(psid) == 1);
            Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                    .until(() -> anna.received("conversation.offered").stream().noneMatch(m -> psid.equals(m.path("customerPsid").asText())));

            JsonNode pickable = anna.result(anna.client().send("queue.list", Map.of()));
            JsonNode conversation = null;
            for (JsonNode candidate : pickable.path("conversations")) {
                if (psid.equals(candidate.path("customerPsid").asText())) {
                    conversation = candidate;
                }
            }
            assertThat(conversation).as("the refund conversation is in anna's pick list").isNotNull();
            String conversationId = conversation.path("id").asText();
            anna.result(anna.client().setPresence("OFFLINE"));
            assertThat(anna.result(anna.client().send("conversation.pick", Map.of("conversationId", conversationId)))
                    .path("reason").asText()).isEqualTo("you are Offline: set your presence before picking work");
            anna.result(anna.client().setPresence("AWAY"));
            assertThat(anna.result(anna.client().send("conversation.pick", Map.of("conversationId", conversationId)))
                    .path("ok").asBoolean()).isTrue();
            assertThat(stateOf(conversationId)).isEqualTo("ACTIVE");

            anna.result(anna.client().conversation("close", conversationId));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !events.of("conversation.closed", conversationId).isEmpty());
            anna.result(anna.client().setPresence("OFFLINE"));
        }
    }

    private String customerWrites(String text) {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, text, System.currentTimeMillis()))));
        return psid;
    }

    private String stateOf(String conversationId) {
        return jdbc.sql("select state from conversation where id = :id").param("id", conversationId).query(String.class).single();
    }
}
