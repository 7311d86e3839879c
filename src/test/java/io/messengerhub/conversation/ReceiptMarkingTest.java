package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.messengerhub.conversation.TranscriptMessage.Direction;
import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Delivery and read receipts mark the Page's messages up to their watermark, one status on and never back. How the
 * database finds them is {@link ReceiptMarkingPlanTest}'s.
 */
class ReceiptMarkingTest extends HubSystemTest {

    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

    @Autowired
    ConversationRepository conversations;

    @Test
    void shouldMoveTheMessagesUpToTheWatermarkOneStatusOnAndNeverBack() {
        String conversation = longConversation();
        long sent = outbound(conversation, T.plusSeconds(10), "SENT");
        long delivered = outbound(conversation, T.plusSeconds(20), "DELIVERED");
        long read = outbound(conversation, T.plusSeconds(30), "READ");
        long later = outbound(conversation, T.plusSeconds(50), "SENT");

        assertThat(conversations.markOutbound(conversation, T.plusSeconds(40), "DELIVERED")).isEqualTo(1);
        assertThat(statusOf(sent)).isEqualTo("DELIVERED");
        assertThat(statusOf(read)).as("never back from READ").isEqualTo("READ");
        assertThat(statusOf(later)).as("after the watermark").isEqualTo("SENT");

        assertThat(conversations.markOutbound(conversation, T.plusSeconds(40), "READ")).isEqualTo(2);
        assertThat(statusOf(sent)).isEqualTo("READ");
        assertThat(statusOf(delivered)).isEqualTo("READ");
        assertThat(statusOf(later)).isEqualTo("SENT");
        assertThat(jdbc.sql("select count(*) from message where conversation_id = :id and direction = 'IN' and status <> 'RECEIVED'")
                .param("id", conversation).query(Integer.class).single()).as("the customer's messages untouched").isZero();
    }

    /** A conversation whose customer has written 300 messages. */
    private String longConversation() {
        String psid = unique("psid");
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));
        String id = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> conversations.findOpen(SALES_PAGE, psid), found -> found.isPresent()).orElseThrow().id();
        jdbc.sql("""
                insert into message (conversation_id, direction, kind, mid, text, sent_at, recorded_at, status)
                select :id, 'IN', 'text', 'm-' || x || '-' || :id, 'again', :sentAt, :sentAt, 'RECEIVED' from system_range(1, 300) r(x)""")
                .param("id", id).param("sentAt", OffsetDateTime.ofInstant(T, ZoneOffset.UTC)).update();
        return id;
    }

    private long outbound(String conversation, Instant sentAt, String status) {
        return conversations.append(new ConversationRepository.NewMessage(conversation, null, Direction.OUT, "text",
                "e-" + sentAt.toEpochMilli() + "-" + conversation, "an answer", null, null, null, sentAt, sentAt, status));
    }

    private String statusOf(long message) {
        return jdbc.sql("select status from message where id = :id").param("id", message).query(String.class).single();
    }
}
