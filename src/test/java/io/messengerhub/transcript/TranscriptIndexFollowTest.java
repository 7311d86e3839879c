package io.messengerhub.transcript;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.search.TranscriptIndex;
import io.messengerhub.search.TranscriptSearch;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Search is the same from every hub instance: each instance's own index follows the index topic through a durable
 * subscription, so what another instance archived is found here, what another instance erased leaves here, a
 * message sent while this instance was not listening arrives when it listens again, and an instance that starts
 * with an empty index indexes every archived conversation of the shared database. Another instance is played by
 * messages on the topic (what its archive and erasure routes send) and by changes to the shared database.
 */
class TranscriptIndexFollowTest extends HubSystemTest {

    @Autowired
    TranscriptIndex index;

    @Autowired
    TranscriptArchive archive;

    @Autowired
    ArchivedConversations archived;

    @Autowired
    CamelContext camel;

    @Autowired
    ObjectMapper objectMapper;

    @Value("${hub.transcripts.index-topic}")
    String indexTopic;

    @Value("${hub.search.compound-parts-file}")
    Path compoundParts;

    @Value("${hub.transcripts.archive-dir}")
    Path archiveDir;

    @Test
    void shouldFindWhatAnotherInstanceArchivedAndForgetWhatAnotherInstanceErased() {
        String psid = unique("follow");
        String id = closedConversation(psid, "Mein Rückerstattungsantrag ist verschwunden");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);

        // As if another instance had archived it: this index did not have it until the topic said so.
        index.delete(List.of(id));
        assertThat(found(psid)).isEmpty();
        announce("{\"type\": \"transcript.archived\", \"conversationId\": \"" + id + "\"}");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);
        assertThat(index.search(search("Erstattung", psid))).extracting(TranscriptSearch.Hit::conversationId).containsExactly(id);

        // Another instance erased it: the topic tells this index to let it go.
        announce("{\"type\": \"transcript.removed\", \"conversationIds\": [\"" + id + "\"]}");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> index.conversationsOf(List.of(psid)).isEmpty());
    }

    @Test
    void shouldGetWhatWasAnnouncedWhileItWasNotListening() throws Exception {
        String psid = unique("durable");
        String id = closedConversation(psid, "Wo bleibt mein Paket?");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);
        index.delete(List.of(id));

        camel.getRouteController().stopRoute("transcript-index");
        try {
            announce("{\"type\": \"transcript.archived\", \"conversationId\": \"" + id + "\"}");
            Thread.sleep(500);
            assertThat(found(psid)).isEmpty();
        } finally {
            camel.getRouteController().startRoute("transcript-index");
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);
    }

    @Test
    void shouldNeverShowATranscriptWhoseConversationIsGoneEvenIfTheRemovalNeverArrived() {
        String psid = unique("gone");
        String id = closedConversation(psid, "Bitte löschen Sie meine Daten");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);

        // Another instance deleted its rows (retention), and its message to this instance was lost.
        jdbc.sql("delete from message where conversation_id = :id").param("id", id).update();
        jdbc.sql("delete from conversation where id = :id").param("id", id).update();

        assertThat(found(psid)).isEmpty();
        assertThat(index.conversationsOf(List.of(psid))).as("left this index too").isEmpty();
    }

    @Test
    void shouldIndexEveryArchivedConversationWhenItStartsWithAnEmptyIndex() throws Exception {
        String psid = unique("rebuild");
        String id = closedConversation(psid, "Die Rechnung stimmt nicht");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);
        int archivedInDatabase = jdbc.sql("select count(*) from conversation where state = 'CLOSED'").query(Integer.class).single();

        Path directory = Files.createTempDirectory("new-instance-index-");
        var fresh = new TranscriptIndex(directory, compoundParts, archived);
        try {
            new TranscriptFollower(objectMapper, archive, fresh, archived).rebuildIfEmpty();

            assertThat(fresh.size()).isEqualTo(archivedInDatabase);
            assertThat(fresh.search(search("Rechnung", psid))).extracting(TranscriptSearch.Hit::conversationId).containsExactly(id);
        } finally {
            fresh.close();
        }
    }

    @Test
    void shouldServeTheArchivedDocumentAlsoWhereAnotherInstanceWroteTheFile() throws Exception {
        String psid = unique("elsewhere");
        String id = closedConversation(psid, "Ist mein Auftrag angekommen?");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> found(psid).size() == 1);
        // The archive file is on the disk of the instance that archived it; this instance has none.
        Files.delete(archiveDir.resolve(archive.baseName(id) + ".json"));

        var response = facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/transcripts/" + id))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(readJson(response.body()).path("transcript").get(0).path("text").asText()).isEqualTo("Ist mein Auftrag angekommen?");
    }

    private String closedConversation(String psid, String text) {
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, text, System.currentTimeMillis()))));
        awaitMessages(psid, 1);
        String id = awaitOffers("sales", psid, 1).get(0).path("conversationId").asText();
        var closed = closeByApi(id);
        assertThat(closed.statusCode()).isEqualTo(200);
        return id;
    }

    private void announce(String message) {
        jms.send(new org.apache.activemq.artemis.jms.client.ActiveMQTopic(indexTopic), session -> session.createTextMessage(message));
    }

    private List<TranscriptSearch.Hit> found(String psid) {
        return index.search(search(null, psid));
    }

    private static TranscriptSearch search(String words, String psid) {
        return new TranscriptSearch(words, psid, null, null, null, null, null, null, null, 10);
    }
}
