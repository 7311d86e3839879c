package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.T0;
import static io.messengerhub.support.FacebookPayloads.attachments;
import static io.messengerhub.support.FacebookPayloads.delivery;
import static io.messengerhub.support.FacebookPayloads.echo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.fallback;
import static io.messengerhub.support.FacebookPayloads.file;
import static io.messengerhub.support.FacebookPayloads.location;
import static io.messengerhub.support.FacebookPayloads.optin;
import static io.messengerhub.support.FacebookPayloads.passThreadControl;
import static io.messengerhub.support.FacebookPayloads.postback;
import static io.messengerhub.support.FacebookPayloads.quickReply;
import static io.messengerhub.support.FacebookPayloads.reaction;
import static io.messengerhub.support.FacebookPayloads.read;
import static io.messengerhub.support.FacebookPayloads.referral;
import static io.messengerhub.support.FacebookPayloads.standbyEntry;
import static io.messengerhub.support.FacebookPayloads.sticker;
import static io.messengerhub.support.FacebookPayloads.takeThreadControl;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.unknown;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The webhook spine end to end, from a signed POST to the stored transcript and the offer on the agent queue.
 * Runs once per database (H2 and PostgreSQL) through its subclasses.
 */
abstract class WebhookIngestionContract extends HubSystemTest {

    @Autowired
    CamelContext camel;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void processingRuns() throws Exception {
        camel.getRouteController().startRoute("webhook-process");
    }

    @Test
    void shouldRecordWebhooksThatWaitedTogetherInFewerTransactionsThanWebhooksAndEachOnce() throws Exception {
        // The webhooks wait on the broker, as they do when they arrive faster than they are recorded.
        List<String> psids = newCustomersWaitingTogether(camel, 40);
        long batchesBefore = batchesProcessed();

        camel.getRouteController().startRoute("webhook-process");

        for (String psid : psids) {
            assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
            awaitMessages(psid, 1);
        }
        long batches = batchesProcessed() - batchesBefore;
        assertThat(batches).as("consumer exchanges for 40 webhooks").isPositive().isLessThan(40);
        for (String psid : psids) {
            assertThat(conversationsOf(psid)).isEqualTo(1);
            assertThat(eventsOf(psid, "message")).isEqualTo(1);
            assertThat(offersFor("sales", psid)).hasSize(1);
        }
    }

    @Test
    void shouldDeadLetterOnlyTheWebhookThatCannotBeRecordedAndRecordTheRestOfItsBatchOnce() throws Exception {
        String tooLongPage = "7".repeat(80);
        camel.getRouteController().stopRoute("webhook-process");
        String before = unique("psid");
        String poisoned = unique("psid");
        String after = unique("psid");
        String poison = webhook(entry(tooLongPage, text(tooLongPage, poisoned, "m-" + poisoned, "cannot be stored")));
        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, before, "m-" + before, "before")))).statusCode())
                .isEqualTo(200);
        assertThat(facebook.postSigned(poison).statusCode()).isEqualTo(200);
        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, after, "m-" + after, "after")))).statusCode())
                .isEqualTo(200);

        camel.getRouteController().startRoute("webhook-process");

        // The batch is sent back and delivered again until the poisoned webhook's last attempt; the others are
        // recorded on the way (their later deliveries are duplicates) and never dead-lettered.
        var deadLetter = awaitDeadLetter(poison);
        assertThat(deadLetter.getStringProperty("hubDeadLetterReason")).containsIgnoringCase("value too long");
        for (String psid : List.of(before, after)) {
            assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
            assertThat(conversationsOf(psid)).isEqualTo(1);
            assertThat(eventsOf(psid, "message")).isEqualTo(1);
        }
        jms.setReceiveTimeout(2000);
        var more = jms.receive("hub.webhook.dead-letter");
        assertThat(more == null ? "" : bodyText(more)).as("nothing else dead-lettered, the poisoned webhook once")
                .doesNotContain(before).doesNotContain(after).doesNotContain(poisoned);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from outbox").query(Integer.class).single() == 0);
        assertThat(offersFor("sales", before)).hasSize(1);
        assertThat(offersFor("sales", after)).hasSize(1);
    }

    /** Exchanges of the processing consumer: one per batch of stored webhooks. */
    private long batchesProcessed() {
        return meters.find("camel.route.policy").tag("routeId", "webhook-process").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    @Test
    void shouldStoreFirstMessageAndOfferTheNewConversationOnce() {
        String psid = unique("psid");

        var response = facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello, I need help"))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("EVENT_RECEIVED");
        List<JsonNode> offers = awaitOffers("sales", psid, 1);
        JsonNode offer = offers.get(0);
        assertThat(offer.path("type").asText()).isEqualTo("conversation.offered");
        assertThat(offer.path("pageId").asText()).isEqualTo(SALES_PAGE);
        assertThat(offer.path("pageName").asText()).isEqualTo("Test Sales");
        assertThat(offer.path("queue").asText()).isEqualTo("sales");
        assertThat(offer.path("conversationId").asText()).isNotBlank();
        assertThat(offer.path("firstMessage").path("text").asText()).isEqualTo("Hello, I need help");
        assertThat(offer.path("firstMessage").path("mid").asText()).isEqualTo("m-" + psid);
        assertThat(messagesOf(psid)).isEqualTo(1);
        assertThat(jdbc.sql("select state from conversation where customer_psid = :psid").param("psid", psid)
                .query(String.class).single()).isEqualTo("OPEN");
    }

    @Test
    void shouldStoreLaterMessagesInOrderWithoutOfferingAgain() {
        String psid = unique("psid");

        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "first", T0))));
        awaitOffers("sales", psid, 1);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m3-" + psid, "third", T0 + 2000))));
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "second", T0 + 1000))));
        awaitMessages(psid, 3);

        assertThat(conversationsOf(psid)).isEqualTo(1);
        assertThat(offersFor("sales", psid)).hasSize(1);
        JsonNode transcript = transcriptOf(psid);
        assertThat(texts(transcript)).containsExactly("first", "second", "third");
    }

    @Test
    void shouldStoreAndDispatchOnceWhenFacebookSendsTheSameDeliveryTwice() {
        String psid = unique("psid");
        String body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "twice")));

        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);
        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);
        // The re-send may also come in another batch, with another envelope around the same mid.
        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "twice"),
                text(SALES_PAGE, psid, "m2-" + psid, "after")))).statusCode()).isEqualTo(200);

        awaitMessages(psid, 2);
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> messagesOf(psid) == 2);
        assertThat(offersFor("sales", psid)).hasSize(1);
        assertThat(eventsOf(psid, "message")).isEqualTo(2);
    }

    @Test
    void shouldProcessEveryEntryAndEventOfABatch() {
        String alice = unique("alice");
        String bob = unique("bob");
        String otherPage = UNCONFIGURED_PAGE;

        var response = facebook.postSigned(webhook(
                entry(SALES_PAGE, textAt(SALES_PAGE, alice, "a1-" + alice, "a1", T0), textAt(SALES_PAGE, alice, "a2-" + alice, "a2", T0 + 1)),
                entry(otherPage, textAt(otherPage, bob, "b1-" + bob, "b1", T0), textAt(otherPage, bob, "b2-" + bob, "b2", T0 + 1))));

        assertThat(response.statusCode()).isEqualTo(200);
        awaitMessages(alice, 2);
        awaitMessages(bob, 2);
        assertThat(texts(transcriptOf(alice))).containsExactly("a1", "a2");
        assertThat(texts(transcriptOf(bob))).containsExactly("b1", "b2");
        assertThat(awaitOffers("sales", alice, 1)).hasSize(1);
        assertThat(awaitOffers("general", bob, 1)).hasSize(1);
    }

    @Test
    void shouldRouteAnUnconfiguredPageToGeneral() {
        String psid = unique("psid");

        facebook.postSigned(webhook(entry(UNCONFIGURED_PAGE, text(UNCONFIGURED_PAGE, psid, "m-" + psid, "anyone there?"))));

        JsonNode offer = awaitOffers("general", psid, 1).get(0);
        assertThat(offer.path("queue").asText()).isEqualTo("general");
        assertThat(offer.path("pageName").isNull()).isTrue();
    }

    @Test
    void shouldRouteByKeywordRuleBeforeThePageQueue() {
        String psid = unique("psid");

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "I want a REFUND please"))));

        assertThat(awaitOffers("billing", psid, 1).get(0).path("queue").asText()).isEqualTo("billing");
        assertThat(offersFor("sales", psid)).isEmpty();
    }

    @Test
    void shouldKeepNonAsciiTextSignedOverTheRawBytes() {
        String psid = unique("psid");
        // Facebook signs an escaped-unicode form; a client may also send raw UTF-8. Both must verify and decode alike.
        String escaped = webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "e-" + psid, "Gr\\u00fc\\u00dfe \\ud83d\\ude00", T0)));
        String raw = webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "r-" + psid, "Grüße 😀 ñ", T0 + 1)));

        assertThat(facebook.postSigned(escaped).statusCode()).isEqualTo(200);
        assertThat(facebook.postSigned(raw).statusCode()).isEqualTo(200);

        awaitMessages(psid, 2);
        assertThat(texts(transcriptOf(psid))).containsExactly("Grüße 😀", "Grüße 😀 ñ");
    }

    @Test
    void shouldTypeAndStoreEveryDocumentedEventType() {
        String psid = unique("psid");
        String p = SALES_PAGE;
        var response = facebook.postSigned(webhook(entry(p,
                textAt(p, psid, "m-text-" + psid, "hi", T0),
                quickReply(p, psid, "m-qr-" + psid, "Yes", "CONFIRM_YES"),
                attachments(p, psid, "m-att-" + psid,
                        file("image", "https://scontent.xx.fbcdn.net/a.jpg"),
                        file("audio", "https://cdn.fbsbx.com/a.mp4"),
                        file("video", "https://video.xx.fbcdn.net/v.mp4"),
                        file("file", "https://cdn.fbsbx.com/doc.pdf"),
                        location(52.52, 13.405),
                        fallback("A shared link", "https://example.org/article"),
                        sticker(369239263222822L, "https://scontent.xx.fbcdn.net/sticker.png"),
                        file("reel", "https://video.xx.fbcdn.net/reel.mp4")),
                postback(p, psid, "m-pb-" + psid, "Get Started", "GET_STARTED"),
                echo(p, psid, "m-echo-" + psid, "Hello from the Page inbox", T0 + 20),
                delivery(p, psid, T0 + 20, "m-echo-" + psid),
                reaction(p, psid, "m-echo-" + psid, "react", "❤"),
                referral(p, psid, "summer-campaign"),
                optin(p, psid, "newsletter"),
                passThreadControl(p, psid, "263902037430900"),
                takeThreadControl(p, psid, "263902037430900"),
                unknown(p, psid)),
                standbyEntry(p, textAt(p, psid, "m-standby-" + psid, "seen while another app owns the thread", T0 + 30))));
        assertThat(response.statusCode()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(psid, "unknown") == 1 && eventsOf(psid, "standby") == 1);
        facebook.postSigned(webhook(entry(p, read(p, psid, T0 + 25))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(psid, "read") == 1);

        for (String kind : List.of("message", "echo", "postback", "delivery", "reaction", "referral", "optin", "handover",
                "standby", "unknown", "read")) {
            assertThat(eventsOf(psid, kind)).as("stored events of kind %s", kind).isPositive();
        }
        assertThat(eventsOf(psid, "handover")).isEqualTo(2);
        JsonNode transcript = transcriptOf(psid);
        JsonNode quick = find(transcript, "m-qr-" + psid);
        assertThat(quick.path("quickReplyPayload").asText()).isEqualTo("CONFIRM_YES");
        JsonNode files = find(transcript, "m-att-" + psid).path("attachments");
        assertThat(StreamSupport.stream(files.spliterator(), false).map(a -> a.path("type").asText()))
                .containsExactly("image", "audio", "video", "file", "location", "fallback", "sticker", "reel");
        // A customer's file is named by its attachment id; its CDN link stays with the download, out of the transcript.
        JsonNode image = files.get(0);
        assertThat(image.path("attachmentId").asText()).isNotEmpty();
        assertThat(image.toString()).doesNotContain("scontent.xx.fbcdn.net");
        assertThat(jdbc.sql("select source_url from attachment where id = :id").param("id", image.path("attachmentId").asText())
                .query(String.class).single()).isEqualTo("https://scontent.xx.fbcdn.net/a.jpg");
        assertThat(files.get(4).path("payload").path("coordinates").path("lat").asDouble()).isEqualTo(52.52);
        assertThat(files.get(5).path("url").asText()).isEqualTo("https://example.org/article");
        assertThat(files.get(5).path("title").asText()).isEqualTo("A shared link");
        assertThat(files.get(6).path("payload").path("sticker_id").asLong()).isEqualTo(369239263222822L);
        JsonNode postback = find(transcript, "m-pb-" + psid);
        assertThat(postback.path("kind").asText()).isEqualTo("postback");
        assertThat(postback.path("text").asText()).isEqualTo("Get Started");
        assertThat(postback.path("quickReplyPayload").asText()).isEqualTo("GET_STARTED");
        JsonNode echoed = find(transcript, "m-echo-" + psid);
        assertThat(echoed.path("direction").asText()).isEqualTo("OUT");
        assertThat(echoed.path("status").asText()).isEqualTo("READ");
        assertThat(StreamSupport.stream(transcript.spliterator(), false).filter(m -> m.path("kind").asText().equals("reaction")))
                .singleElement().satisfies(r -> assertThat(r.path("text").asText()).isEqualTo("❤"));
        assertThat(StreamSupport.stream(transcript.spliterator(), false).map(m -> m.path("mid").asText()))
                .doesNotContain("m-standby-" + psid);
    }

    @Test
    void shouldDeduplicateReceiptsOnTheirWatermark() {
        String psid = unique("psid");
        String p = SALES_PAGE;
        facebook.postSigned(webhook(entry(p, textAt(p, psid, "m-" + psid, "hi", T0))));
        facebook.postSigned(webhook(entry(p, echo(p, psid, "e1-" + psid, "first answer", T0 + 100))));
        facebook.postSigned(webhook(entry(p, echo(p, psid, "e2-" + psid, "second answer", T0 + 200))));
        awaitMessages(psid, 3);

        facebook.postSigned(webhook(entry(p, read(p, psid, T0 + 150))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(psid, "read") == 1);
        facebook.postSigned(webhook(entry(p, read(p, psid, T0 + 120))));
        facebook.postSigned(webhook(entry(p, read(p, psid, T0 + 150))));
        facebook.postSigned(webhook(entry(p, delivery(p, psid, T0 + 250, "e2-" + psid))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(psid, "delivery") == 1);

        assertThat(eventsOf(psid, "read")).isEqualTo(1);
        JsonNode transcript = transcriptOf(psid);
        assertThat(find(transcript, "e1-" + psid).path("status").asText()).isEqualTo("READ");
        assertThat(find(transcript, "e2-" + psid).path("status").asText()).isEqualTo("DELIVERED");

        // Read after delivered.
        facebook.postSigned(webhook(entry(p, read(p, psid, T0 + 300))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(psid, "read") == 2);
        assertThat(find(transcriptOf(psid), "e2-" + psid).path("status").asText()).isEqualTo("READ");
    }

    @Test
    void shouldDeadLetterAnEventThatCannotBeStoredWithTheReason() throws Exception {
        String tooLongPage = "9".repeat(80);
        String psid = unique("psid");
        String body = webhook(entry(tooLongPage, text(tooLongPage, psid, "m-" + psid, "cannot be stored")));

        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);

        var deadLetter = awaitDeadLetter(body);
        assertThat(deadLetter.getStringProperty("hubDeadLetterReason")).containsIgnoringCase("value too long");
        // The consumer the replay goes back to, not the webhook-by-webhook route the failure came from.
        assertThat(deadLetter.getStringProperty("hubDeadLetterRoute")).isEqualTo("webhook-process");
        assertThat(conversationsOf(psid)).isZero();
    }

    @Test
    void shouldRecordAndOfferTheEarlierEventsOfAWebhookWhoseLaterEventFailsForGood() throws Exception {
        String tooLongPage = "8".repeat(80);
        String psid = unique("psid");
        String body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "recorded before the failure")),
                entry(tooLongPage, text(tooLongPage, psid, "x-" + psid, "cannot be stored")));

        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);

        // The webhook is rolled back and delivered again until it is dead-lettered; the offer of its first event,
        // decided and committed in the first attempt, must survive every one of those rollbacks.
        var deadLetter = awaitDeadLetter(body);
        assertThat(deadLetter.getStringProperty("hubDeadLetterReason")).containsIgnoringCase("value too long");
        assertThat(messagesOf(psid)).isEqualTo(1);
        assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from outbox").query(Integer.class).single() == 0);
        assertThat(offersFor("sales", psid)).hasSize(1);
    }

    @Test
    void shouldRecordTheOtherEventsAndKeepAMalformedOneAsideWithItsReason() throws Exception {
        String psid = unique("psid");
        String withoutSender = "{\"recipient\":{\"id\":\"" + SALES_PAGE + "\"},\"timestamp\":" + T0
                + ",\"message\":{\"mid\":\"nosender-" + psid + "\",\"text\":\"who am I\"}}";
        String withoutTimestamp = "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + SALES_PAGE
                + "\"},\"message\":{\"mid\":\"notime-" + psid + "\",\"text\":\"when\"}}";
        String entryWithoutId = "{\"time\":" + T0 + ",\"messaging\":[" + text(SALES_PAGE, psid, "noentry-" + psid, "where") + "]}";
        String body = webhook(entry(SALES_PAGE, withoutSender, text(SALES_PAGE, psid, "m-" + psid, "I am fine"), withoutTimestamp),
                entryWithoutId);

        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);
        // Facebook sends it again: the refused items are kept aside once.
        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);

        assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
        awaitMessages(psid, 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(psid, "message") == 1);
        assertThat(texts(transcriptOf(psid))).containsExactly("I am fine");
        var refused = new java.util.HashMap<String, JsonNode>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            jms.setReceiveTimeout(500);
            var message = jms.receive("hub.webhook.dead-letter");
            if (message != null) {
                String kept = bodyText(message);
                if (kept.contains(psid) || kept.contains("nosender-" + psid)) {
                    refused.put(message.getStringProperty("hubDeadLetterReason"), readJson(kept));
                }
            }
            return refused.size() >= 3;
        });
        assertThat(refused).containsOnlyKeys("event refused: sender.id missing",
                "event refused: timestamp missing or not a number", "event refused: entry.id missing");
        jms.setReceiveTimeout(2000);
        var again = jms.receive("hub.webhook.dead-letter");
        assertThat(again == null ? "" : bodyText(again))
                .as("no second copy of a refused item").doesNotContain(psid);
        // Each is kept as a webhook of its own holding just the refused item, ready to be replayed.
        JsonNode kept = refused.get("event refused: sender.id missing");
        assertThat(kept.path("object").asText()).isEqualTo("page");
        assertThat(kept.path("entry").get(0).path("id").asText()).isEqualTo(SALES_PAGE);
        assertThat(kept.path("entry").get(0).path("messaging").get(0).path("message").path("mid").asText())
                .isEqualTo("nosender-" + psid);
        assertThat(refused.get("event refused: entry.id missing").path("entry").get(0).path("messaging").get(0)
                .path("message").path("mid").asText()).isEqualTo("noentry-" + psid);
        assertThat(eventsOf(psid, "message")).isEqualTo(1);
    }

    /** A raw webhook is dead-lettered as it came (bytes), a refused event as JSON text. */
    private static String bodyText(jakarta.jms.Message message) throws jakarta.jms.JMSException {
        return message instanceof jakarta.jms.TextMessage text ? text.getText()
                : new String(message.getBody(byte[].class), java.nio.charset.StandardCharsets.UTF_8);
    }

    private jakarta.jms.Message awaitDeadLetter(String body) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            jms.setReceiveTimeout(500);
            var message = jms.receive("hub.webhook.dead-letter");
            return message != null && body.equals(bodyText(message))
                    ? message : null;
        }, java.util.Objects::nonNull);
    }

    @Test
    void shouldServeTheReadApiOnlyWithABearerToken() {
        String psid = unique("psid");
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "api"))));
        awaitMessages(psid, 1);

        assertThat(facebook.getApi("/api/conversations?psid=" + psid, null).statusCode()).isEqualTo(401);
        assertThat(facebook.getApi("/api/conversations?psid=" + psid, "wrong-token").statusCode()).isEqualTo(401);
        var missingPsid = facebook.getApi("/api/conversations", WebhookClient.API_TOKEN);
        assertThat(missingPsid.statusCode()).isEqualTo(400);
        assertThat(missingPsid.body()).contains("psid");
        assertThat(facebook.getApi("/api/conversations/no-such-id/messages", WebhookClient.API_TOKEN).statusCode()).isEqualTo(404);

        var list = facebook.getApi("/api/conversations?psid=" + psid, WebhookClient.API_TOKEN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode conversation = readJson(list.body()).get(0);
        assertThat(conversation.path("pageId").asText()).isEqualTo(SALES_PAGE);
        assertThat(conversation.path("state").asText()).isEqualTo("OPEN");
        var unauthorizedTranscript = facebook.getApi("/api/conversations/" + conversation.path("id").asText() + "/messages", null);
        assertThat(unauthorizedTranscript.statusCode()).isEqualTo(401);
        assertThat(unauthorizedTranscript.body()).doesNotContain("api");
        JsonNode message = readJson(facebook.getApi("/api/conversations/" + conversation.path("id").asText() + "/messages",
                WebhookClient.API_TOKEN).body()).get(0);
        assertThat(message.path("direction").asText()).isEqualTo("IN");
        assertThat(message.path("mid").asText()).isEqualTo("m-" + psid);
        assertThat(message.path("text").asText()).isEqualTo("api");
        assertThat(message.path("sentAt").asText()).isEqualTo("2025-10-09T08:53:20Z");
    }

    protected JsonNode transcriptOf(String psid) {
        JsonNode conversations = readJson(facebook.getApi("/api/conversations?psid=" + psid, WebhookClient.API_TOKEN).body());
        assertThat(conversations).hasSize(1);
        String id = conversations.get(0).path("id").asText();
        return readJson(facebook.getApi("/api/conversations/" + id + "/messages", WebhookClient.API_TOKEN).body());
    }

    protected static List<String> texts(JsonNode transcript) {
        return StreamSupport.stream(transcript.spliterator(), false).map(m -> m.path("text").asText()).toList();
    }

    protected static JsonNode find(JsonNode transcript, String mid) {
        return StreamSupport.stream(transcript.spliterator(), false).filter(m -> mid.equals(m.path("mid").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no message " + mid + " in " + transcript));
    }
}
