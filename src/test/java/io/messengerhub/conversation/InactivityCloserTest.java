package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.IntegrationEvents;
import jakarta.jms.ConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Open and Waiting conversations without activity close by themselves, and integrations hear of it. */
@TestPropertySource(properties = {
        "hub.conversations.inactivity-timeout=4s",
        "hub.conversations.inactivity-check-interval=200",
})
class InactivityCloserTest extends HubSystemTest {

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void shouldCloseAnIdleOpenConversationAndOpenANewOneWhenTheCustomerWritesAgain() throws Exception {
        String psid = unique("idle");
        try (var events = new IntegrationEvents(connectionFactory, "contact-center.events", json)) {
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "hello?", System.currentTimeMillis()))));
            String first = awaitOffers("sales", psid, 1).get(0).path("conversationId").asText();
            assertThat(stateOf(first)).isEqualTo("OPEN");

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(first).equals("CLOSED"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !events.of("conversation.closed", first).isEmpty());

            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "still there?", System.currentTimeMillis()))));
            awaitOffers("sales", psid, 2);
            assertThat(conversationsOf(psid)).isEqualTo(2);
        }
    }

    private String stateOf(String id) {
        return jdbc.sql("select state from conversation where id = :id").param("id", id).query(String.class).single();
    }
}
