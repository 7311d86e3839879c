package io.messengerhub.event;

import java.time.Instant;
import java.util.List;

/**
 * One item of a webhook's {@code entry[].messaging[]} (or {@code standby[]}), typed. Everything past the parser
 * works with these instead of JSON trees; unknown shapes become {@link Unknown} and are kept, never fatal.
 */
public sealed interface FacebookEvent {

    Context context();

    /**
     * A key that is the same whenever Facebook re-sends this event: the message id where there is one,
     * otherwise the event's own content. Hashed before storage because mids are long.
     */
    String identity();

    /** The name this kind of event is stored and counted under. */
    String kind();

    /**
     * What every event carries.
     *
     * @param pageId       the Page the event belongs to (entry id)
     * @param customerPsid the customer's page-scoped id: the sender, or the recipient for echoes
     * @param occurredAt   Facebook's timestamp
     * @param raw          the event's JSON as received, kept so nothing is lost in typing
     */
    record Context(String pageId, String customerPsid, Instant occurredAt, String raw) {
    }

    /** A customer's message: text, a quick-reply tap, attachments, or a reply to an earlier message. */
    record MessageReceived(Context context, String mid, String text, String quickReplyPayload, String replyToMid,
                           List<Attachment> attachments) implements FacebookEvent {
        public String identity() { return mid != null ? "mid:" + mid : "message:" + context.raw(); }
        public String kind() { return "message"; }
    }

    /** A message the Page sent (from this hub, another app, or a person in the Page inbox), echoed back. */
    record MessageEcho(Context context, String mid, String text, List<Attachment> attachments, String appId,
                       String metadata) implements FacebookEvent {
        public String identity() { return mid != null ? "mid:" + mid : "echo:" + context.raw(); }
        public String kind() { return "echo"; }
    }

    /** A button tap (Get Started, persistent menu, template button). */
    record Postback(Context context, String mid, String title, String payload) implements FacebookEvent {
        public String identity() { return mid != null ? "mid:" + mid : "postback:" + context.raw(); }
        public String kind() { return "postback"; }
    }

    /** Messages up to {@code watermark} reached the customer. */
    record Delivery(Context context, List<String> mids, long watermark) implements FacebookEvent {
        public String identity() { return "delivery:" + context.pageId() + ":" + context.customerPsid() + ":" + watermark; }
        public String kind() { return "delivery"; }
    }

    /** The customer read messages up to {@code watermark}. */
    record Read(Context context, long watermark) implements FacebookEvent {
        public String identity() { return "read:" + context.pageId() + ":" + context.customerPsid() + ":" + watermark; }
        public String kind() { return "read"; }
    }

    /** The customer reacted to (or withdrew a reaction from) a message. */
    record Reaction(Context context, String mid, String action, String reaction, String emoji) implements FacebookEvent {
        public String identity() { return "reaction:" + context.raw(); }
        public String kind() { return "reaction"; }
    }

    /** The customer arrived through an m.me link, an ad or a plugin ({@code ref} says which). */
    record Referral(Context context, String ref, String source, String type) implements FacebookEvent {
        public String identity() { return "referral:" + context.raw(); }
        public String kind() { return "referral"; }
    }

    /** The customer opted in (plugin, one-time notification or marketing messages). */
    record Optin(Context context, String ref, String type, String payload) implements FacebookEvent {
        public String identity() { return "optin:" + context.raw(); }
        public String kind() { return "optin"; }
    }

    /** Thread control moved between apps connected to the Page (pass, take, request, app roles). */
    record Handover(Context context, String action, String appId, String metadata) implements FacebookEvent {
        public String identity() { return "handover:" + context.raw(); }
        public String kind() { return "handover"; }
    }

    /** An event delivered while another app owns the thread; this hub sees it but does not own the conversation. */
    record Standby(Context context, FacebookEvent inner) implements FacebookEvent {
        public String identity() { return "standby:" + inner.identity(); }
        public String kind() { return "standby"; }
    }

    /**
     * An item that lacks what every event needs (the Page, the customer, the time): never recorded, kept aside on
     * the webhook dead-letter queue with {@code reason}, while the webhook's other events are recorded.
     */
    record Refused(Context context, String reason) implements FacebookEvent {
        public String identity() { return "refused:" + context.raw(); }
        public String kind() { return "refused"; }
    }

    /** A shape this hub does not know yet; stored raw and logged. */
    record Unknown(Context context, String type) implements FacebookEvent {
        public String identity() { return "unknown:" + context.raw(); }
        public String kind() { return "unknown"; }
    }
}
