package io.messengerhub.workspace;

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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.privacy.Retention;
import io.messengerhub.search.TranscriptIndex;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.FacebookPayloads;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.IntegrationEvents;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import jakarta.jms.ConnectionFactory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.store.FSDirectory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
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

    static final String DISCLOSURE = "This conversation may be recorded.";

    @DynamicPropertySource
    static void agentsAndGraph(DynamicPropertyRegistry registry) throws Exception {
        agents = TestAgents.register(registry);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
        registry.add("hub.privacy.disclosure", () -> DISCLOSURE);
        // Retention runs only when a test asks; anything closed for more than two seconds is old enough then.
        registry.add("hub.privacy.retention.max-age", () -> "2s");
        // Customers' files come from the Graph stand-in, which doubles as the CDN on 127.0.0.3.
        Path policy = Files.createTempDirectory("workspace-policy-").resolve("policy.yaml");
        Files.writeString(policy, """
                customers-may-send: true
                agents-may-send: true
                max-size-bytes: 100000
                allowed-content-types: [image/png, text/plain]
                download:
                  allowed-hosts: [127.0.0.3]
                  private-address-hosts: [127.0.0.3]
                  connect-timeout-ms: 1000
                  read-timeout-ms: 1000
                """);
        registry.add("hub.attachments.policy-file", policy::toString);
    }

    @Autowired
    Retention retention;

    @Value("${hub.attachments.store-dir}")
    Path attachmentStore;

    @Value("${hub.transcripts.archive-dir}")
    Path archive;

    @Value("${hub.transcripts.index-dir}")
    Path indexDir;

    @Autowired
    TranscriptIndex transcriptIndex;

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
    void shouldCarryOutAndAnswerACommandDeliveredTwiceOnlyOnce() throws Exception {
        // What a fault does: the broker delivers a command again whose database work had committed. Same requestId.
        Held conversation = conversationWith("Wo bleibt meine Bestellung?");
        String requestId = "twice-" + System.nanoTime();
        Map<String, Object> note = Map.of("requestId", requestId, "conversationId", conversation.id, "text", "Einmal notiert");
        anna.client().send("note.add", note);
        anna.result(requestId);
        anna.client().send("note.add", note);
        String marker = anna.client().send("presence.get", Map.of());
        anna.result(marker);

        assertThat(anna.received("command.result").stream().filter(r -> requestId.equals(r.path("requestId").asText())))
                .hasSize(1);
        assertThat(jdbc.sql("select count(*) from conversation_note where conversation_id = :id").param("id", conversation.id)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void shouldFindAClosedConversationsTranscriptFromTheConsoleAndOverHttp() throws Exception {
        Held conversation = conversationWith("Ich warte seit Wochen auf meine Rückerstattung für zwei Rechnungen");
        anna.result(anna.client().send("note.add", Map.of("conversationId", conversation.id, "text", "Gutschrift veranlasst")));
        anna.result(anna.client().conversation("close", conversation.id));

        JsonNode found = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> anna.result(anna.client().searchTranscripts("Rueckerstattung Rechnung", Map.of("agent", "anna", "psid", conversation.psid))),
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
        // Agents open the link with their own login, as the console does.
        var asAnna = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/transcripts/" + conversation.id))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("anna:pw-anna".getBytes())).GET().build());
        assertThat(asAnna.statusCode()).isEqualTo(200);
        assertThat(readJson(asAnna.body()).path("conversation").path("id").asText()).isEqualTo(conversation.id);
        var wrongPassword = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/transcripts/" + conversation.id))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("anna:nope".getBytes())).GET().build());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(facebook.getApi("/api/transcripts?from=yesterday", WebhookClient.API_TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void shouldSendTheDisclosureWhenAConversationStartsAndKeepItInTheTranscript() throws Exception {
        Held conversation = conversationWith("Hello?");

        // The notice goes out through the send queue while the conversation is offered; wait for it.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !GRAPH.findAll(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.recipient.id", equalTo(conversation.psid)))
                .withRequestBody(matchingJsonPath("$.messaging_type", equalTo("RESPONSE")))
                .withRequestBody(matchingJsonPath("$.message.text", equalTo(DISCLOSURE)))).isEmpty());
        JsonNode transcript = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> transcriptOf(conversation.id), t -> t.size() == 2);
        assertThat(transcript.get(1).path("kind").asText()).isEqualTo("disclosure");
        assertThat(transcript.get(1).path("direction").asText()).isEqualTo("OUT");
        assertThat(transcript.get(1).path("text").asText()).isEqualTo(DISCLOSURE);
        assertThat(transcript.get(1).path("status").asText()).isEqualTo("SENT");

        // Only at the start: a second message in the same conversation brings no second notice.
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, conversation.psid, "m2-" + conversation.psid, "Anyone?",
                System.currentTimeMillis()))));
        awaitMessages(conversation.psid, 2);
        GRAPH.verify(1, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.recipient.id", equalTo(conversation.psid))));
    }

    @Test
    void shouldEraseEverythingAboutOneCustomerFromEveryStoreAndKeepOnlyARecord() throws Exception {
        Held erased = conversationWith("Meine Rechnung ist falsch, Kundennummer 12345");
        Held kept = conversationWith("Meine Rechnung ist falsch, bitte prüfen");
        String psid = erased.psid;
        customerSendsAPhoto(erased);
        anna.result(anna.client().send("note.add", Map.of("conversationId", erased.id, "text", "Kunde 12345 hat angerufen")));
        annaSendsAFile(erased);
        anna.result(anna.client().conversation("close", erased.id));
        anna.result(anna.client().conversation("close", kept.id));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> transcriptIndex.conversationsOf(List.of(psid, kept.psid)).size() == 2);
        assertThat(filesMentioning(erased.id)).hasSize(2);
        assertThat(storedFiles()).isNotEmpty();
        assertThat(rowsAbout(psid, erased.id)).isPositive();
        // The customer writes again: anna is working on that conversation when the erasure comes.
        Held current = conversationWith(psid, "Bitte löschen Sie alle meine Daten");

        var answer = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/erasures"))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"psid\":\"" + psid + "\"}")).build());

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode record = readJson(answer.body());
        assertThat(record.path("deleted").path("conversations").asInt()).isEqualTo(2);
        assertThat(anna.await("conversation.erased", m -> current.id.equals(m.path("conversationId").asText()))
                .path("reason").asText()).contains("erased on request");
        assertThat(rowsAbout(psid, current.id)).isZero();
        assertThat(record.path("deleted").path("files").asInt()).isEqualTo(4);
        assertThat(rowsAbout(psid, erased.id)).isZero();
        assertThat(filesMentioning(erased.id)).isEmpty();
        assertThat(storedFiles()).isEmpty();
        assertThat(transcriptIndex.conversationsOf(List.of(psid))).isEmpty();
        assertThat(anna.result(anna.client().searchTranscripts("12345", Map.of())).path("transcripts").size()).isZero();
        assertThat(indexedTerms("psid")).as("PSIDs in the index files, deleted documents included").doesNotContain(psid).contains(kept.psid);
        // The other customer's conversation is untouched.
        assertThat(transcriptIndex.conversationsOf(List.of(kept.psid))).containsExactly(kept.id);
        assertThat(filesMentioning(kept.id)).hasSize(2);
        // The record says what happened and holds nothing that identifies the customer.
        var records = jdbc.sql("select * from erasure where id = :id").param("id", record.path("id").asText()).query().listOfRows();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).values().toString()).doesNotContain(psid).doesNotContain(erased.id);
        JsonNode listed = readJson(facebook.getApi("/api/erasures", WebhookClient.API_TOKEN).body());
        assertThat(listed.findValuesAsText("id")).contains(record.path("id").asText());
        assertThat(listed.get(0).path("deleted").path("files").asInt()).isEqualTo(4);
        assertThat(facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/erasures"))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isEqualTo(400);
        var form = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/erasures"))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"psid\":\"" + kept.psid + "\"}")).build());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.body()).contains("Content-Type: application/json");
        assertThat(transcriptIndex.conversationsOf(List.of(kept.psid))).containsExactly(kept.id);
    }

    @Test
    void shouldDeleteWhatIsOlderThanTheRetentionPeriodAndKeepOpenWork() throws Exception {
        Held old = conversationWith("Alte Beschwerde über die Lieferung");
        Held stillOpen = conversationWith("Noch offen");
        customerSendsAPhoto(old);
        annaSendsAFile(old);
        String customerFile = jdbc.sql("select stored_name from attachment where conversation_id = :id").param("id", old.id)
                .query(String.class).single();
        assertThat(attachmentStore.resolve(customerFile)).exists();
        assertThat(attachmentStore.resolve("outbound").resolve(old.id)).isDirectoryContaining(f -> f.toString().endsWith(".png"));
        anna.result(anna.client().send("note.add", Map.of("conversationId", old.id, "text", "erledigt")));
        anna.result(anna.client().conversation("close", old.id));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> filesMentioning(old.id).size() == 2
                && transcriptIndex.conversationsOf(List.of(old.psid)).size() == 1);

        // Older than the two seconds this test's hub keeps transcripts.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> retention.purge().conversations() >= 1 && rowsAbout(old.psid, old.id) == 0);

        assertThat(filesMentioning(old.id)).isEmpty();
        assertThat(attachmentStore.resolve(customerFile)).doesNotExist();
        assertThat(attachmentStore.resolve("outbound").resolve(old.id)).doesNotExist();
        assertThat(transcriptIndex.conversationsOf(List.of(old.psid))).isEmpty();
        assertThat(jdbc.sql("select count(*) from conversation where id = :id").param("id", stillOpen.id).query(Integer.class).single()).isEqualTo(1);
        assertThat(transcriptOf(stillOpen.id).size()).isPositive();
    }

    /** The customer sends a photo from the CDN stand-in; the hub stores it in the attachment store. */
    private void customerSendsAPhoto(Held conversation) {
        GRAPH.stubFor(get(urlPathEqualTo("/cdn/photo.png"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png").withBody(PNG)));
        facebook.postSigned(webhook(entry(SALES_PAGE, FacebookPayloads.attachments(SALES_PAGE, conversation.psid,
                "m-photo-" + conversation.psid, FacebookPayloads.file("image", "http://127.0.0.3:" + GRAPH.port() + "/cdn/photo.png")))));
        anna.await("attachment.stored", m -> conversation.id.equals(m.path("conversationId").asText()));
    }

    /** Anna sends the customer a file; it is kept in the outbound store and reported sent. */
    private void annaSendsAFile(Held conversation) throws Exception {
        Path label = Files.createTempDirectory("label-").resolve("label.png");
        Files.write(label, PNG);
        String fileRequest = anna.client().sendFile(conversation.id, label);
        JsonNode outcome = Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Stream.concat(
                anna.received("message.sent").stream(), anna.received("message.failed").stream())
                .filter(m -> fileRequest.equals(m.path("requestId").asText())).findFirst().orElse(null), m -> m != null);
        assertThat(outcome.path("type").asText()).as(outcome.toString()).isEqualTo("message.sent");
    }

    private JsonNode transcriptOf(String conversationId) {
        return readJson(facebook.getApi("/api/conversations/" + conversationId + "/messages", WebhookClient.API_TOKEN).body());
    }

    /** Rows in every table that can hold something of the customer or the conversation. */
    private int rowsAbout(String psid, String conversationId) {
        int rows = 0;
        for (String table : List.of("message", "conversation_note", "attachment", "conversation_offer", "pending_offer",
                "enrichment_retry", "open_conversation", "facebook_event")) {
            rows += jdbc.sql("select count(*) from " + table + " where conversation_id = :id").param("id", conversationId).query(Integer.class).single();
        }
        for (String table : List.of("conversation", "facebook_event", "customer_profile", "receipt_watermark")) {
            rows += jdbc.sql("select count(*) from " + table + " where customer_psid = :psid").param("psid", psid).query(Integer.class).single();
        }
        return rows;
    }

    private List<Path> filesMentioning(String conversationId) throws IOException {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (var files = Files.walk(archive)) {
            return files.filter(f -> f.getFileName().toString().startsWith(conversationId)).toList();
        }
    }

    private List<Path> storedFiles() throws IOException {
        if (!Files.isDirectory(attachmentStore)) {
            return List.of();
        }
        try (var files = Files.walk(attachmentStore)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.toString().contains(".incoming")).toList();
        }
    }

    /** Every term of the field on disk, as a fresh reader sees the index; deleted documents' terms stay until merged. */
    private List<String> indexedTerms(String field) throws IOException {
        try (var reader = DirectoryReader.open(FSDirectory.open(indexDir))) {
            var terms = new ArrayList<String>();
            var all = MultiTerms.getTerms(reader, field);
            if (all != null) {
                var each = all.iterator();
                for (var term = each.next(); term != null; term = each.next()) {
                    terms.add(term.utf8ToString());
                }
            }
            return terms;
        }
    }

    private static final byte[] PNG = io.messengerhub.support.TestFiles.onePixelPng();

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("crmDataSource")
    javax.sql.DataSource crmDataSource;

    /** Anna Schmidt in the demo CRM: contact C-1001, case CASE-501 open, CASE-502 resolved; CASE-503 is another contact's. */
    static final String KNOWN_PSID = "6754321987654321";

    @Test
    void shouldCreateSearchLinkAndResolveCrmCasesFromTheConversation() throws Exception {
        Held conversation = conversationWith(KNOWN_PSID, "Mein Paket 4711 ist immer noch nicht da");
        var crm = org.springframework.jdbc.core.simple.JdbcClient.create(crmDataSource);

        JsonNode found = anna.result(anna.client().searchCases(conversation.id, "parcel"));
        assertThat(found.path("cases").findValuesAsText("caseId")).containsExactly("CASE-501");
        assertThat(anna.result(anna.client().searchCases(conversation.id, "invoice")).path("cases").get(0).path("status").asText())
                .isEqualTo("resolved");
        // The agent's words are text: a % is no wildcard.
        assertThat(anna.result(anna.client().searchCases(conversation.id, "%")).path("cases").size()).isZero();
        assertThat(anna.result(anna.client().searchCases(conversation.id, "")).path("cases").size()).isEqualTo(2);
        JsonNode linked = anna.result(anna.client().linkCase(conversation.id, "CASE-501"));
        assertThat(linked.path("case").path("title").asText()).isEqualTo("Parcel 4711 not delivered");
        assertThat(anna.result(anna.client().openConversation(conversation.id)).path("caseId").asText()).isEqualTo("CASE-501");
        assertThat(anna.result(anna.client().linkCase(conversation.id, "CASE-503")).path("reason").asText())
                .isEqualTo("case CASE-503 belongs to another contact");
        assertThat(anna.result(anna.client().linkCase(conversation.id, "CASE-999")).path("reason").asText())
                .isEqualTo("the CRM has no case 'CASE-999'");

        JsonNode created = anna.result(anna.client().createCase(conversation.id, "Paket 4711 erneut verloren", "Kundin wartet seit 10 Tagen"));
        String caseId = created.path("caseId").asText();
        assertThat(caseId).startsWith("CASE-");
        var row = crm.sql("select contact_id, title, description, status, origin from crm_case where id = :id").param("id", caseId).query().singleRow();
        assertThat(row).containsEntry("contact_id", "C-1001").containsEntry("title", "Paket 4711 erneut verloren")
                .containsEntry("description", "Kundin wartet seit 10 Tagen").containsEntry("status", "open").containsEntry("origin", "messenger");
        assertThat(anna.result(anna.client().openConversation(conversation.id)).path("caseId").asText()).isEqualTo(caseId);

        JsonNode resolved = anna.result(anna.client().resolveCase(conversation.id, "Ersatzpaket verschickt"));
        assertThat(resolved.path("ok").asBoolean()).isTrue();
        assertThat(crm.sql("select status, resolution from crm_case where id = :id").param("id", caseId).query().singleRow())
                .containsEntry("status", "resolved").containsEntry("resolution", "Ersatzpaket verschickt");
        assertThat(anna.result(anna.client().resolveCase(conversation.id, "again")).path("reason").asText())
                .isEqualTo("case " + caseId + " is already resolved or no longer in the CRM");

        Held anonymous = conversationWith("Hi");
        assertThat(anna.result(anna.client().createCase(anonymous.id, "Something", null)).path("reason").asText())
                .contains("no CRM contact");
    }

    @Test
    void shouldShowTheCustomersOtherConversationsInTheViewAndWithTheOffer() throws Exception {
        Held first = conversationWith(KNOWN_PSID, "Erste Frage");
        anna.result(anna.client().linkCase(first.id, "CASE-501"));
        anna.result(anna.client().conversation("close", first.id));

        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, KNOWN_PSID, "m-second-" + System.nanoTime(), "Zweite Frage",
                System.currentTimeMillis()))));
        JsonNode offer = anna.await("conversation.offered", m -> KNOWN_PSID.equals(m.path("customerPsid").asText())
                && !first.id.equals(m.path("conversationId").asText()));
        JsonNode other = offer.path("otherConversations").get(0);
        assertThat(other.path("id").asText()).isEqualTo(first.id);
        assertThat(other.path("state").asText()).isEqualTo("CLOSED");
        assertThat(other.path("caseId").asText()).isEqualTo("CASE-501");
        assertThat(anna.result(anna.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();

        JsonNode view = anna.result(anna.client().openConversation(offer.path("conversationId").asText()));
        assertThat(view.path("conversation").path("customer").path("firstName").asText()).isEqualTo("Anna");
        assertThat(view.path("conversation").path("state").asText()).isEqualTo("ACTIVE");
        assertThat(view.path("conversation").path("agentId").asText()).isEqualTo("anna");
        assertThat(view.path("otherConversations").findValuesAsText("id")).containsExactly(first.id);
        assertThat(view.has("sentiment")).isTrue();
        assertThat(view.path("humanAgentTag").asBoolean()).as("the test Page may use the HUMAN_AGENT tag").isTrue();
    }

    @Test
    void shouldSendACallButtonAndACallbackRequest() throws Exception {
        Held conversation = conversationWith("Can I call you?");

        String button = anna.client().sendCallButton(conversation.id, "+49 30 1234567");
        assertThat(anna.result(button).path("ok").asBoolean()).isTrue();
        anna.await("message.sent", m -> button.equals(m.path("requestId").asText()));
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.message.attachment.payload.template_type", equalTo("button")))
                .withRequestBody(matchingJsonPath("$.message.attachment.payload.buttons[0].type", equalTo("phone_number")))
                .withRequestBody(matchingJsonPath("$.message.attachment.payload.buttons[0].payload", equalTo("+49301234567"))));

        String callback = anna.client().requestCallback(conversation.id);
        anna.await("message.sent", m -> callback.equals(m.path("requestId").asText()));
        GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                .withRequestBody(matchingJsonPath("$.message.quick_replies[0].content_type", equalTo("user_phone_number"))));

        JsonNode transcript = transcriptOf(conversation.id);
        assertThat(transcript.findValuesAsText("text")).anyMatch(t -> t.contains("[Call us: +49 30 1234567]"))
                .anyMatch(t -> t.contains("[asks for the customer's phone number]"));
        assertThat(anna.result(anna.client().sendCallButton(conversation.id, "0301234567")).path("reason").asText())
                .contains("international format");
        assertThat(anna.result(anna.client().sendCallButton(conversation.id, null)).path("reason").asText())
                .contains("hub.calls.phone-number");
    }

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void shouldShowTheCustomersMoodLiveAndAlertSupervisorsOnceWhenItTurnsNegative() throws Exception {
        try (var events = new IntegrationEvents(connectionFactory, "contact-center.events", json)) {
            Held conversation = conversationWith("Hallo, ich habe eine Frage zu meiner Bestellung");
            assertThat(anna.result(anna.client().openConversation(conversation.id)).path("sentiment").path("level").asText()).isEqualTo("NEUTRAL");

            customerWrites(conversation, "Das ist eine absolute FRECHHEIT!!! Das Paket ist kaputt 😡");
            JsonNode angry = anna.await("conversation.sentiment", m -> conversation.id.equals(m.path("conversationId").asText())
                    && m.path("messageScore").asDouble() < -0.5);
            assertThat(angry.path("language").asText()).isEqualTo("de");
            customerWrites(conversation, "Ich bin wirklich sehr enttäuscht und wütend, nie wieder!");
            JsonNode alert = Awaitility.await().atMost(Duration.ofSeconds(15)).until(
                    () -> events.of("supervisor.sentiment-alert", conversation.id), list -> !list.isEmpty()).get(0);
            assertThat(alert.path("agentId").asText()).isEqualTo("anna");
            assertThat(alert.path("level").asText()).isIn("NEGATIVE", "VERY_NEGATIVE");
            assertThat(alert.path("queue").asText()).isEqualTo("sales");

            // Still negative: no second alert. Thanks and a good outcome lift the level again.
            customerWrites(conversation, "Furchtbarer Service.");
            for (String text : new String[] {"Oh, danke! Das ist super, vielen Dank 😊", "Perfekt, Sie sind großartig!", "Toll, sehr zufrieden 👍",
                    "Wunderbar, danke für die schnelle Hilfe!"}) {
                customerWrites(conversation, text);
            }
            JsonNode view = Awaitility.await().atMost(Duration.ofSeconds(15)).until(
                    () -> anna.result(anna.client().openConversation(conversation.id)),
                    v -> v.path("sentiment").path("score").asDouble() > 0);
            assertThat(view.path("sentiment").path("level").asText()).contains("POSITIVE");
            assertThat(events.of("supervisor.sentiment-alert", conversation.id)).hasSize(1);
            assertThat(jdbc.sql("select count(*) from message where conversation_id = :id and direction = 'IN' and sentiment is not null")
                    .param("id", conversation.id).query(Integer.class).single()).isEqualTo(8);
        }
    }

    @Test
    void shouldSearchCrmContactsByNameEmailOrPhone() throws Exception {
        JsonNode byName = anna.result(anna.client().searchContacts("LENA fischer"));
        assertThat(byName.path("ok").asBoolean()).as(byName.toString()).isTrue();
        assertThat(byName.path("contacts")).hasSize(1);
        JsonNode lena = byName.path("contacts").get(0);
        assertThat(lena.path("contactId").asText()).isEqualTo("C-1003");
        assertThat(lena.path("firstName").asText()).isEqualTo("Lena");
        assertThat(lena.path("lastName").asText()).isEqualTo("Fischer");
        assertThat(lena.path("email").asText()).isEqualTo("lena.fischer@example.com");
        assertThat(lena.path("phone").asText()).isEqualTo("+49 89 7654321");
        assertThat(lena.path("tier").asText()).isEqualTo("silver");
        assertThat(lena.path("vip").isBoolean()).isTrue();
        assertThat(lena.path("vip").asBoolean()).isFalse();
        assertThat(contactIds(anna.result(anna.client().searchContacts("Garcia")))).containsExactly("C-1004");
        assertThat(anna.result(anna.client().searchContacts("Garcia")).path("contacts").get(0).path("vip").asBoolean()).isTrue();
        assertThat(contactIds(anna.result(anna.client().searchContacts("james.miller@EXAMPLE")))).containsExactly("C-1002");
        assertThat(contactIds(anna.result(anna.client().searchContacts("+49 30")))).containsExactly("C-1001");
        assertThat(contactIds(anna.result(anna.client().searchContacts("@example.com"))))
                .contains("C-1001", "C-1002", "C-1003", "C-1004");
        // The agent's words are text: % and _ are no wildcards.
        assertThat(anna.result(anna.client().searchContacts("%")).path("contacts")).isEmpty();
        assertThat(anna.result(anna.client().searchContacts("_")).path("contacts")).isEmpty();
        assertThat(anna.result(anna.client().searchContacts("  ")).path("reason").asText())
                .isEqualTo("a contact search needs a name, email or phone");

        var crm = org.springframework.jdbc.core.simple.JdbcClient.create(crmDataSource);
        for (int i = 0; i < 25; i++) {
            crm.sql("insert into contact (id, first_name, last_name, source) values (:id, 'Many', 'Namesake', 'test')")
                    .param("id", "C-MANY-" + i).update();
        }
        assertThat(anna.result(anna.client().searchContacts("namesake")).path("contacts")).hasSize(20);
    }

    @Test
    void shouldLinkTheCustomerToACrmContactAndUnlinkItWithoutCreatingAnotherOne() throws Exception {
        var crm = org.springframework.jdbc.core.simple.JdbcClient.create(crmDataSource);
        try (var events = new IntegrationEvents(connectionFactory, "contact-center.events", json)) {
            // Facebook cannot say who it is yet, so no contact is created when the conversation opens.
            Held conversation = conversationWith("Ich bin Lena Fischer, Kundin bei Ihnen");
            assertThat(contactOfConversation(conversation.id)).isNull();

            assertThat(anna.result(anna.client().unlinkContact(conversation.id)).path("reason").asText())
                    .isEqualTo("the customer is not linked to a CRM contact");
            assertThat(anna.result(anna.client().linkContact(conversation.id, "C-NOPE")).path("reason").asText())
                    .isEqualTo("the CRM has no contact 'C-NOPE'");
            assertThat(contactOfConversation(conversation.id)).isNull();
            assertThat(contactsWithPsid(crm, conversation.psid)).isEmpty();

            GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + conversation.psid)).willReturn(profile("Lena", "Vogel")));
            JsonNode linked = anna.result(anna.client().linkContact(conversation.id, "C-1003"));
            assertThat(linked.path("ok").asBoolean()).as(linked.toString()).isTrue();
            assertThat(linked.path("contactId").asText()).isEqualTo("C-1003");
            assertThat(linked.path("customer").path("contactId").asText()).isEqualTo("C-1003");
            assertThat(linked.path("customer").path("lastName").asText()).isEqualTo("Fischer");
            assertThat(linked.path("customer").path("source").asText()).isEqualTo("crm");
            assertThat(contactsWithPsid(crm, conversation.psid)).containsExactly("C-1003");
            assertThat(contactOfConversation(conversation.id)).isEqualTo("C-1003");
            assertThat(anna.await("conversation.customer-updated", m -> conversation.id.equals(m.path("conversationId").asText())
                    && "C-1003".equals(m.path("customer").path("contactId").asText())).path("customer").path("firstName").asText())
                    .isEqualTo("Lena");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.of("conversation.linked", conversation.id).size() == 1);
            assertThat(events.of("conversation.linked", conversation.id).get(0).path("contactId").asText()).isEqualTo("C-1003");
            String caseId = anna.result(anna.client().createCase(conversation.id, "Rückruf gewünscht", null)).path("caseId").asText();
            assertThat(anna.result(anna.client().openConversation(conversation.id)).path("caseId").asText()).isEqualTo(caseId);

            JsonNode unlinked = anna.result(anna.client().unlinkContact(conversation.id));

            assertThat(unlinked.path("ok").asBoolean()).as(unlinked.toString()).isTrue();
            assertThat(unlinked.path("unlinkedContactId").asText()).isEqualTo("C-1003");
            assertThat(unlinked.path("customer").path("contactId").isNull()).isTrue();
            assertThat(unlinked.path("customer").path("firstName").asText()).isEqualTo("Lena");
            assertThat(unlinked.path("customer").path("lastName").asText()).isEqualTo("Vogel");
            assertThat(unlinked.path("customer").path("source").asText()).isEqualTo("facebook-profile");
            // Not in the CRM any more, and no contact made from the profile although hub.crm.create-unknown-contacts is on.
            assertThat(crm.sql("select facebook_psid from contact where id = 'C-1003'").query().singleRow().get("facebook_psid")).isNull();
            assertThat(contactsWithPsid(crm, conversation.psid)).isEmpty();
            var row = jdbc.sql("select contact_id, case_id from conversation where id = :id").param("id", conversation.id).query().singleRow();
            assertThat(row.get("contact_id")).isNull();
            assertThat(row.get("case_id")).isNull();
            assertThat(crm.sql("select status from crm_case where id = :id").param("id", caseId).query(String.class).single())
                    .as("the case stays in the CRM").isEqualTo("open");
            JsonNode update = anna.await("conversation.customer-updated", m -> conversation.id.equals(m.path("conversationId").asText())
                    && "facebook-profile".equals(m.path("customer").path("source").asText()));
            assertThat(update.path("customer").path("contactId").isNull()).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.of("conversation.unlinked", conversation.id).size() == 1);
            JsonNode event = events.of("conversation.unlinked", conversation.id).get(0);
            assertThat(event.path("contactId").asText()).as("the contact it was unlinked from").isEqualTo("C-1003");
            assertThat(event.path("customerPsid").asText()).isEqualTo(conversation.psid);
            assertThat(event.path("state").asText()).isEqualTo("ACTIVE");
            JsonNode view = anna.result(anna.client().openConversation(conversation.id));
            assertThat(view.path("caseId").isNull()).isTrue();
            assertThat(view.path("conversation").path("contactId").isNull()).isTrue();
            assertThat(anna.result(anna.client().unlinkContact(conversation.id)).path("reason").asText())
                    .isEqualTo("the customer is not linked to a CRM contact");
        }
    }

    @Test
    void shouldRefuseToLinkAContactWhileTheCrmDoesNotAnswerAndChangeNothing() throws Exception {
        var crm = org.springframework.jdbc.core.simple.JdbcClient.create(crmDataSource);
        Held conversation = conversationWith("Hallo");
        // The CRM's contacts are out of reach: every query of them fails.
        crm.sql("alter table contact rename to contact_away").update();
        try {
            assertThat(anna.result(anna.client().linkContact(conversation.id, "C-1003")).path("reason").asText())
                    .startsWith("the CRM did not answer: ");
            assertThat(anna.result(anna.client().searchContacts("Lena")).path("reason").asText())
                    .startsWith("the CRM did not answer: ");
        } finally {
            crm.sql("alter table contact_away rename to contact").update();
        }
        assertThat(contactOfConversation(conversation.id)).isNull();
        assertThat(contactsWithPsid(crm, conversation.psid)).isEmpty();
        assertThat(anna.received("conversation.customer-updated").stream()
                .filter(m -> conversation.id.equals(m.path("conversationId").asText()))).isEmpty();
    }

    @Test
    void shouldCreateACrmContactFromTheFacebookProfileAndLinkIt() throws Exception {
        var crm = org.springframework.jdbc.core.simple.JdbcClient.create(crmDataSource);
        try (var events = new IntegrationEvents(connectionFactory, "contact-center.events", json)) {
            Held conversation = conversationWith("Hi, I'd like to become a customer");
            GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + conversation.psid)).willReturn(aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"message\":\"No profile available for this user.\",\"code\":100,\"error_subcode\":2018218}}")));
            assertThat(anna.result(anna.client().createContact(conversation.id)).path("reason").asText())
                    .isEqualTo("there is no Facebook profile to create a contact from");
            assertThat(contactsWithPsid(crm, conversation.psid)).isEmpty();
            assertThat(contactOfConversation(conversation.id)).isNull();

            GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + conversation.psid)).willReturn(profile("Tom", "Baker")));
            JsonNode created = anna.result(anna.client().createContact(conversation.id));

            assertThat(created.path("ok").asBoolean()).as(created.toString()).isTrue();
            String contactId = created.path("contactId").asText();
            assertThat(contactId).startsWith("FB-");
            assertThat(created.path("customer").path("contactId").asText()).isEqualTo(contactId);
            assertThat(created.path("customer").path("firstName").asText()).isEqualTo("Tom");
            assertThat(created.path("customer").path("source").asText()).isEqualTo("crm");
            assertThat(crm.sql("select facebook_psid, first_name, last_name, language, source from contact where id = :id")
                    .param("id", contactId).query().singleRow())
                    .containsEntry("facebook_psid", conversation.psid).containsEntry("first_name", "Tom")
                    .containsEntry("last_name", "Baker").containsEntry("language", "en_GB").containsEntry("source", "facebook");
            assertThat(contactOfConversation(conversation.id)).isEqualTo(contactId);
            anna.await("conversation.customer-updated", m -> conversation.id.equals(m.path("conversationId").asText())
                    && contactId.equals(m.path("customer").path("contactId").asText()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.of("conversation.linked", conversation.id).size() == 1);
            assertThat(events.of("conversation.linked", conversation.id).get(0).path("contactId").asText()).isEqualTo(contactId);

            assertThat(anna.result(anna.client().createContact(conversation.id)).path("reason").asText())
                    .isEqualTo("the customer is already CRM contact " + contactId + ": unlink it first");
            assertThat(crm.sql("select count(*) from contact where first_name = 'Tom' and last_name = 'Baker'")
                    .query(Integer.class).single()).isEqualTo(1);
        }
    }

    @Test
    void shouldUnlinkTheConversationsCaseAndLeaveItInTheCrm() throws Exception {
        var crm = org.springframework.jdbc.core.simple.JdbcClient.create(crmDataSource);
        Held conversation = conversationWith("Wie steht es um mein Upgrade?");
        assertThat(anna.result(anna.client().unlinkCase(conversation.id)).path("reason").asText())
                .isEqualTo("conversation " + conversation.id + " has no linked case");
        anna.result(anna.client().linkCase(conversation.id, "CASE-503"));

        JsonNode unlinked = anna.result(anna.client().unlinkCase(conversation.id));

        assertThat(unlinked.path("ok").asBoolean()).as(unlinked.toString()).isTrue();
        assertThat(unlinked.has("caseId")).isTrue();
        assertThat(unlinked.path("caseId").isNull()).isTrue();
        assertThat(unlinked.path("unlinkedCaseId").asText()).isEqualTo("CASE-503");
        assertThat(jdbc.sql("select case_id from conversation where id = :id").param("id", conversation.id)
                .query().singleRow().get("case_id")).isNull();
        assertThat(crm.sql("select contact_id, status from crm_case where id = 'CASE-503'").query().singleRow())
                .containsEntry("contact_id", "C-1004").containsEntry("status", "open");
        assertThat(anna.result(anna.client().unlinkCase(conversation.id)).path("reason").asText())
                .isEqualTo("conversation " + conversation.id + " has no linked case");
    }

    @Test
    void shouldOpenTheCustomersOtherConversationReadOnlyAndNoStrangersConversation() throws Exception {
        String psid = String.valueOf(PSIDS.incrementAndGet());
        String earlier = closedWithoutAgent(psid, "Erste Nachricht");
        Held current = conversationWith(psid, "Ich schreibe nochmal");
        String stranger = closedWithoutAgent(String.valueOf(PSIDS.incrementAndGet()), "Jemand anderes");

        JsonNode history = anna.result(anna.client().openConversation(earlier));

        assertThat(history.path("ok").asBoolean()).as(history.toString()).isTrue();
        assertThat(history.path("readOnly").asBoolean()).isTrue();
        assertThat(history.path("conversation").path("id").asText()).isEqualTo(earlier);
        assertThat(history.path("transcript").findValuesAsText("text")).contains("Erste Nachricht");
        assertThat(history.path("otherConversations").findValuesAsText("id")).contains(current.id);
        JsonNode own = anna.result(anna.client().openConversation(current.id));
        assertThat(own.path("readOnly").isBoolean()).isTrue();
        assertThat(own.path("readOnly").asBoolean()).isFalse();
        assertThat(anna.result(anna.client().openConversation(stranger)).path("reason").asText())
                .isEqualTo("conversation " + stranger + " is not yours");
        // Read only: nothing can be written to it.
        assertThat(anna.result(anna.client().sendText(earlier, "Hallo?")).path("reason").asText())
                .isEqualTo("conversation " + earlier + " is not yours");
        assertThat(anna.result(anna.client().addNote(earlier, "Notiz")).path("reason").asText())
                .isEqualTo("conversation " + earlier + " is not yours");
        assertThat(anna.result(anna.client().unlinkCase(earlier)).path("reason").asText())
                .isEqualTo("conversation " + earlier + " is not yours");
        assertThat(jdbc.sql("select count(*) from conversation_note where conversation_id = :id").param("id", earlier)
                .query(Integer.class).single()).isZero();
    }

    /** A conversation of the customer that was offered to anna and closed over the API before anyone took it. */
    private String closedWithoutAgent(String psid, String text) {
        var seen = anna.received("conversation.offered").stream().map(m -> m.path("offerId").asText()).toList();
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid + "-" + System.nanoTime(), text,
                System.currentTimeMillis()))));
        String conversationId = anna.await("conversation.offered", m -> psid.equals(m.path("customerPsid").asText())
                && !seen.contains(m.path("offerId").asText())).path("conversationId").asText();
        var closed = closeByApi(conversationId);
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        return conversationId;
    }

    private String contactOfConversation(String conversationId) {
        return jdbc.sql("select contact_id from conversation where id = :id").param("id", conversationId)
                .query(String.class).optional().orElse(null);
    }

    private static List<String> contactsWithPsid(org.springframework.jdbc.core.simple.JdbcClient crm, String psid) {
        return crm.sql("select id from contact where facebook_psid = :psid").param("psid", psid).query(String.class).list();
    }

    private static List<String> contactIds(JsonNode result) {
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        return result.path("contacts").findValuesAsText("contactId");
    }

    private static ResponseDefinitionBuilder profile(String firstName, String lastName) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"first_name\":\""
                + firstName + "\",\"last_name\":\"" + lastName + "\",\"locale\":\"en_GB\",\"timezone\":1}");
    }

    private void customerWrites(Held conversation, String text) {
        int before = messagesOf(conversation.psid);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, conversation.psid, "m-" + System.nanoTime(), text,
                System.currentTimeMillis()))));
        awaitMessages(conversation.psid, before + 1);
    }

    /** A new conversation whose customer wrote the text, accepted by anna. */
    private Held conversationWith(String text) {
        return conversationWith(String.valueOf(PSIDS.incrementAndGet()), text);
    }

    private Held conversationWith(String psid, String text) {
        // The customer may have had conversations before: wait for an offer anna has not seen yet.
        var seen = anna.received("conversation.offered").stream().map(m -> m.path("offerId").asText()).toList();
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid + "-" + System.nanoTime(), text,
                System.currentTimeMillis()))));
        JsonNode offer = anna.await("conversation.offered", m -> psid.equals(m.path("customerPsid").asText())
                && !seen.contains(m.path("offerId").asText()));
        try {
            JsonNode accepted = anna.result(anna.client().accept(offer.path("offerId").asText()));
            assertThat(accepted.path("ok").asBoolean()).as(accepted.toString()).isTrue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Held(offer.path("conversationId").asText(), psid);
    }

    private record Held(String id, String psid) {
    }

    private static ResponseDefinitionBuilder sent() {
        // Every message gets its own mid, as Facebook's do; the transcript keeps one entry per mid.
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_{{randomValue length=16 type='ALPHANUMERIC'}}\"}");
    }
}
