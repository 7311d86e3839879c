package io.messengerhub.privacy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.fromCustomer;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import jakarta.jms.BytesMessage;
import jakarta.jms.TextMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 15, privacy finished: the consent question on the disclosure, answered through webhooks with quick-reply
 * payloads, recorded and shown to agents and over the API; a customer who declines is still served, and their
 * conversation goes once closed; erasure takes the customer's messages off the broker and says what it could not erase.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=sales-page-token",
        "hub.agents.distribution-interval=200",
        "hub.privacy.consent.pages=" + HubSystemTest.SALES_PAGE,
        "hub.privacy.consent.declined-answer=" + ConsentAndErasureTest.DECLINED_ANSWER,
})
class ConsentAndErasureTest extends HubSystemTest {

    static final String DISCLOSURE = "This conversation is recorded. Do you agree? \"Quotes\" & <b>markup</b> stay text.";
    static final String DECLINED_ANSWER = "Understood: an agent still helps you, and this conversation goes once it has ended.";
    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final AtomicLong PSIDS = new AtomicLong(System.nanoTime());
    private static TestAgents agents;

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void agentsAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
        registry.add("hub.privacy.disclosure", () -> DISCLOSURE);
    }

    @Autowired
    Retention retention;

    @org.springframework.beans.factory.annotation.Value("${hub.transcripts.archive-dir}")
    java.nio.file.Path archive;

    AgentSession anna;

    @BeforeEach
    void annaIsAvailable() throws Exception {
        GRAPH.resetAll();
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(sent()));
        anna = agents.anna();
        assertThat(anna.result(anna.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
    }

    @AfterEach
    void annaLeaves() throws Exception {
        anna.leave();
    }

    @Test
    void shouldAskForConsentWithQuickRepliesRecordTheAnswerAndShowAgentsTheConversationIsRecorded() throws Exception {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        customerWrites(psid, "Hello, my parcel is late");

        // The disclosure goes out with the two quick replies; their payloads name the answer and the question's version.
        JsonNode disclosure = disclosureTo(psid);
        assertThat(disclosure.path("message").path("text").asText()).isEqualTo(DISCLOSURE);
        JsonNode choices = disclosure.path("message").path("quick_replies");
        assertThat(choices.findValuesAsText("title")).containsExactly("I agree", "No thanks");
        assertThat(choices.findValuesAsText("content_type")).containsExactly("text", "text");
        String agree = choices.get(0).path("payload").asText();
        assertThat(agree).matches("HUB_CONSENT:agreed:[0-9a-f]{16}");
        String version = agree.substring(agree.lastIndexOf(':') + 1);
        assertThat(choices.get(1).path("payload").asText()).isEqualTo("HUB_CONSENT:declined:" + version);

        // The offer tells the agent the conversation is recorded and that the customer has not answered yet.
        JsonNode offer = anna.offerFor(psid);
        assertThat(offer.path("recorded").asBoolean()).isTrue();
        assertThat(offer.path("consent").path("state").asText()).isEqualTo("pending");
        assertThat(offer.path("consent").path("disclosureVersion").asText()).isEqualTo(version);
        String conversationId = offer.path("conversationId").asText();
        JsonNode onQueue = awaitOffers("sales", psid, 1).get(0);
        assertThat(onQueue.path("recorded").asBoolean()).isTrue();
        assertThat(onQueue.path("consent").path("state").asText()).isEqualTo("pending");
        assertThat(anna.result(anna.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();
        JsonNode view = anna.result(anna.client().openConversation(conversationId));
        assertThat(view.path("recorded").asBoolean()).isTrue();
        assertThat(view.path("consent").path("state").asText()).isEqualTo("pending");

        // A forged payload (wrong shape, hostile text) is a message like any other, not an answer.
        customerTapped(psid, "I agree", "HUB_CONSENT:agreed:\"}]<script>x");
        awaitMessages(psid, 3);
        assertThat(consentOverHttp(conversationId).path("state").asText()).isEqualTo("pending");

        customerTapped(psid, "I agree", agree);

        JsonNode told = anna.await("conversation.consent", m -> conversationId.equals(m.path("conversationId").asText()));
        assertThat(told.path("recorded").asBoolean()).isTrue();
        assertThat(told.path("consent").path("state").asText()).isEqualTo("agreed");
        assertThat(told.path("consent").path("answeredVersion").asText()).isEqualTo(version);
        JsonNode record = consentOverHttp(conversationId);
        assertThat(record.path("state").asText()).isEqualTo("agreed");
        assertThat(record.path("recorded").asBoolean()).isTrue();
        assertThat(record.path("customerPsid").asText()).isEqualTo(psid);
        assertThat(record.path("pageId").asText()).isEqualTo(SALES_PAGE);
        assertThat(record.path("disclosureText").asText()).isEqualTo(DISCLOSURE);
        assertThat(record.path("disclosureVersion").asText()).isEqualTo(version);
        assertThat(record.path("answeredVersion").asText()).isEqualTo(version);
        assertThat(record.path("choices").path("agreed").asText()).isEqualTo("I agree");
        assertThat(record.path("answeredAt").asText()).isNotEmpty();
        assertThat(anna.result(anna.client().openConversation(conversationId)).path("consent").path("state").asText()).isEqualTo("agreed");
        // The answer is in the transcript too, with its payload; agreeing sends nothing more.
        JsonNode transcript = readJson(facebook.getApi("/api/conversations/" + conversationId + "/messages", WebhookClient.API_TOKEN).body());
        assertThat(transcript.findValuesAsText("quickReplyPayload")).contains(agree);
        assertThat(GRAPH.findAll(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.recipient.id", equalTo(psid))))).hasSize(1);
        // The archived transcript keeps the answer.
        anna.result(anna.client().conversation("close", conversationId));
        JsonNode archived = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> readJson(facebook.getApi(
                "/api/transcripts/" + conversationId, WebhookClient.API_TOKEN).body()), document -> document.has("consent"));
        assertThat(archived.path("consent").path("state").asText()).isEqualTo("agreed");
        assertThat(facebook.getApi("/api/conversations/no-such-conversation/consent", WebhookClient.API_TOKEN).statusCode()).isEqualTo(404);
        assertThat(facebook.getApi("/api/conversations/" + conversationId + "/consent", "wrong-token").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldServeACustomerWhoDeclinesTellThemAndDeleteTheConversationOnceClosed() throws Exception {
        String declining = String.valueOf(PSIDS.incrementAndGet());
        String agreeing = String.valueOf(PSIDS.incrementAndGet());
        String declined = conversationWith(declining, "I need help with an invoice");
        String agreed = conversationWith(agreeing, "I need help too");
        String version = versionOf(disclosureTo(declining));

        customerTapped(declining, "No thanks", "HUB_CONSENT:declined:" + version);
        customerTapped(agreeing, "I agree", "HUB_CONSENT:agreed:" + versionOf(disclosureTo(agreeing)));

        // The agent sees it and goes on helping: the conversation is still hers, replies still go out.
        assertThat(anna.await("conversation.consent", m -> declined.equals(m.path("conversationId").asText()))
                .path("consent").path("state").asText()).isEqualTo("declined");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !GRAPH.findAll(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.recipient.id", equalTo(declining)))
                .withRequestBody(matchingJsonPath("$.message.text", equalTo(DECLINED_ANSWER)))).isEmpty());
        String reply = anna.client().sendText(declined, "Of course, let me look at your invoice.");
        assertThat(anna.result(reply).path("ok").asBoolean()).isTrue();
        anna.await("message.sent", m -> reply.equals(m.path("requestId").asText()));
        assertThat(consentOverHttp(declined).path("state").asText()).isEqualTo("declined");
        // Declining twice tells the customer once.
        customerTapped(declining, "No thanks", "HUB_CONSENT:declined:" + version);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from message where conversation_id = :id"
                + " and quick_reply_payload like 'HUB_CONSENT:declined:%'").param("id", declined).query(Integer.class).single() == 2);
        assertThat(GRAPH.findAll(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.message.text", equalTo(DECLINED_ANSWER))))).hasSize(1);

        // Open work is kept; once closed, it is not archived, and the next retention run deletes it (declined-max-age
        // 0s), not the other.
        retention.purge();
        assertThat(conversationsOf(declining)).isEqualTo(1);
        anna.result(anna.client().conversation("close", declined));
        anna.result(anna.client().conversation("close", agreed));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> archivedFilesOf(agreed) == 2);
        assertThat(archivedFilesOf(declined)).isZero();
        var notArchived = facebook.getApi("/api/transcripts/" + declined, WebhookClient.API_TOKEN);
        assertThat(notArchived.statusCode()).isEqualTo(404);
        assertThat(readJson(notArchived.body()).path("reason").asText()).contains("declined recording");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            retention.purge();
            assertThat(conversationsOf(declining)).isZero();
        });
        assertThat(jdbc.sql("select count(*) from conversation_consent where customer_psid = :psid").param("psid", declining)
                .query(Integer.class).single()).isZero();
        assertThat(conversationsOf(agreeing)).isEqualTo(1);
        assertThat(consentOverHttp(agreed).path("state").asText()).isEqualTo("agreed");
    }

    @Test
    void shouldEraseTheCustomersMessagesFromTheBrokerLeaveOthersAndSayWhatItCouldNotErase() throws Exception {
        String erased = String.valueOf(PSIDS.incrementAndGet());
        String other = String.valueOf(PSIDS.incrementAndGet());
        // Two real failures (a Page id longer than the database takes): one webhook with both customers' items, one
        // with only the erased customer's; the hub dead-letters both after its attempts.
        String tooLongPage = "7".repeat(80);
        String mixed = webhook(entry(tooLongPage, text(tooLongPage, erased, "m-e1-" + erased, "my address is Main St 1"),
                text(tooLongPage, other, "m-o1-" + other, "someone else")));
        String onlyErased = webhook(entry(tooLongPage, text(tooLongPage, erased, "m-e2-" + erased, "my phone is 0171")));
        assertThat(facebook.postSigned(mixed).statusCode()).isEqualTo(200);
        assertThat(facebook.postSigned(onlyErased).statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> bodiesOn("hub.webhook.dead-letter").stream()
                .filter(body -> body.contains(erased)).count() == 2);
        // Replies given up on, as the facebook-send route dead-letters them.
        deadLetterReply(erased, "conversation-of-erased");
        deadLetterReply(other, "conversation-of-other");
        // Anna holds a conversation of each, then her client goes away: what follows waits in her inbox.
        String erasedConversation = conversationWith(erased, "Please delete my data");
        String otherConversation = conversationWith(other, "Keep mine");
        anna.close();
        customerWrites(erased, "Are you there? My IBAN is DE00 1234");
        customerWrites(other, "Still here");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bodiesOn("contact-center.agents.anna").stream()
                .anyMatch(body -> body.contains("IBAN")) && bodiesOn("contact-center.agents.anna").stream().anyMatch(body -> body.contains("Still here")));
        assertThat(inboxNaming(otherConversation)).isPositive();
        // Every new conversation's offer stays on its queue's address for supervisors' tools (hub.dispatch.queue-notification-ttl).
        assertThat(offersFor("sales", erased)).isNotEmpty();
        assertThat(offersFor("sales", other)).isNotEmpty();

        var answer = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/erasures"))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"psid\":\"" + erased + "\"}")).build());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode record = readJson(answer.body());
        JsonNode broker = record.path("broker");
        assertThat(broker.path("webhookDeadLetters").asInt()).isEqualTo(2);
        assertThat(broker.path("replyDeadLetters").asInt()).isEqualTo(1);
        assertThat(broker.path("offers").asInt()).isPositive();
        assertThat(broker.path("agentInboxes").asInt()).isPositive();
        assertThat(record.path("deleted").path("consents").asInt()).isEqualTo(1);
        // Nothing of the erased customer is left on those queues; the other customer's messages are all there.
        List<String> webhooks = bodiesOn("hub.webhook.dead-letter");
        assertThat(webhooks).noneMatch(body -> body.contains(erased));
        String rest = webhooks.stream().filter(body -> body.contains(other)).findFirst().orElseThrow();
        assertThat(readJson(rest).path("entry").get(0).path("messaging")).hasSize(1);
        assertThat(rest).contains("someone else").doesNotContain("Main St");
        assertThat(bodiesOn("hub.send.dead-letter")).noneMatch(body -> body.contains(erased)).anyMatch(body -> body.contains(other));
        assertThat(offersFor("sales", erased)).isEmpty();
        assertThat(offersFor("sales", other)).isNotEmpty();
        assertThat(bodiesOn("contact-center.agents.anna")).noneMatch(body -> body.contains("IBAN"))
                .anyMatch(body -> body.contains("Still here"));
        assertThat(bodiesOn("contact-center.agents.anna").stream().filter(body -> body.contains(erasedConversation)))
                .as("only conversation.erased names it").allMatch(body -> body.contains("\"type\":\"conversation.erased\""));
        // What it could not erase, place by place; and the same in the kept record, which names nobody.
        List<String> notErased = new ArrayList<>();
        record.path("notErased").forEach(line -> notErased.add(line.asText()));
        assertThat(notErased).anyMatch(line -> line.startsWith("Facebook:"))
                .anyMatch(line -> line.contains("contact-center.events"))
                .anyMatch(line -> line.contains("journal"))
                .anyMatch(line -> line.contains("backups"));
        JsonNode listed = readJson(facebook.getApi("/api/erasures", WebhookClient.API_TOKEN).body());
        JsonNode kept = null;
        for (JsonNode each : listed) {
            if (record.path("id").asText().equals(each.path("id").asText())) {
                kept = each;
            }
        }
        assertThat(kept).isNotNull();
        assertThat(kept.path("broker")).isEqualTo(broker);
        assertThat(kept.path("notErased")).isEqualTo(record.path("notErased"));
        assertThat(kept.toString()).doesNotContain(erased).doesNotContain(erasedConversation);

        // Anna comes back for the rest of the test class.
        anna = agents.anna();
    }

    private long archivedFilesOf(String conversationId) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(archive)) {
            return 0;
        }
        try (var files = java.nio.file.Files.walk(archive)) {
            return files.filter(file -> file.getFileName().toString().startsWith(conversationId)).count();
        }
    }

    private JsonNode consentOverHttp(String conversationId) {
        var response = facebook.getApi("/api/conversations/" + conversationId + "/consent", WebhookClient.API_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return readJson(response.body());
    }

    /** The disclosure the Graph stand-in received for this customer. */
    private JsonNode disclosureTo(String psid) {
        List<LoggedRequest> found = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> GRAPH.findAll(
                postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                        .withRequestBody(matchingJsonPath("$.recipient.id", equalTo(psid)))
                        .withRequestBody(matchingJsonPath("$.message.quick_replies"))), list -> !list.isEmpty());
        return readJson(found.get(0).getBodyAsString());
    }

    private static String versionOf(JsonNode disclosure) {
        String payload = disclosure.path("message").path("quick_replies").get(0).path("payload").asText();
        return payload.substring(payload.lastIndexOf(':') + 1);
    }

    private void customerWrites(String psid, String text) {
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid + "-" + System.nanoTime(), text,
                System.currentTimeMillis()))));
    }

    /** The customer taps a quick reply: Messenger sends its title as text and its payload. */
    private void customerTapped(String psid, String title, String payload) {
        String body = "\"message\":{\"mid\":\"m-qr-" + System.nanoTime() + "\",\"text\":" + json(title)
                + ",\"quick_reply\":{\"payload\":" + json(payload) + "}}";
        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, fromCustomer(SALES_PAGE, psid, System.currentTimeMillis(), body))))
                .statusCode()).isEqualTo(200);
    }

    private String json(String text) {
        return json.getNodeFactory().textNode(text).toString();
    }

    /** A new conversation whose customer wrote the text, accepted by anna. */
    private String conversationWith(String psid, String text) {
        var seen = anna.received("conversation.offered").stream().map(m -> m.path("offerId").asText()).toList();
        customerWrites(psid, text);
        JsonNode offer = anna.await("conversation.offered", m -> psid.equals(m.path("customerPsid").asText())
                && !seen.contains(m.path("offerId").asText()));
        try {
            assertThat(anna.result(anna.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return offer.path("conversationId").asText();
    }

    private void deadLetterReply(String psid, String conversationId) {
        String request = "{\"kind\":\"message\",\"requestId\":\"r-" + System.nanoTime() + "\",\"agentId\":\"anna\",\"conversationId\":\""
                + conversationId + "\",\"pageId\":\"" + SALES_PAGE + "\",\"customerPsid\":\"" + psid
                + "\",\"text\":\"Your refund is on its way\",\"messagingType\":\"RESPONSE\"}";
        jms.send("hub.send.dead-letter", session -> {
            TextMessage message = session.createTextMessage(request);
            message.setStringProperty("hubDeadLetterReason", "not sent, gave up after retrying: HTTP 500");
            return message;
        });
    }

    private List<String> bodiesOn(String queue) {
        List<String> bodies = jms.browse(queue, (session, browser) -> {
            var found = new ArrayList<String>();
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                Object message = messages.nextElement();
                if (message instanceof TextMessage text) {
                    found.add(text.getText());
                } else if (message instanceof BytesMessage bytes) {
                    byte[] content = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(content);
                    found.add(new String(content, StandardCharsets.UTF_8));
                }
            }
            return found;
        });
        return bodies == null ? List.of() : bodies;
    }

    private long inboxNaming(String conversationId) {
        return bodiesOn("contact-center.agents.anna").stream().filter(body -> body.contains(conversationId)).count();
    }

    private static ResponseDefinitionBuilder sent() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_{{randomValue length=16 type='ALPHANUMERIC'}}\"}");
    }
}
