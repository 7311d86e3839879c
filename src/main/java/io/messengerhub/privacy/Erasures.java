package io.messengerhub.privacy;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.api.ApiBadRequestException;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erases everything the hub holds about one customer, asked for by PSID or by CRM contact: every conversation
 * of theirs in every store (see {@link ConversationData}), the events and receipts of their PSIDs, the cached
 * Facebook profile, and their messages waiting on the broker ({@link BrokerErasure}). What is kept is a record of the
 * erasure with counts and without the personal data, and what could not be erased, place by place.
 */
@Component("erasures")
public class Erasures {

    private static final Logger LOG = LoggerFactory.getLogger(Erasures.class);

    private final JdbcClient jdbc;
    private final ConversationData data;
    private final Clock clock;
    private final DomainEvents events;
    private final BrokerErasure broker;
    private final ObjectMapper json;
    private final List<String> beyondReach;

    public Erasures(JdbcClient jdbc, ConversationData data, Clock clock, DomainEvents events, BrokerErasure broker,
                    ObjectMapper json, @Value("${hub.integration.events-topic}") String eventsTopic,
                    @Value("${hub.webhook.inbound-queue}") String inbound, @Value("${hub.send.queue}") String sendQueue) {
        this.events = events;
        this.broker = broker;
        this.json = json;
        this.beyondReach = List.of(
                "Facebook: the conversation stays in the Page's Messenger inbox and in the customer's Messenger; the hub cannot"
                        + " delete messages there",
                "what agents' clients had already received (offers and messages on their screens until they reload); the agent"
                        + " holding an erased conversation is told to drop it (conversation.erased)",
                "integration events on the topic " + eventsTopic + " (conversation.opened names the customer): every"
                        + " subscriber (a CRM, a supervisor tool) keeps its own copy and must erase it itself",
                "the queues being worked on (" + inbound + ", " + sendQueue + "): a webhook of the customer still waiting there"
                        + " is recorded after the erasure, as when they write again",
                "the broker's journal files: a removed message's bytes stay on disk until Artemis compacts or reuses the file",
                "backups of the database, the broker's data directory and the transcript archive, and the log files",
                "the CRM's own data about the contact");
        this.jdbc = jdbc;
        this.data = data;
        this.clock = clock;
    }

    /**
     * The record of an erasure, as kept and as answered: what was deleted from the database and files, what was taken
     * off the broker, and what could not be erased.
     */
    public record Erasure(String id, Instant requestedAt, String subjectKind, Map<String, Integer> deleted,
                          Map<String, Integer> broker, List<String> notErased) {
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
        // After the database: nothing new about these conversations is made from here on, so what is found is all.
        BrokerErasure.Result fromBroker = broker.erase(psids, conversations);
        var counts = new LinkedHashMap<String, Integer>();
        counts.put("conversations", deleted.conversations());
        counts.put("messages", deleted.messages());
        counts.put("notes", deleted.notes());
        counts.put("attachments", deleted.attachments());
        counts.put("files", deleted.files());
        counts.put("events", deleted.events() + events);
        counts.put("indexEntries", deleted.indexEntries());
        counts.put("customerRecords", customerRecords);
        counts.put("consents", deleted.consents());
        var notErased = new ArrayList<>(fromBroker.notErased());
        notErased.addAll(beyondReach);
        var erasure = new Erasure(UUID.randomUUID().toString(), clock.instant(), psid.isEmpty() ? "contact" : "psid", counts,
                fromBroker.removed(), List.copyOf(notErased));
        jdbc.sql("""
                insert into erasure (id, requested_at, subject_kind, conversations, messages, notes, attachments, files, events,
                                     index_entries, customer_records, consents, broker_webhook_dead_letters,
                                     broker_reply_dead_letters, broker_offers, broker_agent_inboxes, not_erased)
                values (:id, :at, :kind, :conversations, :messages, :notes, :attachments, :files, :events, :index, :customer,
                        :consents, :webhooks, :replies, :offers, :inboxes, :notErased)""")
                .param("id", erasure.id()).param("at", OffsetDateTime.ofInstant(erasure.requestedAt(), ZoneOffset.UTC))
                .param("kind", erasure.subjectKind()).param("conversations", counts.get("conversations"))
                .param("messages", counts.get("messages")).param("notes", counts.get("notes"))
                .param("attachments", counts.get("attachments")).param("files", counts.get("files"))
                .param("events", counts.get("events")).param("index", counts.get("indexEntries"))
                .param("customer", customerRecords).param("consents", counts.get("consents"))
                .param("webhooks", erasure.broker().get("webhookDeadLetters"))
                .param("replies", erasure.broker().get("replyDeadLetters"))
                .param("offers", erasure.broker().get("offers")).param("inboxes", erasure.broker().get("agentInboxes"))
                .param("notErased", write(erasure.notErased())).update();
        // The log says that it happened, never who it was about.
        LOG.info("Erasure {} by {}: deleted {}, off the broker {}", erasure.id(), erasure.subjectKind(), counts, erasure.broker());
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

    private String write(List<String> notes) {
        try {
            return json.writeValueAsString(notes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of sentences is JSON", e);
        }
    }

    /** Records from before the broker was part of erasure have none: they did not reach it. */
    private List<String> read(String stored) {
        if (stored == null) {
            return List.of("the broker: erasures before this version of the hub did not reach it");
        }
        try {
            return List.of(json.readValue(stored, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not_erased holds JSON written by this class", e);
        }
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
            counts.put("consents", row.getInt("consents"));
            var broker = new LinkedHashMap<String, Integer>();
            broker.put("webhookDeadLetters", row.getInt("broker_webhook_dead_letters"));
            broker.put("replyDeadLetters", row.getInt("broker_reply_dead_letters"));
            broker.put("offers", row.getInt("broker_offers"));
            broker.put("agentInboxes", row.getInt("broker_agent_inboxes"));
            return new Erasure(row.getString("id"), row.getObject("requested_at", OffsetDateTime.class).toInstant(),
                    row.getString("subject_kind"), counts, broker, read(row.getString("not_erased")));
        }).list();
    }
}
