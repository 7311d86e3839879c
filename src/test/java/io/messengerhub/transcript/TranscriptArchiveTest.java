package io.messengerhub.transcript;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** A closed conversation is archived as JSON and readable text under the day it closed. */
class TranscriptArchiveTest extends HubSystemTest {

    @Value("${hub.transcripts.archive-dir}")
    Path archive;

    @Test
    void shouldArchiveTheTranscriptWhenTheConversationCloses() throws Exception {
        String psid = unique("archived");
        long now = System.currentTimeMillis();
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "Hallo, meine Bestellung fehlt", now))));
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "Nummer 4711", now + 1000))));
        awaitMessages(psid, 2);
        String id = awaitOffers("sales", psid, 1).get(0).path("conversationId").asText();

        var closed = closeByApi(id);
        assertThat(closed.statusCode()).isEqualTo(200);

        Path day = archive.resolve(DateTimeFormatter.ofPattern("yyyy/MM/dd").format(LocalDate.now(ZoneOffset.UTC)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(day.resolve(id + ".txt")));
        JsonNode document = readJson(Files.readString(day.resolve(id + ".json")));
        assertThat(document.path("conversation").path("state").asText()).isEqualTo("CLOSED");
        assertThat(document.path("transcript").get(0).path("text").asText()).isEqualTo("Hallo, meine Bestellung fehlt");
        assertThat(document.path("transcript").get(1).path("text").asText()).isEqualTo("Nummer 4711");
        String text = Files.readString(day.resolve(id + ".txt"));
        assertThat(text).contains("Conversation " + id).contains("Customer: Hallo, meine Bestellung fehlt").contains("Customer: Nummer 4711");
    }
}
