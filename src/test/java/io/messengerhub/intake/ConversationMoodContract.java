package io.messengerhub.intake;

import static io.messengerhub.support.FacebookPayloads.T0;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.messengerhub.event.FacebookEvent;
import io.messengerhub.event.FacebookEventParser;
import io.messengerhub.sentiment.RecentScores;
import io.messengerhub.sentiment.RecentScores.Scored;
import io.messengerhub.sentiment.RollingSentiment;
import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A conversation's mood is the average of its last six scored customer messages in transcript order (time sent, then
 * id). Its row keeps those six, so that scoring a message reads nothing back; these tests hold the row to what the
 * transcript says, whatever order messages arrive in, for conversations from before the row kept them, and when two
 * transactions write the same conversation at once. On H2 and on PostgreSQL.
 */
abstract class ConversationMoodContract extends HubSystemTest {

    private static final String[] TEXTS = {"Thank you, that is great!", "This is terrible, I am angry", "ok",
            "I love it, wonderful service", "Awful. Never again!!!", "fine, thanks", "bad, very bad", "super, perfect 👍"};

    @Autowired
    ConversationRecorder recorder;

    @Autowired
    FacebookEventParser parser;

    @Autowired
    TransactionTemplate transaction;

    /** Whether some session of the hub's database waits for a row lock another holds. */
    abstract boolean aSessionWaitsForALock();

    @Test
    void shouldKeepTheLastSixInTranscriptOrderWhateverOrderMessagesArriveIn() {
        String psid = unique("mood");
        // Sent at these seconds after T0, arriving in this order: late ones take their place among the others.
        long[] sentAt = {0, 5, 1, 9, 2, 7, 3, 8, 4, 6, 0};
        for (int i = 0; i < sentAt.length; i++) {
            customerWrites(psid, "m" + i + "-" + psid, TEXTS[i % TEXTS.length], T0 + 1_000 * sentAt[i]);

            assertThat(kept(psid)).as("after message %d", i).isEqualTo(lastSixInTranscript(psid));
            assertThat(score(psid)).isCloseTo(RollingSentiment.average(lastSixInTranscript(psid).scores()), within(1e-12));
        }
        assertThat(kept(psid).messages()).hasSize(6);
    }

    @Test
    void shouldReadTheMoodFromTheTranscriptWhenTheRowKeepsNoScoresOrUnreadableOnes() {
        String psid = unique("older");
        for (int i = 0; i < 4; i++) {
            customerWrites(psid, "m" + i + "-" + psid, TEXTS[i], T0 + 1_000 * i);
        }
        // As a conversation opened before the row kept its last scores (migration V19) looks.
        jdbc.sql("update conversation set recent_sentiment = null where customer_psid = :psid").param("psid", psid).update();

        customerWrites(psid, "m4-" + psid, TEXTS[4], T0 + 4_000);

        assertThat(kept(psid).messages()).hasSize(5);
        assertThat(kept(psid)).isEqualTo(lastSixInTranscript(psid));
        assertThat(score(psid)).isCloseTo(RollingSentiment.average(lastSixInTranscript(psid).scores()), within(1e-12));

        // Scores that cannot be read (edited by hand) cost the message nothing: read from the transcript, and replaced.
        jdbc.sql("update conversation set recent_sentiment = 'not/scores' where customer_psid = :psid").param("psid", psid).update();

        customerWrites(psid, "m5-" + psid, TEXTS[5], T0 + 5_000);

        assertThat(messagesOf(psid)).isEqualTo(6);
        assertThat(kept(psid)).isEqualTo(lastSixInTranscript(psid));
        assertThat(kept(psid).messages()).hasSize(6);
    }

    /**
     * Two messages of one customer are recorded at once (one customer's messages are ordered by their message group,
     * but a group may move to another consumer or hub): the second finds the row as it was before the first
     * committed, and its write must not drop the first's score.
     */
    @Test
    void shouldNotLoseTheScoreOfAMessageRecordedAtTheSameTime() throws Exception {
        String psid = unique("race");
        customerWrites(psid, "m0-" + psid, TEXTS[0], T0);
        customerWrites(psid, "m1-" + psid, TEXTS[1], T0 + 1_000);

        var firstRecorded = new CountDownLatch(1);
        var commitFirst = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            customerWrites(psid, "m2-" + psid, TEXTS[4], T0 + 2_000);
            firstRecorded.countDown();
            await(commitFirst);
        }));
        assertThat(firstRecorded.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> customerWrites(psid, "m3-" + psid, TEXTS[6], T0 + 3_000));
        // The second has read the row and waits to write it until the first commits.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(this::aSessionWaitsForALock);
        commitFirst.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertThat(messagesOf(psid)).isEqualTo(4);
        assertThat(kept(psid).messages()).hasSize(4);
        assertThat(kept(psid)).isEqualTo(lastSixInTranscript(psid));
        assertThat(score(psid)).isCloseTo(RollingSentiment.average(lastSixInTranscript(psid).scores()), within(1e-12));
    }

    private void customerWrites(String psid, String mid, String text, long sentAt) {
        recorder.recordAll(events(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, mid, text, sentAt)))), List.of());
    }

    private List<FacebookEvent> events(String webhook) {
        return ParsedWebhook.events(parser, webhook);
    }

    private RecentScores kept(String psid) {
        return RecentScores.parse(jdbc.sql("select recent_sentiment from conversation where customer_psid = :psid")
                .param("psid", psid).query(String.class).single());
    }

    private double score(String psid) {
        return jdbc.sql("select sentiment_score from conversation where customer_psid = :psid")
                .param("psid", psid).query(Double.class).single();
    }

    /** The last six scored customer messages as the transcript orders them, the way the hub read them before V19. */
    private RecentScores lastSixInTranscript(String psid) {
        List<Scored> scored = jdbc.sql("""
                        select m.id, m.sent_at, m.sentiment from message m join conversation c on c.id = m.conversation_id
                        where c.customer_psid = :psid and m.direction = 'IN' and m.sentiment is not null
                        order by m.sent_at desc, m.id desc limit 6""")
                .param("psid", psid)
                .query((rs, row) -> new Scored(rs.getObject("sent_at", OffsetDateTime.class).toInstant().toEpochMilli(),
                        rs.getLong("id"), rs.getDouble("sentiment")))
                .list();
        RecentScores recent = RecentScores.NONE;
        for (Scored message : scored) {
            recent = recent.with(message.sentAtMillis(), message.messageId(), message.score());
        }
        return recent;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
