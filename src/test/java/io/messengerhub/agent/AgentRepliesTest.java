package io.messengerhub.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.echo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An agent's replies reach the customer through the Send API (a local stand-in here): the 24 h / 7 day windows
 * are applied before Facebook is called, and every Graph error class comes back to the agent as it should.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=sales-page-token",
        "TEST_STRICT_PAGE_TOKEN=strict-page-token",
        "hub.channels.pages[1].id=" + AgentRepliesTest.STRICT_PAGE,
        "hub.channels.pages[1].access-token-env=TEST_STRICT_PAGE_TOKEN",
        "hub.channels.pages[1].queue=sales",
        "hub.channels.pages[1].human-agent-tag=false",
        "hub.agents.distribution-interval=200",
        "hub.send.max-attempts=3",
        "hub.send.retry-delay=100ms",
        "hub.send.max-retry-delay=200ms",
})
class AgentRepliesTest extends HubSystemTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties artemis;

    static final String STRICT_PAGE = "200000000000002";
    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final AtomicLong PSIDS = new AtomicLong(System.nanoTime());
    private static TestAgents agents;

    static {
        GRAPH.start();
    }

    /** A policy file of this test's own, so switching agents' files off touches no other test. */
    static final java.nio.file.Path POLICY = copyOfTestPolicy();

    @DynamicPropertySource
    static void agentsAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        registry.add("hub.attachments.policy-file", POLICY::toString);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    AgentSession anna;
    io.messengerhub.support.IntegrationEvents integrationEvents;

    @org.springframework.beans.factory.annotation.Autowired
    jakarta.jms.ConnectionFactory connectionFactory;

    @org.springframework.beans.factory.annotation.Autowired
    io.messengerhub.attachment.AttachmentPolicyFile policyFile;

    @BeforeEach
    void annaIsAvailable() throws Exception {
        GRAPH.resetAll();
        jdbc.sql("delete from page_status").update();
        anna = agents.anna();
        assertThat(anna.result(anna.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
    }

    @AfterEach
    void annaLeaves() throws Exception {
        anna.leave();
        if (integrationEvents != null) {
            integrationEvents.close();
        }
    }

    @Test
    void shouldAnswerWithinTwentyFourHoursAsAResponseAndKeepItOnceInTheTranscript() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(sent("m_reply_1")));
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(5)));

        String request = anna.client().sendText(conversation.id, "Hallo Frau Groß, ich helfe gern!");

        assertThat(anna.result(request).path("ok").asBoolean()).isTrue();
        JsonNode sent = anna.await("message.sent", m -> request.equals(m.path("requestId").asText()));
        assertThat(sent.path("mid").asText()).isEqualTo("m_reply_1");
        assertThat(sent.path("messagingType").asText()).isEqualTo("RESPONSE");
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withHeader("Authorization", equalTo("Bearer sales-page-token"))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + conversation.psid + "\"},\"messaging_type\":\"RESPONSE\","
                        + "\"message\":{\"text\":\"Hallo Frau Groß, ich helfe gern!\"}}")));

        // Facebook echoes the Page's own message: it is in the transcript once.
        facebook.postSigned(webhook(entry(SALES_PAGE, echo(SALES_PAGE, conversation.psid, "m_reply_1", "Hallo Frau Groß, ich helfe gern!",
                System.currentTimeMillis()))));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(conversation.psid, "echo") == 1);
        assertThat(jdbc.sql("select count(*) from message where conversation_id = :id and mid = 'm_reply_1'")
                .param("id", conversation.id).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void shouldTagHumanAgentRepliesBetweenTwentyFourHoursAndSevenDaysWhenThePageAllowsIt() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(sent("m_tagged")));
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofHours(30)));

        String request = anna.client().sendText(conversation.id, "Sorry for the wait");

        assertThat(anna.await("message.sent", m -> request.equals(m.path("requestId").asText())).path("messagingType").asText())
                .isEqualTo("MESSAGE_TAG");
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.tag", equalTo("HUMAN_AGENT")))
                .withRequestBody(matchingJsonPath("$.messaging_type", equalTo("MESSAGE_TAG"))));
    }

    @Test
    void shouldRefuseBeforeCallingFacebookOutsideTheWindows() throws Exception {
        var strict = conversationWith(STRICT_PAGE, Instant.now().minus(Duration.ofHours(30)));
        JsonNode refused = anna.result(anna.client().sendText(strict.id, "late"));
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("reason").asText()).contains("HUMAN_AGENT");

        var old = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofDays(8)));
        JsonNode tooOld = anna.result(anna.client().sendText(old.id, "very late"));
        assertThat(tooOld.path("ok").asBoolean()).isFalse();
        assertThat(tooOld.path("reason").asText()).contains("7 days");

        GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));
        GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + STRICT_PAGE + "/messages")));
    }

    @Test
    void shouldReportFinalErrorsToTheAgent() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(graphError(400, 10, 2018278,
                "(#10) This message is sent outside of allowed window.")));
        String outsideWindow = anna.client().sendText(conversation.id, "one");
        JsonNode failed = anna.await("message.failed", m -> outsideWindow.equals(m.path("requestId").asText()));
        assertThat(failed.path("final").asBoolean()).isTrue();
        assertThat(failed.path("reason").asText()).contains("2018278");

        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(graphError(400, 551, 1545041,
                "This person isn't available right now.")));
        String unavailable = anna.client().sendText(conversation.id, "two");
        assertThat(anna.await("message.failed", m -> unavailable.equals(m.path("requestId").asText())).path("code").asInt())
                .isEqualTo(551);
        GRAPH.verify(2, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));
    }

    @Test
    void shouldRetryRateLimitsAndServerErrorsThenSend() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        String path = "/v21.0/" + SALES_PAGE + "/messages";
        GRAPH.stubFor(post(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(graphError(400, 613, 0, "Calls to this api have exceeded the rate limit.")).willSetStateTo("5xx"));
        GRAPH.stubFor(post(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("5xx")
                .willReturn(aResponse().withStatus(502).withBody("bad gateway")).willSetStateTo("ok"));
        GRAPH.stubFor(post(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("ok").willReturn(sent("m_after_retry")));

        String request = anna.client().sendText(conversation.id, "third time lucky");

        assertThat(anna.await("message.sent", m -> request.equals(m.path("requestId").asText())).path("mid").asText())
                .isEqualTo("m_after_retry");
        GRAPH.verify(3, postRequestedFor(urlPathEqualTo(path)));
        assertThat(anna.received("message.failed")).noneMatch(m -> request.equals(m.path("requestId").asText()));
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptTellTheAgentAndDeadLetterTheReply() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        // 503: the status an HTTP client retries by itself unless told not to; only the hub's back-off may retry.
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(503).withBody("down")));

        String request = anna.client().sendText(conversation.id, "into the void");

        JsonNode failed = anna.await("message.failed", m -> request.equals(m.path("requestId").asText()));
        assertThat(failed.path("reason").asText()).contains("gave up").contains("503");
        GRAPH.verify(3, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));
        var deadLetter = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            jms.setReceiveTimeout(500);
            return jms.receive("hub.send.dead-letter");
        }, java.util.Objects::nonNull);
        assertThat(deadLetter.getStringProperty("hubDeadLetterReason")).contains("503");
        assertThat(deadLetter.getBody(String.class)).contains(request).contains("into the void");
    }

    @Test
    void shouldGiveUpWhenFacebookCannotBeReachedTellTheAgentAndDeadLetterTheReplyWithTheReason() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        // No HTTP answer at all (as with a network outage): the call itself throws.
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        String request = anna.client().sendText(conversation.id, "nobody home");

        JsonNode failed = anna.await("message.failed", m -> request.equals(m.path("requestId").asText()));
        assertThat(failed.path("final").asBoolean()).isTrue();
        jms.setReceiveTimeout(500);
        var deadLetter = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            var message = jms.receive("hub.send.dead-letter");
            return message != null && message.getBody(String.class).contains(request) ? message : null;
        }, java.util.Objects::nonNull);
        assertThat(deadLetter.getStringProperty("hubDeadLetterReason")).isNotBlank();
    }

    @Test
    void shouldGiveUpWithoutCallingFacebookAgainWhenTheLastAttemptWasCutShort() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(sent("m_never")));
        // The hub's deliveries of this reply were cut short (as by kills) as often as it may try: the reply is
        // taken off the queue and put back, max-attempts times, before the hub's route sees it.
        camel.getRouteController().stopRoute("facebook-send");
        String request;
        // A connection of its own (in-VM), not the test's cached one, whose consumer would stay behind.
        try (var connection = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                "vm://" + artemis.getEmbedded().getServerId()).createConnection();
             var session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED)) {
            request = anna.client().sendText(conversation.id, "cut short");
            connection.start();
            var consumer = session.createConsumer(session.createQueue("hub.send.outbound"));
            for (int delivery = 1; delivery <= 3; delivery++) {
                var message = consumer.receive(10_000);
                assertThat(message).as("delivery %d", delivery).isNotNull();
                assertThat(((jakarta.jms.TextMessage) message).getText()).contains(request);
                session.rollback();
            }
            consumer.close();
        } finally {
            camel.getRouteController().startRoute("facebook-send");
        }

        String sent = request;
        JsonNode failed = anna.await("message.failed", m -> sent.equals(m.path("requestId").asText()));
        assertThat(failed.path("reason").asText()).contains("cut short");
        jms.setReceiveTimeout(500);
        var deadLetter = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            var message = jms.receive("hub.send.dead-letter");
            return message != null && message.getBody(String.class).contains(sent) ? message : null;
        }, java.util.Objects::nonNull);
        assertThat(deadLetter.getStringProperty("hubDeadLetterReason")).contains("gave up after 4 deliveries");
        GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(containing("cut short")));
    }

    @Test
    void shouldFlagThePageWhenFacebookRejectsItsTokenAndRefuseFurtherSends() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        integrationEvents = new io.messengerhub.support.IntegrationEvents(connectionFactory, "contact-center.events", json);
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(graphError(400, 190, 460,
                "Error validating access token: The session has been invalidated because the user changed their password.")));

        String request = anna.client().sendText(conversation.id, "hello?");
        JsonNode failed = anna.await("message.failed", m -> request.equals(m.path("requestId").asText()));
        assertThat(failed.path("reason").asText()).contains("re-authorisation");

        JsonNode refused = anna.result(anna.client().sendText(conversation.id, "again"));
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("reason").asText()).contains("needs re-authorisation");
        GRAPH.verify(1, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));
        JsonNode health = readJson(facebook.getOperator("/actuator/health").body());
        assertThat(health.path("components").path("facebookPages").path("status").asText()).isEqualTo("REAUTHORISATION_REQUIRED");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !integrationEvents.received().isEmpty());
        assertThat(integrationEvents.received()).anySatisfy(event -> {
            assertThat(event.path("type").asText()).isEqualTo("page.reauthorisation-required");
            assertThat(event.path("pageId").asText()).isEqualTo(SALES_PAGE);
        });
        assertThat(health.path("components").path("facebookPages").path("details").path(SALES_PAGE).asText()).contains("re-authorisation");
    }

    @Test
    void shouldSendTypingIndicatorsAndMarkSeen() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\"}")));
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));

        assertThat(anna.result(anna.client().send("typing", Map.of("conversationId", conversation.id, "on", true))).path("ok").asBoolean()).isTrue();
        assertThat(anna.result(anna.client().send("conversation.seen", Map.of("conversationId", conversation.id))).path("ok").asBoolean()).isTrue();

        for (String action : new String[] {"typing_on", "mark_seen"}) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> GRAPH.verify(postRequestedFor(
                    urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).withRequestBody(matchingJsonPath("$.sender_action", equalTo(action)))));
        }
    }

    @Test
    void shouldUploadAnAgentsFileAndRefuseFilesThePolicyForbids() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(sent("m_file")));
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("agent-files-");
        java.nio.file.Path photo = java.nio.file.Files.write(dir.resolve("parcel label.png"), io.messengerhub.support.TestFiles.onePixelPng());

        // What a client shows before the agent picks a file: the policy as agents are bound by it.
        JsonNode policy = anna.result(anna.client().send("files.policy", java.util.Map.of()));
        assertThat(policy.path("agentsMaySend").asBoolean()).isTrue();
        assertThat(policy.path("maxSizeBytes").asLong()).isEqualTo(25L * 1024 * 1024);
        assertThat(policy.path("blockedExtensions").toString()).isEqualTo("[\"exe\"]");
        assertThat(policy.path("allowedContentTypes").toString()).contains("image/png");

        String request = anna.client().sendFile(conversation.id, photo);

        JsonNode sent = anna.await("message.sent", m -> request.equals(m.path("requestId").asText()));
        assertThat(sent.path("mid").asText()).isEqualTo("m_file");
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("multipart/form-data"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("name=\"filedata\""))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("\"type\":\"image\""))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("RESPONSE")));
        assertThat(jdbc.sql("select attachments from message where conversation_id = :id and mid = 'm_file'")
                .param("id", conversation.id).query(String.class).single()).contains("parcel label.png").contains("image/png");

        java.nio.file.Path tool = java.nio.file.Files.writeString(dir.resolve("tool.exe"), "MZ not really");
        String blocked = anna.client().sendFile(conversation.id, tool);
        assertThat(anna.await("message.failed", m -> blocked.equals(m.path("requestId").asText())).path("reason").asText())
                .contains("blocked-extension");
        java.nio.file.Path fake = java.nio.file.Files.writeString(dir.resolve("photo.png"), "%PDF-1.4 pretending to be a picture");
        String mismatch = anna.client().sendFile(conversation.id, fake);
        assertThat(anna.await("message.failed", m -> mismatch.equals(m.path("requestId").asText())).path("reason").asText())
                .contains("type-mismatch");
        GRAPH.verify(1, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));

        String original = java.nio.file.Files.readString(POLICY);
        try {
            io.messengerhub.support.PolicyFiles.write(policyFile, POLICY, original.replace("agents-may-send: true", "agents-may-send: false"));
            String switchedOff = anna.client().sendFile(conversation.id, photo);
            assertThat(anna.await("message.failed", m -> switchedOff.equals(m.path("requestId").asText())).path("reason").asText())
                    .contains("agents may not send attachments");
            assertThat(anna.result(anna.client().send("files.policy", java.util.Map.of())).path("agentsMaySend").asBoolean())
                    .isFalse();
        } finally {
            io.messengerhub.support.PolicyFiles.write(policyFile, POLICY, original);
        }
        GRAPH.verify(1, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));
    }

    @Test
    void shouldKeepNotesWithTheConversationAndNeverSendThem() throws Exception {
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));

        JsonNode added = anna.result(anna.client().send("note.add", Map.of("conversationId", conversation.id,
                "text", "Customer is upset about parcel 4711; offer a voucher.")));

        assertThat(added.path("ok").asBoolean()).isTrue();
        assertThat(added.path("notes").get(0).path("text").asText()).contains("voucher");
        JsonNode opened = anna.result(anna.client().send("conversation.open", Map.of("conversationId", conversation.id)));
        assertThat(opened.path("notes").get(0).path("agentId").asText()).isEqualTo("anna");
        JsonNode notes = readJson(facebook.getApi("/api/conversations/" + conversation.id + "/notes",
                io.messengerhub.support.WebhookClient.API_TOKEN).body());
        assertThat(notes.get(0).path("text").asText()).isEqualTo("Customer is upset about parcel 4711; offer a voucher.");
        assertThat(texts(transcriptOf(conversation.id))).doesNotContain("Customer is upset about parcel 4711; offer a voucher.");
        GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")));
        assertThat(anna.result(anna.client().send("note.add", Map.of("conversationId", conversation.id))).path("ok").asBoolean()).isFalse();
    }

    @Test
    void shouldSendAQuickReplyWithItsPlaceholdersFilledIn() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(sent("m_quick")));
        var conversation = conversationWith(SALES_PAGE, Instant.now().minus(Duration.ofMinutes(1)));

        JsonNode list = anna.result(anna.client().send("quickreply.list", Map.of()));
        assertThat(list.path("quickReplies").findValuesAsText("id")).contains("greeting", "goodbye");
        String request = anna.client().send("quickreply.send", Map.of("conversationId", conversation.id, "templateId", "greeting"));

        assertThat(anna.result(request).path("text").asText())
                .isEqualTo("Hello, this is anna from Test Sales. How can I help you today?");
        anna.await("message.sent", m -> request.equals(m.path("requestId").asText()));
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.message.text", equalTo("Hello, this is anna from Test Sales. How can I help you today?"))));
        assertThat(anna.result(anna.client().send("quickreply.send", Map.of("conversationId", conversation.id, "templateId", "nope")))
                .path("reason").asText()).contains("no quick reply 'nope'");
    }

    private JsonNode transcriptOf(String conversationId) {
        return readJson(facebook.getApi("/api/conversations/" + conversationId + "/messages",
                io.messengerhub.support.WebhookClient.API_TOKEN).body());
    }

    private static java.util.List<String> texts(JsonNode transcript) {
        var texts = new java.util.ArrayList<String>();
        transcript.forEach(m -> texts.add(m.path("text").asText()));
        return texts;
    }

    /** A conversation on the Page whose customer last wrote at {@code lastCustomerMessage}, accepted by anna. */
    private Held conversationWith(String pageId, Instant lastCustomerMessage) {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        facebook.postSigned(webhook(entry(pageId, textAt(pageId, psid, "m-" + psid, "Hello", lastCustomerMessage.toEpochMilli()))));
        JsonNode offer = anna.offerFor(psid);
        try {
            assertThat(anna.result(anna.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Held(offer.path("conversationId").asText(), psid);
    }

    private record Held(String id, String psid) {
    }

    private static java.nio.file.Path copyOfTestPolicy() {
        try {
            java.nio.file.Path copy = java.nio.file.Files.createTempDirectory("replies-policy-").resolve("policy.yaml");
            java.nio.file.Files.copy(java.nio.file.Path.of("src/test/resources/attachment-policy-local-only.yaml"), copy);
            return copy;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResponseDefinitionBuilder sent(String mid) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"recipient_id\":\"1254477777772919\",\"message_id\":\"" + mid + "\"}");
    }

    private static ResponseDefinitionBuilder graphError(int status, int code, int subcode, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                        + (subcode != 0 ? ",\"error_subcode\":" + subcode : "") + ",\"fbtrace_id\":\"AbC\"}}");
    }
}
