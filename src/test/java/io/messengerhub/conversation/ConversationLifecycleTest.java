package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.IntegrationEvents;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
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
 * Every way a conversation is closed (the API, its agent, the inactivity timer) has the same consequences: pending
 * offers withdrawn, enrichment retries cancelled, integrations told once, the holding agent told; and of two closes
 * racing each other exactly one wins.
 */
@TestPropertySource(properties = {
        "hub.agents.offer-timeout=60s",
        "hub.agents.distribution-interval=200",
        "hub.agents.queues[0].name=sales",
        "hub.conversations.inactivity-timeout=1h",
})
class ConversationLifecycleTest extends HubSystemTest {

    private static TestAgents agents;

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
    }

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    InactivityCloser inactivity;

    @Autowired
    io.messengerhub.customer.EnrichmentRetries retries;

    private AgentSession anna;
    private IntegrationEvents events;

    @BeforeEach
    void annaIsAvailable() throws Exception {
        anna = agents.anna();
        anna.result(anna.client().setPresence("AVAILABLE"));
        events = new IntegrationEvents(connectionFactory, "contact-center.events", json);
    }

    @AfterEach
    void leave() throws Exception {
        events.close();
        anna.leave();
    }

    @Test
    void shouldWithdrawTheOfferCancelRetriesAndTellIntegrationsOnceWhenTheApiCloses() throws Exception {
        Offered offered = customerWritesAndAnnaIsOffered();

        var response = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations/"
                        + offered.conversationId + "/close")).header("Authorization", "Bearer " + WebhookClient.API_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertClosedWithAllConsequences(offered);
    }

    @Test
    void shouldWithdrawTheOfferCancelRetriesAndTellIntegrationsOnceWhenInactivityCloses() throws Exception {
        Offered offered = customerWritesAndAnnaIsOffered();
        jdbc.sql("update conversation set last_interaction_at = :long_ago where id = :id")
                .param("long_ago", Instant.now().minus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC))
                .param("id", offered.conversationId).update();

        inactivity.closeInactive();

        assertClosedWithAllConsequences(offered);
    }

    @Test
    void shouldCancelRetriesAndTellIntegrationsOnceWhenItsAgentCloses() throws Exception {
        Offered offered = customerWritesAndAnnaIsOffered();
        assertThat(anna.result(anna.client().accept(offered.offerId)).path("ok").asBoolean()).isTrue();

        JsonNode result = anna.result(anna.client().conversation("close", offered.conversationId));

        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        assertThat(stateOf(offered.conversationId)).isEqualTo("CLOSED");
        assertThat(retriesOf(offered.conversationId)).as("enrichment retries cancelled").isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !events.of("conversation.closed", offered.conversationId).isEmpty());
        Thread.sleep(500);
        assertThat(events.of("conversation.closed", offered.conversationId)).hasSize(1);
        // Anna has the answer to her command; conversation.state-changed is for closes by someone else.
        assertThat(anna.received("conversation.state-changed")).noneMatch(m -> offered.conversationId.equals(m.path("conversationId").asText()));
    }

    @Test
    void shouldLetExactlyOneOfRacingClosesWin() throws Exception {
        Offered offered = customerWritesAndAnnaIsOffered();
        int racers = 6;
        var barrier = new CyclicBarrier(racers);
        var answers = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < racers; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations/"
                                + offered.conversationId + "/close")).header("Authorization", "Bearer " + WebhookClient.API_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode();
            }));
        }

        List<Integer> statuses = answers.stream().map(CompletableFuture::join).toList();

        assertThat(statuses).containsOnly(200, 409);
        assertThat(statuses.stream().filter(status -> status == 200)).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !events.of("conversation.closed", offered.conversationId).isEmpty());
        Thread.sleep(500);
        assertThat(events.of("conversation.closed", offered.conversationId)).hasSize(1);
    }

    private record Offered(String conversationId, String offerId) {
    }

    private Offered customerWritesAndAnnaIsOffered() {
        String psid = unique("lifecycle");
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, "hello", System.currentTimeMillis()))));
        JsonNode offer = anna.offerFor(psid);
        String conversationId = offer.path("conversationId").asText();
        // A customer lookup still to be retried, as after a CRM outage.
        if (retriesOf(conversationId) == 0) {
            retries.schedule(conversationId, "CRM did not answer (test)");
        }
        assertThat(retriesOf(conversationId)).isEqualTo(1);
        return new Offered(conversationId, offer.path("offerId").asText());
    }

    private void assertClosedWithAllConsequences(Offered offered) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(offered.conversationId).equals("CLOSED"));
        assertThat(jdbc.sql("select state from conversation_offer where id = :id").param("id", offered.offerId)
                .query(String.class).single()).isEqualTo("WITHDRAWN");
        assertThat(anna.await("offer.withdrawn", m -> offered.offerId.equals(m.path("offerId").asText()))
                .path("reason").asText()).isEqualTo("closed");
        assertThat(retriesOf(offered.conversationId)).as("enrichment retries cancelled").isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !events.of("conversation.closed", offered.conversationId).isEmpty());
        Thread.sleep(500);
        assertThat(events.of("conversation.closed", offered.conversationId)).hasSize(1);
        // Anna's capacity is free again at once, not when the offer's countdown would have run out.
        assertThat(jdbc.sql("select count(*) from pending_offer where conversation_id = :id").param("id", offered.conversationId)
                .query(Integer.class).single()).isZero();
    }

    private String stateOf(String conversationId) {
        return jdbc.sql("select state from conversation where id = :id").param("id", conversationId).query(String.class).single();
    }

    private int retriesOf(String conversationId) {
        return jdbc.sql("select count(*) from enrichment_retry where conversation_id = :id").param("id", conversationId)
                .query(Integer.class).single();
    }
}
