package io.messengerhub.event;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.event.FacebookEvent.Context;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a stored raw webhook into typed events: every {@code entry[]}, and in each both {@code messaging[]} and
 * {@code standby[]}. An item it cannot type becomes {@link FacebookEvent.Unknown}; one bad item never loses the
 * others.
 */
@Component("facebookEventParser")
public class FacebookEventParser {

    private static final Logger LOG = LoggerFactory.getLogger(FacebookEventParser.class);

    private final ObjectMapper json;

    public FacebookEventParser(ObjectMapper json) {
        this.json = json;
    }

    public List<FacebookEvent> parse(byte[] rawWebhook) throws IOException {
        JsonNode root = json.readTree(rawWebhook);
        var events = new ArrayList<FacebookEvent>();
        for (JsonNode entry : root.path("entry")) {
            String pageId = text(entry, "id");
            for (JsonNode item : entry.path("messaging")) {
                events.add(parseItem(pageId, item));
            }
            for (JsonNode item : entry.path("standby")) {
                FacebookEvent inner = parseItem(pageId, item);
                events.add(inner instanceof FacebookEvent.Refused ? inner : new FacebookEvent.Standby(inner.context(), inner));
            }
            if (!entry.has("messaging") && !entry.has("standby")) {
                Context context = new Context(pageId, null, millis(entry.path("time")), entry.toString());
                events.add(pageId == null ? new FacebookEvent.Refused(context, "entry.id missing")
                        : new FacebookEvent.Unknown(context, "entry without messaging"));
            }
        }
        return events;
    }

    FacebookEvent parseItem(String entryPageId, JsonNode item) {
        String refusal = missing(entryPageId, item);
        if (refusal != null) {
            return new FacebookEvent.Refused(new Context(entryPageId, null, millis(item.path("timestamp")), item.toString()),
                    refusal);
        }
        try {
            return typed(entryPageId, item);
        } catch (RuntimeException malformed) {
            LOG.warn("Kept a webhook event of page {} that could not be typed: {}", entryPageId, malformed.toString());
            return new FacebookEvent.Unknown(context(entryPageId, text(item.path("sender"), "id"), item), "malformed");
        }
    }

    /** What an item lacks that every event needs (the Page, the customer, the time), or null. */
    private static String missing(String entryPageId, JsonNode item) {
        if (!item.isObject()) {
            return "event is not a JSON object";
        }
        if (entryPageId == null || entryPageId.isBlank()) {
            return "entry.id missing";
        }
        boolean echo = item.path("message").path("is_echo").asBoolean(false);
        String customer = echo ? "recipient" : "sender";
        String psid = text(item.path(customer), "id");
        if (psid == null || psid.isBlank()) {
            return customer + ".id missing";
        }
        if (!item.path("timestamp").canConvertToLong()) {
            return "timestamp missing or not a number";
        }
        return null;
    }

    /** The refused item's duplicate id on the dead-letter queue: the same item kept aside twice is kept once. */
    public String refusalId(FacebookEvent.Refused refused) {
        return "refused:" + DigestUtils.sha256Hex(refused.identity());
    }

    /**
     * A refused event as a webhook of its own, exactly as Facebook sent the item: what goes on the dead-letter queue,
     * so that it can be replayed like any other dead-lettered webhook once its problem is understood.
     */
    public String asWebhook(FacebookEvent.Refused refused) {
        var webhook = json.createObjectNode().put("object", "page");
        var entry = webhook.putArray("entry").addObject();
        if (refused.context().pageId() != null) {
            entry.put("id", refused.context().pageId());
        }
        JsonNode raw;
        try {
            raw = json.readTree(refused.context().raw());
        } catch (IOException e) {
            throw new IllegalStateException("an item parsed from a webhook does not parse again", e);
        }
        if (raw.has("messaging") || raw.has("standby") || raw.has("time")) {
            webhook.putArray("entry").add(raw);
        } else {
            entry.putArray("messaging").add(raw);
        }
        return webhook.toString();
    }

    private FacebookEvent typed(String entryPageId, JsonNode item) {
        String sender = text(item.path("sender"), "id");
        String recipient = text(item.path("recipient"), "id");
        JsonNode message = item.path("message");
        if (message.isObject()) {
            if (message.path("is_echo").asBoolean(false)) {
                return new FacebookEvent.MessageEcho(context(entryPageId, recipient, item), text(message, "mid"),
                        text(message, "text"), attachments(message), text(message, "app_id"), text(message, "metadata"));
            }
            return new FacebookEvent.MessageReceived(context(entryPageId, sender, item), text(message, "mid"),
                    text(message, "text"), text(message.path("quick_reply"), "payload"),
                    text(message.path("reply_to"), "mid"), attachments(message));
        }
        Context context = context(entryPageId, sender, item);
        if (item.has("postback")) {
            JsonNode postback = item.path("postback");
            return new FacebookEvent.Postback(context, text(postback, "mid"), text(postback, "title"), text(postback, "payload"));
        }
        if (item.has("delivery")) {
            JsonNode delivery = item.path("delivery");
            List<String> mids = StreamSupport.stream(delivery.path("mids").spliterator(), false).map(JsonNode::asText).toList();
            return new FacebookEvent.Delivery(context, mids, delivery.path("watermark").asLong());
        }
        if (item.has("read")) {
            return new FacebookEvent.Read(context, item.path("read").path("watermark").asLong());
        }
        if (item.has("reaction")) {
            JsonNode reaction = item.path("reaction");
            return new FacebookEvent.Reaction(context, text(reaction, "mid"), text(reaction, "action"),
                    text(reaction, "reaction"), text(reaction, "emoji"));
        }
        if (item.has("referral")) {
            JsonNode referral = item.path("referral");
            return new FacebookEvent.Referral(context, text(referral, "ref"), text(referral, "source"), text(referral, "type"));
        }
        if (item.has("optin")) {
            JsonNode optin = item.path("optin");
            return new FacebookEvent.Optin(context, text(optin, "ref"), text(optin, "type"), optin.path("payload").toString());
        }
        for (String action : List.of("pass_thread_control", "take_thread_control", "request_thread_control", "app_roles")) {
            if (item.has(action)) {
                JsonNode control = item.path(action);
                String appId = firstText(control, "new_owner_app_id", "previous_owner_app_id", "requested_owner_app_id");
                return new FacebookEvent.Handover(context, action, appId, text(control, "metadata"));
            }
        }
        String type = fieldsOf(item).stream()
                .filter(name -> !List.of("sender", "recipient", "timestamp").contains(name))
                .findFirst().orElse("empty");
        LOG.warn("Kept a webhook event of unknown type '{}' for page {}", type, entryPageId);
        return new FacebookEvent.Unknown(context, type);
    }

    private List<Attachment> attachments(JsonNode message) {
        var attachments = new ArrayList<Attachment>();
        for (JsonNode attachment : message.path("attachments")) {
            JsonNode payload = attachment.path("payload");
            String url = firstText(payload, "url", "URL");
            if (url == null) {
                url = firstText(attachment, "url", "URL");
            }
            String title = firstText(attachment, "title");
            if (title == null) {
                title = firstText(payload, "title");
            }
            attachments.add(new Attachment(attachment.path("type").asText("unknown"), url, title,
                    payload.isMissingNode() ? null : payload.toString()));
        }
        return List.copyOf(attachments);
    }

    private static Context context(String entryPageId, String customerPsid, JsonNode item) {
        return new Context(entryPageId, customerPsid, millis(item.path("timestamp")), item.toString());
    }

    private static Instant millis(JsonNode node) {
        return node.canConvertToLong() ? Instant.ofEpochMilli(node.asLong()) : Instant.EPOCH;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static List<String> fieldsOf(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
