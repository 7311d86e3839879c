package io.messengerhub.workspace;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The agent's tools during a conversation, used through the client library against the running hub with the
 * Send API stood in locally: knowledge articles, transcript search, and the other issue-6 tools.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=sales-page-token",
        "hub.agents.distribution-interval=200",
})
class AgentWorkspaceTest extends HubSystemTest {

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
    }

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
        for (JsonNode conversation : anna.result(anna.client().send("conversation.list", Map.of())).path("conversations")) {
            anna.result(anna.client().conversation("close", conversation.path("id").asText()));
        }
        anna.result(anna.client().setPresence("OFFLINE"));
        anna.close();
    }

    @Test
    void shouldSearchKnowledgeAndShareAnArticleInOneStep() throws Exception {
        Held conversation = conversationWith("Wo bleibt mein Paket?");

        JsonNode found = anna.result(anna.client().searchKnowledge("Pakete verspätet"));
        assertThat(found.path("articles").get(0).path("id").asText()).isEqualTo("lieferung-verspaetet");
        String request = anna.client().shareArticle(conversation.id, "lieferung-verspaetet");

        JsonNode shared = anna.result(request);
        assertThat(shared.path("text").asText()).startsWith("Meine Lieferung verspätet sich\n\nDie meisten Pakete")
                .endsWith("https://help.example.com/de/lieferung");
        anna.await("message.sent", m -> request.equals(m.path("requestId").asText()));
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.message.text", equalTo(shared.path("text").asText()))));
        assertThat(anna.result(anna.client().shareArticle(conversation.id, "no-such-article")).path("reason").asText())
                .isEqualTo("no knowledge article 'no-such-article'");
        JsonNode overHttp = readJson(facebook.getApi("/api/knowledge?q=refunds", WebhookClient.API_TOKEN).body());
        assertThat(overHttp.get(0).path("id").asText()).isEqualTo("returns-refunds");
    }

    @Test
    void shouldFindAClosedConversationsTranscriptFromTheConsoleAndOverHttp() throws Exception {
        Held conversation = conversationWith("Ich warte seit Wochen auf meine Rückerstattung für zwei Rechnungen");
        anna.result(anna.client().send("note.add", Map.of("conversationId", conversation.id, "text", "Gutschrift veranlasst")));
        anna.result(anna.client().conversation("close", conversation.id));

        JsonNode found = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> anna.result(anna.client().searchTranscripts("Rueckerstattung Rechnung", Map.of("agent", "anna"))),
                result -> result.path("transcripts").size() == 1);
        JsonNode hit = found.path("transcripts").get(0);
        assertThat(hit.path("conversationId").asText()).isEqualTo(conversation.id);
        assertThat(hit.path("customerPsid").asText()).isEqualTo(conversation.psid);
        assertThat(hit.path("status").asText()).isEqualTo("closed");
        assertThat(hit.path("snippet").asText()).contains("Rückerstattung");
        // Notes are searchable too; they are part of what the hub keeps with the conversation.
        assertThat(anna.result(anna.client().searchTranscripts("Gutschrift", Map.of("psid", conversation.psid)))
                .path("transcripts").size()).isEqualTo(1);
        assertThat(anna.result(anna.client().searchTranscripts("Rechnung", Map.of("agent", "ben"))).path("transcripts").size()).isZero();
        assertThat(anna.result(anna.client().searchTranscripts("", Map.of("from", "not-a-date"))).path("reason").asText())
                .contains("from must be a date");

        JsonNode overHttp = readJson(facebook.getApi("/api/transcripts?q=erstattung&psid=" + conversation.psid, WebhookClient.API_TOKEN).body());
        assertThat(overHttp.get(0).path("transcript").asText()).isEqualTo("/api/transcripts/" + conversation.id);
        JsonNode document = readJson(facebook.getApi(overHttp.get(0).path("transcript").asText(), WebhookClient.API_TOKEN).body());
        assertThat(document.path("conversation").path("id").asText()).isEqualTo(conversation.id);
        assertThat(document.path("notes").get(0).path("text").asText()).isEqualTo("Gutschrift veranlasst");
        assertThat(facebook.getApi("/api/transcripts?q=x", "wrong-token").statusCode()).isEqualTo(401);
        assertThat(facebook.getApi("/api/transcripts?from=yesterday", WebhookClient.API_TOKEN).statusCode()).isEqualTo(400);
    }

    /** A new conversation whose customer wrote the text, accepted by anna. */
    private Held conversationWith(String text) {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, text, System.currentTimeMillis()))));
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

    private static ResponseDefinitionBuilder sent() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_" + System.nanoTime() + "\"}");
    }
}
