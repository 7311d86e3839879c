package io.messengerhub.support;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Webhook bodies shaped as Facebook sends them, built inline so each test shows what it posts. */
public final class FacebookPayloads {

    public static final long T0 = 1_760_000_000_000L;

    private FacebookPayloads() {
    }

    /** {@code {"object":"page","entry":[...]}} */
    public static String webhook(String... entries) {
        return "{\"object\":\"page\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    /** One entry of one Page with the given messaging items. */
    public static String entry(String pageId, String... messaging) {
        return "{\"id\":\"" + pageId + "\",\"time\":" + T0 + ",\"messaging\":[" + String.join(",", messaging) + "]}";
    }

    public static String standbyEntry(String pageId, String... standby) {
        return "{\"id\":\"" + pageId + "\",\"time\":" + T0 + ",\"standby\":[" + String.join(",", standby) + "]}";
    }

    public static String fromCustomer(String pageId, String psid, long timestamp, String body) {
        return "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + pageId + "\"},\"timestamp\":"
                + timestamp + "," + body + "}";
    }

    public static String fromPage(String pageId, String psid, long timestamp, String body) {
        return "{\"sender\":{\"id\":\"" + pageId + "\"},\"recipient\":{\"id\":\"" + psid + "\"},\"timestamp\":"
                + timestamp + "," + body + "}";
    }

    public static String text(String pageId, String psid, String mid, String text) {
        return fromCustomer(pageId, psid, T0, "\"message\":{\"mid\":\"" + mid + "\",\"text\":\"" + text + "\"}");
    }

    public static String textAt(String pageId, String psid, String mid, String text, long timestamp) {
        return fromCustomer(pageId, psid, timestamp, "\"message\":{\"mid\":\"" + mid + "\",\"text\":\"" + text + "\"}");
    }

    public static String quickReply(String pageId, String psid, String mid, String text, String payload) {
        return fromCustomer(pageId, psid, T0 + 1, "\"message\":{\"mid\":\"" + mid + "\",\"text\":\"" + text
                + "\",\"quick_reply\":{\"payload\":\"" + payload + "\"}}");
    }

    public static String attachments(String pageId, String psid, String mid, String... attachments) {
        return fromCustomer(pageId, psid, T0 + 2, "\"message\":{\"mid\":\"" + mid + "\",\"attachments\":["
                + String.join(",", attachments) + "]}");
    }

    public static String file(String type, String url) {
        return "{\"type\":\"" + type + "\",\"payload\":{\"url\":\"" + url + "\"}}";
    }

    public static String location(double lat, double lon) {
        return "{\"type\":\"location\",\"title\":\"Pin\",\"payload\":{\"coordinates\":{\"lat\":" + lat + ",\"long\":" + lon + "}}}";
    }

    public static String fallback(String title, String url) {
        return "{\"type\":\"fallback\",\"title\":\"" + title + "\",\"URL\":\"" + url + "\",\"payload\":null}";
    }

    public static String sticker(long stickerId, String url) {
        return "{\"type\":\"sticker\",\"payload\":{\"url\":\"" + url + "\",\"sticker_id\":" + stickerId + "}}";
    }

    public static String echo(String pageId, String psid, String mid, String text, long timestamp) {
        return fromPage(pageId, psid, timestamp, "\"message\":{\"is_echo\":true,\"app_id\":1517776481860111,"
                + "\"metadata\":\"from-inbox\",\"mid\":\"" + mid + "\",\"text\":\"" + text + "\"}");
    }

    public static String postback(String pageId, String psid, String mid, String title, String payload) {
        return fromCustomer(pageId, psid, T0 + 3, "\"postback\":{\"mid\":\"" + mid + "\",\"title\":\"" + title
                + "\",\"payload\":\"" + payload + "\"}");
    }

    public static String delivery(String pageId, String psid, long watermark, String... mids) {
        String list = Arrays.stream(mids).map(m -> "\"" + m + "\"").collect(Collectors.joining(","));
        return fromCustomer(pageId, psid, watermark + 10, "\"delivery\":{\"mids\":[" + list + "],\"watermark\":" + watermark + "}");
    }

    public static String read(String pageId, String psid, long watermark) {
        return fromCustomer(pageId, psid, watermark + 10, "\"read\":{\"watermark\":" + watermark + "}");
    }

    public static String reaction(String pageId, String psid, String mid, String action, String emoji) {
        return fromCustomer(pageId, psid, T0 + 4, "\"reaction\":{\"mid\":\"" + mid + "\",\"action\":\"" + action
                + "\",\"reaction\":\"love\",\"emoji\":\"" + emoji + "\"}");
    }

    public static String referral(String pageId, String psid, String ref) {
        return fromCustomer(pageId, psid, T0 + 5, "\"referral\":{\"ref\":\"" + ref + "\",\"source\":\"SHORTLINK\",\"type\":\"OPEN_THREAD\"}");
    }

    public static String optin(String pageId, String psid, String ref) {
        return fromCustomer(pageId, psid, T0 + 6, "\"optin\":{\"type\":\"notification_messages\",\"ref\":\"" + ref
                + "\",\"payload\":\"ADDITIONAL-INFO\"}");
    }

    public static String passThreadControl(String pageId, String psid, String newOwner) {
        return fromCustomer(pageId, psid, T0 + 7, "\"pass_thread_control\":{\"new_owner_app_id\":\"" + newOwner
                + "\",\"metadata\":\"handing over\"}");
    }

    public static String takeThreadControl(String pageId, String psid, String previousOwner) {
        return fromCustomer(pageId, psid, T0 + 8, "\"take_thread_control\":{\"previous_owner_app_id\":\"" + previousOwner
                + "\",\"metadata\":\"taking back\"}");
    }

    public static String unknown(String pageId, String psid) {
        return fromCustomer(pageId, psid, T0 + 9, "\"game_play\":{\"game_id\":\"42\",\"score\":100}");
    }
}
