package io.messengerhub.intake;

import static io.messengerhub.support.FacebookPayloads.T0;
import static io.messengerhub.support.FacebookPayloads.delivery;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.read;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.messengerhub.event.FacebookEvent;
import io.messengerhub.event.FacebookEventParser;
import io.messengerhub.support.HubSystemTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The events of one webhook are recorded in one transaction, and one by one when that fails: who is looked up before
 * recording, and that the counters count what was committed, not what was tried. That the events share one
 * transaction is shown on PostgreSQL, which names it (WebhookIngestionOnPostgresTest).
 */
class WebhookBatchRecordingTest extends HubSystemTest {

    @Autowired
    ConversationRecorder recorder;

    @Autowired
    FacebookEventParser parser;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldLookUpEachCustomerWithoutAnOpenConversationOnce() {
        String alice = unique("alice");
        String bob = unique("bob");
        String carol = unique("carol");
        recorder.recordAll(events(webhook(entry(SALES_PAGE, text(SALES_PAGE, carol, "c1-" + carol, "hello")))), List.of());

        var events = events(webhook(entry(SALES_PAGE,
                text(SALES_PAGE, alice, "a1-" + alice, "one"), text(SALES_PAGE, alice, "a2-" + alice, "two"),
                text(SALES_PAGE, carol, "c2-" + carol, "again"), delivery(SALES_PAGE, bob, T0, "m-x"),
                text(SALES_PAGE, bob, "b1-" + bob, "hi"))));

        assertThat(recorder.customersToLookUp(events)).extracting(event -> event.context().customerPsid())
                .containsExactly(alice, bob);
    }

    @Test
    void shouldKeepTheEventsBeforeOneThatCannotBeRecordedAndCountEachOnce() {
        String psid = unique("psid");
        String tooLongPage = "7".repeat(80);
        var events = events(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "kept")),
                entry(tooLongPage, text(tooLongPage, psid, "x-" + psid, "cannot be stored"))));
        double processed = count("hub.events.processed");
        double duplicates = count("hub.events.duplicates");

        assertThatThrownBy(() -> recorder.recordAll(events, List.of()))
                .satisfies(failure -> assertThat(failure.getMessage()).containsIgnoringCase("value too long"));
        assertThat(messagesOf(psid)).isEqualTo(1);
        assertThat(count("hub.events.processed") - processed).as("the first event, committed once").isEqualTo(1.0);
        assertThat(awaitOffers("sales", psid, 1)).hasSize(1);

        // The broker delivers the webhook again: the first event is a duplicate, counted once, and the second fails again.
        assertThatThrownBy(() -> recorder.recordAll(events, List.of()))
                .satisfies(failure -> assertThat(failure.getMessage()).containsIgnoringCase("value too long"));
        assertThat(messagesOf(psid)).isEqualTo(1);
        assertThat(count("hub.events.processed") - processed).isEqualTo(1.0);
        assertThat(count("hub.events.duplicates") - duplicates).isEqualTo(1.0);
        assertThat(offersFor("sales", psid)).hasSize(1);
    }

    @Test
    void shouldFileEachReceiptUnderTheConversationOpenWhenItArrived() {
        String psid = unique("psid");
        // A read before the customer's first message (no conversation yet), the message, then its delivery: the
        // delivery belongs to the conversation the message opened in the same transaction.
        recorder.recordAll(events(webhook(entry(SALES_PAGE, read(SALES_PAGE, psid, T0), text(SALES_PAGE, psid, "m-" + psid, "hello"),
                delivery(SALES_PAGE, psid, T0 + 1, "m-x")))), List.of());

        String conversation = jdbc.sql("select id from conversation where customer_psid = :psid").param("psid", psid)
                .query(String.class).single();
        assertThat(jdbc.sql("select kind, conversation_id from facebook_event where customer_psid = :psid order by id")
                .param("psid", psid).query((rs, row) -> rs.getString(1) + " " + rs.getString(2)).list())
                .containsExactly("read null", "message " + conversation, "delivery " + conversation);
    }

    private List<FacebookEvent> events(String webhook) {
        return ParsedWebhook.events(parser, webhook);
    }

    private double count(String name) {
        return meters.find(name).tag("kind", "message").counters().stream().mapToDouble(Counter::count).sum();
    }
}
