package io.messengerhub.overflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.MovableClock;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operating hours and overflow with the real hub, broker and database, the hub's clock moved by the test and the Send
 * API stood in by WireMock. Queue sales is open Monday to Friday 08:00-18:00 in Berlin and answers (then waits) when it
 * is closed or nobody is there; billing is open 09:00-12:00 and sends its conversations to sales when it is closed.
 */
@DirtiesContext
@Import(OperatingHoursTest.Time.class)
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=hours-page-token",
        "hub.agents.distribution-interval=200",
        "hub.agents.queues[0].name=sales",
        "hub.agents.queues[1].name=billing",
        "hub.operating-hours.answers.test-closed.texts.default=" + OperatingHoursTest.CLOSED,
        "hub.operating-hours.answers.test-closed.texts.de=" + OperatingHoursTest.CLOSED_DE,
        "hub.operating-hours.answers.test-busy.texts.default=" + OperatingHoursTest.BUSY,
        "hub.operating-hours.answers.test-billing.texts.default=Billing is closed; our sales team will help you.",
        "hub.operating-hours.answers.test-billing.pages." + HubSystemTest.SALES_PAGE + ".en=" + OperatingHoursTest.BILLING_SALES_PAGE,
})
class OperatingHoursTest extends HubSystemTest {

    static final String CLOSED = "We are closed. We answer from 8:00.";
    static final String CLOSED_DE = "Wir haben geschlossen. Wir antworten ab 8 Uhr.";
    static final String BUSY = "Nobody is here right now; we will be with you soon.";
    static final String BILLING_SALES_PAGE = "Billing at Test Sales is closed; our sales team will help you now.";

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final AtomicLong PSIDS = new AtomicLong(System.nanoTime());
    private static TestAgents agents;

    static {
        // Left running for the JVM: OperatingHoursOnPostgresTest shares it.
        GRAPH.start();
    }

    /** Lists bind from one property source: the queues come from this one, which outranks HubSystemTest's. */
    @DynamicPropertySource
    static void hoursAgentsAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
        Map.ofEntries(
                Map.entry("queues[0].name", "sales"),
                Map.entry("queues[0].time-zone", "Europe/Berlin"),
                Map.entry("queues[0].open[0]", "MON-FRI 08:00-18:00"),
                Map.entry("queues[0].outside-hours.answer", "test-closed"),
                Map.entry("queues[0].outside-hours.action", "wait"),
                Map.entry("queues[0].nobody-available.answer", "test-busy"),
                Map.entry("queues[0].nobody-available.action", "wait"),
                Map.entry("queues[1].name", "billing"),
                Map.entry("queues[1].time-zone", "Europe/Berlin"),
                Map.entry("queues[1].open[0]", "MON-FRI 09:00-12:00"),
                Map.entry("queues[1].outside-hours.answer", "test-billing"),
                Map.entry("queues[1].outside-hours.action", "transfer"),
                Map.entry("queues[1].outside-hours.transfer-to", "sales"))
                .forEach((key, value) -> registry.add("hub.operating-hours." + key, () -> value));
    }

    /** Imported, not only nested: a subclass's context finds only its own nested configuration classes. */
    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
    }

    @Autowired
    Overflow overflow;

    @Autowired
    ConversationRepository conversations;

    @Autowired
    TransactionTemplate transaction;

    AgentSession anna;
    AgentSession ben;

    @BeforeEach
    void agentsLogIn() throws Exception {
        GRAPH.resetAll();
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_{{randomValue length=16 type='ALPHANUMERIC'}}\"}")));
        anna = agents.anna();
        ben = agents.ben();
    }

    @AfterEach
    void everybodyLeaves() throws Exception {
        anna.leave();
        ben.leave();
        // Conversations nobody took would be offered in the next test.
        for (String id : jdbc.sql("select id from conversation where state = 'OPEN'").query(String.class).list()) {
            closeByApi(id);
        }
    }

    @Test
    void shouldAnswerOutsideHoursOnceInTheCustomersLanguageAndOfferWhenTheQueueOpens() throws Exception {
        CLOCK.set(berlin("2026-12-01T19:30"));
        available(anna);
        String psid = customerWithLocale("de_DE");

        customerWrites(psid, "Hallo, ist jemand da?");

        JsonNode answer = awaitAnswers(psid, 1).get(0);
        assertThat(answer.path("message").path("text").asText()).isEqualTo(CLOSED_DE);
        assertThat(answer.path("messaging_type").asText()).isEqualTo("RESPONSE");
        assertThat(answer.has("tag")).as("an automated message never takes the HUMAN_AGENT tag").isFalse();

        customerWrites(psid, "Hallo??");
        awaitMessages(psid, 3);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> answersTo(psid).size() == 1 && offersTo(anna, psid).isEmpty());
        String conversationId = conversationOf(psid);
        assertThat(kindsOfOutgoing(conversationId)).containsExactly("automatic-answer");
        assertThat(decisionOf(conversationId)).containsEntry("reason", "OUTSIDE_HOURS").containsEntry("action", "WAIT")
                .containsEntry("queue", "sales").containsEntry("answer", "test-closed").containsEntry("answer_queued", true);

        // What a restarted hub or a second one would decide for the same conversation: the database says it is done.
        Conversation again = transaction.execute(status -> overflow.atOpening(conversations.findById(conversationId).orElseThrow()));
        assertThat(again.queue()).isEqualTo("sales");
        Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> answersTo(psid).size() == 1);

        // Wednesday 08:00 in Berlin: the conversation that waited overnight is offered. Anna's client last spoke
        // yesterday by the hub's clock, so she says she is there.
        CLOCK.set(berlin("2026-12-02T08:00"));
        available(anna);
        JsonNode offer = anna.offerFor(psid);
        assertThat(offer.path("conversationId").asText()).isEqualTo(conversationId);
        assertThat(offer.path("queue").asText()).isEqualTo("sales");
        assertThat(answersTo(psid)).hasSize(1);
    }

    @Test
    void shouldTransferAClosedQueuesConversationAndAnswerWithThePagesOwnText() throws Exception {
        // Tuesday 14:00 in Berlin: billing (09:00-12:00) is closed, sales is open.
        CLOCK.set(berlin("2026-12-01T14:00"));
        available(anna);
        String psid = customerWithLocale("en_GB");

        customerWrites(psid, "I want a refund");

        JsonNode offer = anna.offerFor(psid);
        assertThat(offer.path("queue").asText()).isEqualTo("sales");
        assertThat(awaitAnswers(psid, 1).get(0).path("message").path("text").asText()).isEqualTo(BILLING_SALES_PAGE);
        assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
        assertThat(offersFor("billing", psid)).isEmpty();
        String conversationId = conversationOf(psid);
        assertThat(decisionOf(conversationId)).containsEntry("reason", "OUTSIDE_HOURS").containsEntry("queue", "billing")
                .containsEntry("action", "TRANSFER").containsEntry("transferred_to", "sales");
        assertThat(jdbc.sql("select queue from conversation where id = :id").param("id", conversationId).query(String.class).single())
                .isEqualTo("sales");
    }

    @Test
    void shouldOfferAsBeforeWithoutAnyAnswerInsideHoursWhenAnAgentIsAvailable() throws Exception {
        CLOCK.set(berlin("2026-12-01T10:00"));
        available(anna);
        String psid = customerWithLocale("de_DE");

        customerWrites(psid, "Guten Morgen");

        JsonNode offer = anna.offerFor(psid);
        assertThat(offer.path("queue").asText()).isEqualTo("sales");
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> answersTo(psid).isEmpty());
        assertThat(decisionsFor(offer.path("conversationId").asText())).isZero();
    }

    @Test
    void shouldAnswerWhenNobodyIsThereWithTheDefaultTextAndOfferOnceSomebodyIs() throws Exception {
        // Open, but anna and ben are Offline; the customer's profile does not answer, so their language is unknown.
        CLOCK.set(berlin("2026-12-01T10:00"));
        String psid = String.valueOf(PSIDS.incrementAndGet());

        customerWrites(psid, "Hello?");

        assertThat(awaitAnswers(psid, 1).get(0).path("message").path("text").asText()).isEqualTo(BUSY);
        String conversationId = conversationOf(psid);
        assertThat(decisionOf(conversationId)).containsEntry("reason", "NOBODY_AVAILABLE").containsEntry("action", "WAIT");

        available(ben);
        assertThat(ben.offerFor(psid).path("conversationId").asText()).isEqualTo(conversationId);
        assertThat(answersTo(psid)).hasSize(1);

        // The decision goes with its conversation when the customer's data is erased.
        var erased = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/erasures"))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"psid\": \"" + psid + "\"}")).build());
        assertThat(erased.statusCode()).isEqualTo(200);
        assertThat(decisionsFor(conversationId)).isZero();
    }

    private String customerWithLocale(String locale) {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"first_name\":\"Kim\",\"last_name\":\"Roth\",\"locale\":\"" + locale + "\",\"id\":\"" + psid + "\"}")));
        return psid;
    }

    private void customerWrites(String psid, String text) {
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + System.nanoTime(), text, CLOCK.millis()))));
    }

    private static void available(AgentSession agent) throws Exception {
        assertThat(agent.result(agent.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
    }

    private static List<JsonNode> offersTo(AgentSession agent, String psid) {
        return agent.received("conversation.offered").stream().filter(m -> psid.equals(m.path("customerPsid").asText())).toList();
    }

    /** The Send API calls the hub made to this customer, in order. */
    private List<JsonNode> answersTo(String psid) {
        return GRAPH.findAll(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                        .withRequestBody(matchingJsonPath("$.recipient.id", equalTo(psid))))
                .stream().map(request -> readJson(request.getBodyAsString())).toList();
    }

    private List<JsonNode> awaitAnswers(String psid, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> answersTo(psid).size() >= count);
        return answersTo(psid);
    }

    private String conversationOf(String psid) {
        return jdbc.sql("select id from conversation where customer_psid = :psid").param("psid", psid).query(String.class).single();
    }

    private List<String> kindsOfOutgoing(String conversationId) {
        return jdbc.sql("select kind from message where conversation_id = :id and direction = 'OUT' order by id")
                .param("id", conversationId).query(String.class).list();
    }

    private Map<String, Object> decisionOf(String conversationId) {
        return jdbc.sql("select reason, queue, action, transferred_to, answer, answer_queued from conversation_overflow"
                + " where conversation_id = :id").param("id", conversationId).query().singleRow();
    }

    private int decisionsFor(String conversationId) {
        return jdbc.sql("select count(*) from conversation_overflow where conversation_id = :id").param("id", conversationId)
                .query(Integer.class).single();
    }

    private static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }
}
