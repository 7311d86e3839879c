package io.messengerhub.event;

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
import static io.messengerhub.support.FacebookPayloads.unknown;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.event.FacebookEvent.Delivery;
import io.messengerhub.event.FacebookEvent.Handover;
import io.messengerhub.event.FacebookEvent.MessageEcho;
import io.messengerhub.event.FacebookEvent.MessageReceived;
import io.messengerhub.event.FacebookEvent.Optin;
import io.messengerhub.event.FacebookEvent.Postback;
import io.messengerhub.event.FacebookEvent.Reaction;
import io.messengerhub.event.FacebookEvent.Read;
import io.messengerhub.event.FacebookEvent.Referral;
import io.messengerhub.event.FacebookEvent.Standby;
import io.messengerhub.event.FacebookEvent.Unknown;
import org.junit.jupiter.api.Test;

class FacebookEventParserTest {

    private static final String PAGE = "1234";
    private static final String PSID = "5678";

    private final FacebookEventParser parser = new FacebookEventParser(new ObjectMapper());

    @Test
    void shouldTypeACustomerTextMessage() throws Exception {
        var event = (MessageReceived) single(text(PAGE, PSID, "m_1", "hello"));

        assertThat(event.mid()).isEqualTo("m_1");
        assertThat(event.text()).isEqualTo("hello");
        assertThat(event.context().pageId()).isEqualTo(PAGE);
        assertThat(event.context().customerPsid()).isEqualTo(PSID);
        assertThat(event.context().occurredAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(event.identity()).isEqualTo("mid:m_1");
    }

    @Test
    void shouldTypeAQuickReplyAndEveryAttachmentType() throws Exception {
        var quick = (MessageReceived) single(quickReply(PAGE, PSID, "m_2", "Yes", "YES_PAYLOAD"));
        var files = (MessageReceived) single(attachments(PAGE, PSID, "m_3", file("image", "https://x/i.jpg"),
                file("audio", "https://x/a.mp4"), file("video", "https://x/v.mp4"), file("file", "https://x/f.pdf"),
                location(1.5, 2.5), fallback("Link", "https://example.org"), sticker(42L, "https://x/s.png"),
                file("ig_reel", "https://x/r.mp4"), "{\"type\":\"template\",\"payload\":{\"template_type\":\"generic\"}}",
                "{\"type\":\"hologram\",\"payload\":{}}"));

        assertThat(quick.quickReplyPayload()).isEqualTo("YES_PAYLOAD");
        assertThat(files.attachments()).extracting(Attachment::type).containsExactly("image", "audio", "video", "file",
                "location", "fallback", "sticker", "ig_reel", "template", "hologram");
        assertThat(files.attachments()).extracting(Attachment::isFile)
                .containsExactly(true, true, true, true, false, false, true, true, false, false);
        assertThat(files.attachments().get(4).payload()).contains("\"lat\":1.5");
        assertThat(files.attachments().get(5).url()).isEqualTo("https://example.org");
        assertThat(files.attachments().get(5).title()).isEqualTo("Link");
        assertThat(files.attachments().get(6).payload()).contains("\"sticker_id\":42");
    }

    @Test
    void shouldTakeTheCustomerOfAnEchoFromTheRecipient() throws Exception {
        var event = (MessageEcho) single(echo(PAGE, PSID, "m_echo", "answer", T0));

        assertThat(event.context().customerPsid()).isEqualTo(PSID);
        assertThat(event.appId()).isEqualTo("1517776481860111");
        assertThat(event.metadata()).isEqualTo("from-inbox");
    }

    @Test
    void shouldTypeReceiptsReactionsAndTheRest() throws Exception {
        assertThat(single(postback(PAGE, PSID, "m_pb", "Start", "GET_STARTED")))
                .isInstanceOfSatisfying(Postback.class, p -> assertThat(p.payload()).isEqualTo("GET_STARTED"));
        assertThat(single(delivery(PAGE, PSID, 99L, "m_a", "m_b")))
                .isInstanceOfSatisfying(Delivery.class, d -> {
                    assertThat(d.mids()).containsExactly("m_a", "m_b");
                    assertThat(d.watermark()).isEqualTo(99L);
                });
        assertThat(single(read(PAGE, PSID, 77L))).isInstanceOfSatisfying(Read.class, r -> assertThat(r.watermark()).isEqualTo(77L));
        assertThat(single(reaction(PAGE, PSID, "m_x", "unreact", "😢")))
                .isInstanceOfSatisfying(Reaction.class, r -> {
                    assertThat(r.action()).isEqualTo("unreact");
                    assertThat(r.emoji()).isEqualTo("😢");
                });
        assertThat(single(referral(PAGE, PSID, "ad-7"))).isInstanceOfSatisfying(Referral.class, r -> assertThat(r.ref()).isEqualTo("ad-7"));
        assertThat(single(optin(PAGE, PSID, "news"))).isInstanceOfSatisfying(Optin.class, o -> assertThat(o.ref()).isEqualTo("news"));
        assertThat(single(passThreadControl(PAGE, PSID, "111"))).isInstanceOfSatisfying(Handover.class, h -> {
            assertThat(h.action()).isEqualTo("pass_thread_control");
            assertThat(h.appId()).isEqualTo("111");
        });
        assertThat(single(takeThreadControl(PAGE, PSID, "222"))).isInstanceOfSatisfying(Handover.class,
                h -> assertThat(h.action()).isEqualTo("take_thread_control"));
    }

    @Test
    void shouldKeepUnknownAndMalformedItemsWithoutLosingTheOthers() throws Exception {
        List<FacebookEvent> events = parse(webhook(entry(PAGE,
                unknown(PAGE, PSID),
                "{\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":1,\"message\":\"not an object\"}",
                text(PAGE, PSID, "m_ok", "still here"))));

        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOfSatisfying(Unknown.class, u -> assertThat(u.type()).isEqualTo("game_play"));
        assertThat(events.get(1)).isInstanceOf(Unknown.class);
        assertThat(events.get(2)).isInstanceOf(MessageReceived.class);
        assertThat(events.get(0).context().raw()).contains("\"game_id\":\"42\"");
    }

    @Test
    void shouldRefuseItemsWithoutPageCustomerOrTimeWithAClearReasonInsteadOfFailing() throws Exception {
        String noSender = "{\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":1,\"message\":{\"mid\":\"m_x\"}}";
        String blankSender = "{\"sender\":{\"id\":\"\"},\"timestamp\":1,\"message\":{\"mid\":\"m_y\"}}";
        String noTime = "{\"sender\":{\"id\":\"" + PSID + "\"},\"message\":{\"mid\":\"m_z\"}}";
        String echoWithoutRecipient = "{\"sender\":{\"id\":\"" + PAGE + "\"},\"timestamp\":1,\"message\":{\"is_echo\":true,\"mid\":\"m_e\"}}";
        List<FacebookEvent> events = parse(webhook(entry(PAGE, noSender, blankSender, noTime, echoWithoutRecipient, "42",
                        text(PAGE, PSID, "m_ok", "still here")),
                "{\"time\":1,\"messaging\":[" + text(PAGE, PSID, "m_2", "no page") + "]}",
                "{\"time\":1}"));

        assertThat(events).extracting(e -> e instanceof FacebookEvent.Refused refused ? refused.reason() : e.kind())
                .containsExactly("sender.id missing", "sender.id missing", "timestamp missing or not a number",
                        "recipient.id missing", "event is not a JSON object", "message", "entry.id missing", "entry.id missing");
        var refused = (FacebookEvent.Refused) events.get(0);
        var kept = new ObjectMapper().readTree(parser.asWebhook(refused));
        assertThat(kept.path("object").asText()).isEqualTo("page");
        assertThat(kept.path("entry").get(0).path("id").asText()).isEqualTo(PAGE);
        assertThat(kept.path("entry").get(0).path("messaging").get(0)).isEqualTo(new ObjectMapper().readTree(noSender));
    }

    @Test
    void shouldWrapStandbyEventsAndIterateEveryEntry() throws Exception {
        List<FacebookEvent> events = parse(webhook(
                entry(PAGE, text(PAGE, PSID, "m_1", "one"), text(PAGE, PSID, "m_2", "two")),
                entry("9999", text("9999", "other", "m_3", "three")),
                standbyEntry(PAGE, text(PAGE, PSID, "m_4", "four"))));

        assertThat(events).hasSize(4);
        assertThat(events.get(2).context().pageId()).isEqualTo("9999");
        assertThat(events.get(3)).isInstanceOfSatisfying(Standby.class, s -> {
            assertThat(s.inner()).isInstanceOf(MessageReceived.class);
            assertThat(s.identity()).isEqualTo("standby:mid:m_4");
        });
    }

    @Test
    void shouldNotConfuseMessagesWithoutMidForDuplicates() throws Exception {
        var first = single("{\"sender\":{\"id\":\"a\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":1,\"message\":{\"text\":\"x\"}}");
        var second = single("{\"sender\":{\"id\":\"a\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":2,\"message\":{\"text\":\"x\"}}");

        assertThat(first.identity()).isNotEqualTo(second.identity());
    }

    private FacebookEvent single(String messagingItem) throws Exception {
        List<FacebookEvent> events = parse(webhook(entry(PAGE, messagingItem)));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private List<FacebookEvent> parse(String webhook) throws Exception {
        return parser.parse(webhook.getBytes(StandardCharsets.UTF_8));
    }
}
