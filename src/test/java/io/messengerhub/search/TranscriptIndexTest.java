package io.messengerhub.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.customer.Customer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcript search: words in German and English, every filter, and deletion for retention and erasure. */
class TranscriptIndexTest {

    private static final Path PARTS = Path.of("config/search/german-compound-parts.txt");
    private static final Instant NOV_1 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant NOV_20 = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path directory;
    private TranscriptIndex index;

    @AfterEach
    void close() throws Exception {
        if (index != null) {
            index.close();
        }
    }

    @Test
    void shouldFindTranscriptsByGermanAndEnglishWordsAndFilters() throws Exception {
        index = new TranscriptIndex(directory, PARTS);
        index.index(closed("c-de", "psid-1", "anna", "billing", NOV_1), transcript("Meine Rückerstattung für die Rechnungen fehlt noch"));
        index.index(closed("c-en", "psid-2", "ben", "sales", NOV_20), transcript("My parcels never arrived, I want a refund"));
        index.index(closed("c-de2", "psid-1", "ben", "sales", NOV_20), transcript("Die Lieferadresse hat sich geändert"));

        assertThat(ids(search("Rueckerstattung Rechnung", null, null, null, null))).containsExactly("c-de");
        assertThat(ids(search("erstattung", null, null, null, null))).containsExactly("c-de");
        assertThat(ids(search("refunds parcel", null, null, null, null))).containsExactly("c-en");
        assertThat(ids(search("Adresse", null, null, null, null))).containsExactly("c-de2");
        assertThat(ids(search("geandert", null, null, null, null))).containsExactly("c-de2");

        assertThat(ids(search(null, "psid-1", null, null, null))).containsExactly("c-de2", "c-de");
        assertThat(ids(search(null, null, "ben", null, null))).containsExactlyInAnyOrder("c-en", "c-de2");
        assertThat(ids(search(null, null, null, "billing", null))).containsExactly("c-de");
        assertThat(ids(search(null, null, null, null, Instant.parse("2026-11-10T00:00:00Z")))).containsExactlyInAnyOrder("c-de2", "c-en");
        assertThat(ids(index.search(new TranscriptSearch(null, null, null, null, null, null, "closed", null, NOV_20, 0)))).containsExactly("c-de");
        assertThat(ids(index.search(new TranscriptSearch(null, null, null, null, "page-x", null, null, null, null, 0)))).isEmpty();

        TranscriptSearch.Hit hit = search("refund", null, null, null, null).get(0);
        assertThat(hit.snippet()).contains("I want a refund");
        assertThat(hit.transcript()).isEqualTo("/api/transcripts/c-en");
        assertThat(hit.customerName()).isEqualTo("Erika Mustermann");
    }

    @Test
    void shouldKeepTheIndexAcrossARestartAndDeleteForRetentionAndErasure() throws Exception {
        index = new TranscriptIndex(directory, PARTS);
        index.index(closed("old", "psid-1", "anna", "billing", NOV_1), transcript("alte Beschwerde"));
        index.index(closed("new", "psid-2", "anna", "billing", NOV_20), transcript("neue Beschwerde"));
        index.close();

        index = new TranscriptIndex(directory, PARTS);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.deleteClosedBefore(Instant.parse("2026-11-10T00:00:00Z"))).isEqualTo(1);
        assertThat(ids(search("Beschwerde", null, null, null, null))).containsExactly("new");

        assertThat(index.conversationsOf(List.of("psid-2"))).containsExactly("new");
        index.delete(List.of("new"));
        assertThat(index.size()).isZero();
    }

    private List<TranscriptSearch.Hit> search(String text, String psid, String agent, String queue, Instant from) {
        return index.search(new TranscriptSearch(text, psid, null, agent, null, queue, null, from, null, 0));
    }

    private static List<String> ids(List<TranscriptSearch.Hit> hits) {
        return hits.stream().map(TranscriptSearch.Hit::conversationId).toList();
    }

    private static Conversation closed(String id, String psid, String agent, String queue, Instant closedAt) {
        return new Conversation(id, "page-1", psid, ConversationState.CLOSED, queue, closedAt.minusSeconds(600), closedAt,
                closedAt, closedAt, "contact-" + psid, new Customer("contact-" + psid, "Erika", "Mustermann", null, null, "de_DE", null, null, false, null, List.of(), Customer.FROM_CRM),
                false, agent);
    }

    private static String transcript(String customerText) {
        return "Conversation x\nPage page-1, queue q, agent a\nCustomer Erika\nOpened 2026\n\n[2026-11-01 10:00:00 UTC] Customer: Hallo\n"
                + "[2026-11-01 10:00:05 UTC] Customer: " + customerText + "\n";
    }
}
