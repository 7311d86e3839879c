package io.messengerhub.event;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every accepted webhook event, once: the hub's memory of what Facebook already delivered, kept in the database
 * so de-duplication survives restarts. Receipts are remembered by their highest watermark.
 */
@Component
public class EventJournal {

    private final JdbcClient jdbc;
    private final Clock clock;

    public EventJournal(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean contains(FacebookEvent event) {
        return jdbc.sql("select count(*) from facebook_event where identity_hash = :hash")
                .param("hash", identityHash(event)).query(Integer.class).single() > 0;
    }

    /** Records the event; the unique identity hash makes a concurrent second insert fail instead of duplicating. */
    public long record(FacebookEvent event, String conversationId) {
        var context = event.context();
        var key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into facebook_event (identity_hash, kind, page_id, customer_psid, conversation_id, occurred_at, received_at, raw)
                values (:hash, :kind, :pageId, :psid, :conversationId, :occurredAt, :receivedAt, :raw)""")
                .param("hash", identityHash(event))
                .param("kind", event.kind())
                .param("pageId", context.pageId() == null ? "unknown" : context.pageId())
                .param("psid", context.customerPsid())
                .param("conversationId", conversationId)
                .param("occurredAt", context.occurredAt().atOffset(ZoneOffset.UTC))
                .param("receivedAt", OffsetDateTime.now(clock))
                .param("raw", context.raw())
                .update(key, "id");
        return key.getKey().longValue();
    }

    /** The highest delivery or read watermark seen for this customer of this Page. */
    private Optional<Long> watermark(String pageId, String psid, String kind) {
        return jdbc.sql("select watermark from receipt_watermark where page_id = :pageId and customer_psid = :psid and kind = :kind")
                .param("pageId", pageId).param("psid", psid).param("kind", kind)
                .query(Long.class).optional();
    }

    /**
     * Raises the highest watermark of this kind seen for this customer of this Page to {@code watermark}; false, and
     * nothing changed, when it was that high already (a receipt Facebook sent again). A receipt whose watermark rises,
     * the usual case, costs one statement: the check is the update's own condition.
     */
    public boolean raiseWatermark(String pageId, String psid, String kind, long watermark) {
        int updated = jdbc.sql("""
                update receipt_watermark set watermark = :watermark
                where page_id = :pageId and customer_psid = :psid and kind = :kind and watermark < :watermark""")
                .param("pageId", pageId).param("psid", psid).param("kind", kind).param("watermark", watermark)
                .update();
        if (updated > 0) {
            return true;
        }
        if (watermark(pageId, psid, kind).isPresent()) {
            return false;
        }
        jdbc.sql("insert into receipt_watermark (page_id, customer_psid, kind, watermark) values (:pageId, :psid, :kind, :watermark)")
                .param("pageId", pageId).param("psid", psid).param("kind", kind).param("watermark", watermark)
                .update();
        return true;
    }

    static String identityHash(FacebookEvent event) {
        return DigestUtils.sha256Hex(event.identity());
    }

}
