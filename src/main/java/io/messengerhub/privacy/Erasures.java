package io.messengerhub.privacy;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.api.ApiBadRequestException;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erases everything the hub holds about one customer, asked for by PSID or by CRM contact: every conversation
 * of theirs in every store (see {@link ConversationData}), the events and receipts of their PSIDs, and the cached
 * Facebook profile. What is kept is a record of the erasure with counts and without the personal data.
 */
@Component("erasures")
public class Erasures {

    private static final Logger LOG = LoggerFactory.getLogger(Erasures.class);

    private final JdbcClient jdbc;
    private final ConversationData data;
    private final Clock clock;
    private final DomainEvents events;

    public Erasures(JdbcClient jdbc, ConversationData data, Clock clock, DomainEvents events) {
        this.events = events;
        this.jdbc = jdbc;
        this.data = data;
        this.clock = clock;
    }

    /** The record of an erasure, as kept and as answered. */
    public record Erasure(String id, Instant requestedAt, String subjectKind, Map<String, Integer> deleted) {
    }

    /** {@code {"psid": "..."}} or {@code {"contactId": "..."}}, bound by the REST DSL; null when there was no body. */
    public Erasure erase(@Body JsonNode body) {
        String psid = body == null ? "" : body.path("psid").asText("").strip();
        String contactId = body == null ? "" : body.path("contactId").asText("").strip();
        if (psid.isEmpty() == contactId.isEmpty()) {
            throw new ApiBadRequestException("name exactly one customer: {\"psid\": \"...\"} or {\"contactId\": \"...\"}");
        }
        Set<String> psids = new LinkedHashSet<>();
        if (!psid.isEmpty()) {
            psids.add(psid);
        } else {
            psids.addAll(jdbc.sql("select distinct customer_psid from conversation where contact_id = :contact")
                    .param("contact", contactId).query(String.class).list());
        }
        List<String> conversations = conversationsOf(psids);
        tellHoldingAgents(conversations);
        ConversationData.Deleted deleted = data.delete(conversations);
        int events = 0;
        int customerRecords = 0;
        for (String each : psids) {
            // Events that belong to no conversation (echoes before one opened, receipts, reactions).
            events += jdbc.sql("delete from facebook_event where customer_psid = :psid").param("psid", each).update();
            customerRecords += jdbc.sql("delete from customer_profile where customer_psid = :psid").param("psid", each).update();
            customerRecords += jdbc.sql("delete from receipt_watermark where customer_psid = :psid").param("psid", each).update();
        }
        var counts = new LinkedHashMap<String, Integer>(deleted.asMap());
        counts.put("events", deleted.events() + events);
        counts.put("customerRecords", customerRecords);
        var erasure = new Erasure(UUID.randomUUID().toString(), clock.instant(), psid.isEmpty() ? "contact" : "psid", counts);
        jdbc.sql("""
                insert into erasure (id, requested_at, subject_kind, conversations, messages, notes, attachments, files, events,
                                     index_entries, customer_records)
                values (:id, :at, :kind, :conversations, :messages, :notes, :attachments, :files, :events, :index, :customer)""")
                .param("id", erasure.id()).param("at", OffsetDateTime.ofInstant(erasure.requestedAt(), ZoneOffset.UTC))
                .param("kind", erasure.subjectKind()).param("conversations", counts.get("conversations"))
                .param("messages", counts.get("messages")).param("notes", counts.get("notes"))
                .param("attachments", counts.get("attachments")).param("files", counts.get("files"))
                .param("events", counts.get("events")).param("index", counts.get("indexEntries"))
                .param("customer", customerRecords).update();
        // The log says that it happened, never who it was about.
        LOG.info("Erasure {} by {}: deleted {}", erasure.id(), erasure.subjectKind(), counts);
        return erasure;
    }

    /**
     * An agent working on an erased conversation must stop: it hears {@code conversation.erased} (sent once the
     * erasure has committed; the conversation's own rows are gone by then).
     */
    private void tellHoldingAgents(List<String> conversationIds) {
        if (conversationIds.isEmpty()) {
            return;
        }
        jdbc.sql("select id, agent_id from conversation where id in (:ids) and agent_id is not null and state <> 'CLOSED'")
                .param("ids", conversationIds).query().listOfRows()
                .forEach(held -> events.record(new ConversationErased((String) held.get("id"), (String) held.get("agent_id"),
                        clock.instant())));
    }

    /** Every conversation of these PSIDs (a contact's PSIDs were read from its conversations, so this has them all). */
    private List<String> conversationsOf(Set<String> psids) {
        if (psids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from conversation where customer_psid in (:psids)").param("psids", List.copyOf(psids))
                .query(String.class).list();
    }

    /** The records of past erasures, newest first, in the same shape as the answer to an erasure. */
    public List<Erasure> records() {
        return jdbc.sql("select * from erasure order by requested_at desc").query((row, number) -> {
            var counts = new LinkedHashMap<String, Integer>();
            counts.put("conversations", row.getInt("conversations"));
            counts.put("messages", row.getInt("messages"));
            counts.put("notes", row.getInt("notes"));
            counts.put("attachments", row.getInt("attachments"));
            counts.put("files", row.getInt("files"));
            counts.put("events", row.getInt("events"));
            counts.put("indexEntries", row.getInt("index_entries"));
            counts.put("customerRecords", row.getInt("customer_records"));
            return new Erasure(row.getString("id"), row.getObject("requested_at", OffsetDateTime.class).toInstant(),
                    row.getString("subject_kind"), counts);
        }).list();
    }
}
