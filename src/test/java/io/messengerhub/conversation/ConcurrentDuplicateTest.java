package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import io.messengerhub.event.FacebookEvent;
import io.messengerhub.event.FacebookEventParser;
import io.messengerhub.intake.ConversationRecorder;
import io.messengerhub.support.HubSystemTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The same event recorded by two consumers at the same moment (Facebook re-sent it in a webhook of another
 * customer's group): one records it, the other drops it as a duplicate, and neither fails.
 */
class ConcurrentDuplicateTest extends HubSystemTest {

    @Autowired
    ConversationRecorder recorder;

    @Autowired
    FacebookEventParser parser;

    @Test
    void shouldTreatAConcurrentDuplicateAsADuplicateNotAnError() throws Exception {
        for (int round = 0; round < 20; round++) {
            String psid = unique("psid");
            FacebookEvent event = parser.parse(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "twice")))
                    .getBytes(StandardCharsets.UTF_8)).get(0);
            var barrier = new CyclicBarrier(2);
            var first = CompletableFuture.runAsync(() -> recordAfter(barrier, event));
            var second = CompletableFuture.runAsync(() -> recordAfter(barrier, event));

            // Both complete normally (a DuplicateKeyException would fail join()); one of them decided the offer.
            first.join();
            second.join();
            assertThat(awaitOffers("sales", psid, 1)).as("exactly one records round %d", round).hasSize(1);
            assertThat(messagesOf(psid)).isEqualTo(1);
            assertThat(conversationsOf(psid)).isEqualTo(1);
        }
    }

    @Test
    void shouldAppendToTheConversationAnotherConsumerJustOpened() throws Exception {
        for (int round = 0; round < 20; round++) {
            String psid = unique("psid");
            var events = parser.parse(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "a-" + psid, "one"),
                    text(SALES_PAGE, psid, "b-" + psid, "two"))).getBytes(StandardCharsets.UTF_8));
            var barrier = new CyclicBarrier(2);
            var first = CompletableFuture.runAsync(() -> recordAfter(barrier, events.get(0)));
            var second = CompletableFuture.runAsync(() -> recordAfter(barrier, events.get(1)));

            first.join();
            second.join();
            assertThat(messagesOf(psid)).as("both messages kept, round %d", round).isEqualTo(2);
            assertThat(conversationsOf(psid)).isEqualTo(1);
        }
    }

    private void recordAfter(CyclicBarrier barrier, FacebookEvent event) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        recorder.record(event, null);
    }
}
