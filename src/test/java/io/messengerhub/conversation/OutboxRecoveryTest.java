package io.messengerhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import io.messengerhub.outbox.Outbox;
import io.messengerhub.outbox.OutboxMessage;
import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An offer committed to the database but never sent (the hub stopped between commit and send) is sent by the
 * outbox-sweeper; sending it twice leaves one message on the queue, thanks to the broker's duplicate detection.
 */
class OutboxRecoveryTest extends HubSystemTest {

    @Autowired
    private Outbox outbox;

    @Test
    void shouldSendAnUnsentOfferOnceEvenWhenItIsSentTwice() {
        String psid = unique("psid");
        String body = "{\"type\":\"conversation.offered\",\"conversationId\":\"c-" + psid + "\",\"customerPsid\":\"" + psid
                + "\",\"queue\":\"recovery\"}";

        insertStaleOutboxRow("offer:c-" + psid, body);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(psid) == 0);
        // Sent again together with one that was never sent: the broker transaction of the two fails on the duplicate,
        // and one by one the new one arrives and the duplicate is dropped.
        String other = psid + "-next";
        insertStaleOutboxRow("offer:c-" + psid, body);
        insertStaleOutboxRow("offer:c-" + other, body.replace(psid, other));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(psid) == 0);

        assertThat(offersFor("recovery", psid)).hasSize(1);
        assertThat(offersFor("recovery", other)).hasSize(1);
    }

    /**
     * What the broker has for good is deleted with the others sent meanwhile (route outbox-forget), and until then the
     * sweeper leaves it alone, however old it is.
     */
    @Test
    void shouldLeaveWhatWasSentToBeForgottenNotSentAgain() {
        String psid = unique("psid");
        insertStaleOutboxRow("offer:c-" + psid, "{\"type\":\"conversation.offered\",\"customerPsid\":\"" + psid + "\"}");
        long id = jdbc.sql("select id from outbox where dedup_id = :dedupId").param("dedupId", "offer:c-" + psid)
                .query(Long.class).single();

        outbox.sent(List.of(id));

        assertThat(outbox.stale()).extracting(OutboxMessage::id).doesNotContain(id);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> outboxRows(psid) == 0);
    }

    private void insertStaleOutboxRow(String dedupId, String body) {
        jdbc.sql("insert into outbox (destination, dedup_id, body, created_at) values (:destination, :dedupId, :body, :createdAt)")
                .param("destination", "contact-center.offers.recovery")
                .param("dedupId", dedupId)
                .param("body", body)
                .param("createdAt", OffsetDateTime.now().minusMinutes(1))
                .update();
    }

    private int outboxRows(String psid) {
        return jdbc.sql("select count(*) from outbox where body like :pattern").param("pattern", "%" + psid + "%")
                .query(Integer.class).single();
    }
}
