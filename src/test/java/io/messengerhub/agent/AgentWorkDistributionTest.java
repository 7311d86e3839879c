package io.messengerhub.agent;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.client.AgentClient;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The agent loop over the real broker, agents logged in over TCP with the client library: offers, reject and
 * accept, capacity, presence, the countdown, conversation states, and the broker keeping agents out of each
 * other's inboxes.
 */
@TestPropertySource(properties = {
        "hub.agents.offer-timeout=2s",
        "hub.agents.distribution-interval=200",
        "hub.agents.queues[0].name=sales",
        "hub.agents.queues[0].assignment=highest-capacity",
        "hub.agents.queues[1].name=billing",
        "hub.agents.queues[1].assignment=round-robin",
})
class AgentWorkDistributionTest extends HubSystemTest {

    private static TestAgents agents;
    private static final AtomicLong PSIDS = new AtomicLong(System.nanoTime());

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
    }

    AgentSession anna;
    AgentSession ben;

    @BeforeEach
    void agentsLogIn() throws Exception {
        anna = agents.anna();
        ben = agents.ben();
    }

    @AfterEach
    void agentsLogOut() throws Exception {
        for (AgentSession agent : new AgentSession[] {anna, ben}) {
            for (JsonNode conversation : agent.result(agent.client().send("conversation.list", java.util.Map.of()))
                    .path("conversations")) {
                agent.result(agent.client().conversation("close", conversation.path("id").asText()));
            }
            agent.result(agent.client().setPresence("OFFLINE"));
            agent.close();
        }
    }

    @Test
    void shouldOfferTheAgentTheSameMessageAsTheQueuePlusItsCountdown() throws Exception {
        available(anna);
        String psid = customerWrites("One shape, please");

        JsonNode toAnna = anna.offerFor(psid);
        JsonNode onQueue = awaitOffers("sales", psid, 1).get(0);

        // Every field of the queue's conversation.offered, with the same values (the first message with its real
        // transcript sequence in both) ...
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) onQueue::fields) {
            if (!field.getKey().equals("offeredAt")) {
                assertThat(toAnna.path(field.getKey())).as(field.getKey()).isEqualTo(field.getValue());
            }
        }
        assertThat(toAnna.path("pageName").asText()).isEqualTo("Test Sales");
        assertThat(toAnna.path("offeredAt").isTextual()).isTrue();
        assertThat(toAnna.path("firstMessage").path("sequence").asLong()).isPositive();
        // ... and what only an offer to one agent has.
        assertThat(toAnna.path("offerId").asText()).isNotBlank();
        assertThat(toAnna.path("expiresAt").isTextual()).isTrue();
        assertThat(toAnna.path("countdownSeconds").asLong()).isEqualTo(2);
        assertThat(toAnna.path("otherConversations").isArray()).isTrue();
        assertThat(onQueue.has("offerId")).isFalse();
        assertThat(onQueue.has("otherConversations")).isFalse();
    }

    @Test
    void shouldAnswerTheAcceptBeforeGivingTheConversationAndOfferOnTheQueueOnce() throws Exception {
        available(anna);
        String psid = customerWrites("In order, please");
        JsonNode offer = anna.offerFor(psid);
        String conversationId = offer.path("conversationId").asText();
        // The queue's offer carries the id the broker de-duplicates by: the conversation opened once, so it is
        // offered on the queue once, however often the decision is made again.
        String duplicateId = jms.browse("contact-center.offers.sales", (session, browser) -> {
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                var message = (jakarta.jms.Message) messages.nextElement();
                if (((jakarta.jms.TextMessage) message).getText().contains(conversationId)) {
                    return message.getStringProperty("_AMQ_DUPL_ID");
                }
            }
            return null;
        });
        assertThat(duplicateId).isEqualTo("conversation.opened:" + conversationId);

        String accept = anna.client().accept(offer.path("offerId").asText());
        anna.await("conversation.assigned", m -> conversationId.equals(m.path("conversation").path("id").asText()));
        List<JsonNode> inbox = anna.inbox();
        int answered = indexOf(inbox, m -> accept.equals(m.path("requestId").asText()));
        int assigned = indexOf(inbox, m -> "conversation.assigned".equals(m.path("type").asText())
                && conversationId.equals(m.path("conversation").path("id").asText()));
        assertThat(answered).as("command.result of the accept (docs/agent-protocol.md, section 4)").isNotNegative()
                .isLessThan(assigned);
    }

    private static int indexOf(List<JsonNode> messages, java.util.function.Predicate<JsonNode> matching) {
        for (int i = 0; i < messages.size(); i++) {
            if (matching.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldOfferToTheNextAgentWhenTheFirstRejectsAndGiveTheConversationToTheOneWhoAccepts() throws Exception {
        available(anna, ben);
        String psid = customerWrites("Hello, anyone?");

        // Highest remaining capacity first: anna has 2 free, ben 1.
        JsonNode offerToAnna = anna.offerFor(psid);
        assertThat(offerToAnna.path("countdownSeconds").asLong()).isEqualTo(2);
        assertThat(offerToAnna.path("firstMessage").path("text").asText()).isEqualTo("Hello, anyone?");
        assertThat(ok(anna, anna.client().reject(offerToAnna.path("offerId").asText()))).isTrue();

        JsonNode offerToBen = ben.offerFor(psid);
        assertThat(ok(ben, ben.client().accept(offerToBen.path("offerId").asText()))).isTrue();

        JsonNode assigned = ben.await("conversation.assigned", m -> psid.equals(m.path("conversation").path("customerPsid").asText()));
        assertThat(assigned.path("conversation").path("state").asText()).isEqualTo("ACTIVE");
        assertThat(assigned.path("transcript").get(0).path("text").asText()).isEqualTo("Hello, anyone?");
        assertThat(assigned.path("attachments").isArray()).as("the conversation's files come with it").isTrue();
        String conversationId = assigned.path("conversation").path("id").asText();
        assertThat(stateOf(conversationId)).isEqualTo("ACTIVE");
        // Anna cannot take it any more.
        assertThat(ok(anna, anna.client().accept(offerToAnna.path("offerId").asText()))).isFalse();

        customerWritesAgain(psid, "Are you there?");
        JsonNode forwarded = ben.await("message.received", m -> conversationId.equals(m.path("conversationId").asText()));
        assertThat(forwarded.path("message").path("text").asText()).isEqualTo("Are you there?");
        assertThat(anna.received("message.received")).noneMatch(m -> conversationId.equals(m.path("conversationId").asText()));
    }

    @Test
    void shouldOfferAReturningCustomerToTheAgentWhoHadThemLast() throws Exception {
        available(ben);
        String psid = customerWrites("first visit");
        ok(ben, ben.client().accept(ben.offerFor(psid).path("offerId").asText()));
        String first = ben.await("conversation.assigned", m -> psid.equals(m.path("conversation").path("customerPsid").asText()))
                .path("conversation").path("id").asText();
        ok(ben, ben.client().conversation("close", first));

        // Anna now has more free capacity, but the customer goes back to ben.
        available(anna);
        customerWritesAgain(psid, "second visit");
        JsonNode offer = ben.await("conversation.offered", m -> psid.equals(m.path("customerPsid").asText())
                && !first.equals(m.path("conversationId").asText()));
        assertThat(offer.path("firstMessage").path("text").asText()).isEqualTo("second visit");
        assertThat(anna.received("conversation.offered")).noneMatch(m -> psid.equals(m.path("customerPsid").asText()));
    }

    @Test
    void shouldNotOfferToAnAgentWhoseCapacityIsFullUntilAConversationEnds() throws Exception {
        available(ben);
        String first = customerWrites("first");
        ok(ben, ben.client().accept(ben.offerFor(first).path("offerId").asText()));
        String firstId = ben.await("conversation.assigned", m -> first.equals(m.path("conversation").path("customerPsid").asText()))
                .path("conversation").path("id").asText();
        JsonNode presence = ben.result(ben.client().send("presence.get", java.util.Map.of()));
        assertThat(presence.path("presence").asText()).isEqualTo("DO_NOT_DISTURB");

        String second = customerWrites("second");
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> ben.received("conversation.offered").stream().noneMatch(m -> second.equals(m.path("customerPsid").asText())));

        assertThat(ok(ben, ben.client().conversation("end", firstId))).isTrue();
        assertThat(stateOf(firstId)).isEqualTo("WRAP_UP");
        assertThat(ben.offerFor(second).path("customerPsid").asText()).isEqualTo(second);
    }

    @Test
    void shouldOfferOnlyToAgentsWhosePresenceAllowsIt() throws Exception {
        anna.result(anna.client().setPresence("AWAY"));
        ben.result(ben.client().setPresence("DO_NOT_DISTURB"));
        String psid = customerWrites("hello");
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> anna.received("conversation.offered").isEmpty() && ben.received("conversation.offered").isEmpty());

        JsonNode result = anna.result(anna.client().setPresence("AVAILABLE"));
        assertThat(result.path("presence").asText()).isEqualTo("AVAILABLE");
        assertThat(anna.offerFor(psid)).isNotNull();
        assertThat(ok(anna, anna.client().setPresence("SLEEPING"))).isFalse();
    }

    @Test
    void shouldMoveTheOfferOnWhenTheCountdownRunsOut() throws Exception {
        available(anna, ben);
        String psid = customerWrites("hello");

        JsonNode first = anna.offerFor(psid);
        JsonNode withdrawn = anna.await("offer.withdrawn", m -> first.path("offerId").asText().equals(m.path("offerId").asText()));
        assertThat(withdrawn.path("reason").asText()).isEqualTo("timeout");
        assertThat(ben.offerFor(psid)).isNotNull();
        assertThat(ok(anna, anna.client().accept(first.path("offerId").asText()))).isFalse();
    }

    @Test
    void shouldFollowTheConversationStatesOfDynamics365() throws Exception {
        available(anna);
        String psid = customerWrites("hello");
        ok(anna, anna.client().accept(anna.offerFor(psid).path("offerId").asText()));
        String id = anna.await("conversation.assigned", m -> psid.equals(m.path("conversation").path("customerPsid").asText()))
                .path("conversation").path("id").asText();

        assertThat(ok(anna, anna.client().conversation("wait", id))).isTrue();
        assertThat(stateOf(id)).isEqualTo("WAITING");
        customerWritesAgain(psid, "back again");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(id).equals("ACTIVE"));

        assertThat(ok(anna, anna.client().transfer(id, "billing"))).isTrue();
        assertThat(stateOf(id)).isEqualTo("OPEN");
        JsonNode reoffer = anna.await("conversation.offered", m -> id.equals(m.path("conversationId").asText())
                && "billing".equals(m.path("queue").asText()));
        ok(anna, anna.client().accept(reoffer.path("offerId").asText()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(id).equals("ACTIVE"));

        assertThat(ok(anna, anna.client().conversation("close", id))).isTrue();
        assertThat(stateOf(id)).isEqualTo("CLOSED");
        assertThat(ok(anna, anna.client().conversation("release", id))).isFalse();
        assertThat(ok(ben, ben.client().conversation("close", id))).isFalse();
    }

    @Test
    void shouldRefuseAnAgentReadingAnotherAgentsInboxOrLoggingInWithAWrongPassword() throws Exception {
        var factory = new ActiveMQConnectionFactory(agents.brokerUrl(), "anna", "pw-anna");
        try (var connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue(AgentClient.INBOX_PREFIX + "ben")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("contact-center.offers.sales")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createProducer(session.createQueue(AgentClient.INBOX_PREFIX + "ben"))
                    .send(session.createTextMessage("{\"type\":\"conversation.offered\"}")))
                    .isInstanceOf(JMSSecurityException.class);
        }
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(agents.brokerUrl(), "anna", "wrong").createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(agents.brokerUrl()).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
    }

    private void available(AgentSession... agents) {
        for (AgentSession agent : agents) {
            try {
                assertThat(agent.result(agent.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private String customerWrites(String text) {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, text, System.currentTimeMillis()))));
        return psid;
    }

    private void customerWritesAgain(String psid, String text) {
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + System.nanoTime(), text, System.currentTimeMillis()))));
    }

    private static boolean ok(AgentSession agent, String requestId) {
        return agent.result(requestId).path("ok").asBoolean();
    }

    private String stateOf(String conversationId) {
        return jdbc.sql("select state from conversation where id = :id").param("id", conversationId).query(String.class).single();
    }
}
