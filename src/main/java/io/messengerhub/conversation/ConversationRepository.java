package io.messengerhub.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.conversation.TranscriptMessage.Direction;
import io.messengerhub.customer.Customer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Conversations and their transcripts in the hub's database. */
@Repository
public class ConversationRepository {

    private static final String CONVERSATION_COLUMNS =
            "id, page_id, customer_psid, state, queue, opened_at, last_customer_message_at, last_interaction_at, closed_at,"
            + " contact_id, customer, customer_complete, agent_id";

    /** Open and offered to nobody: waiting for an agent (of {@code conversation c}). */
    private static final String AWAITING_AGENT = "c.state = 'OPEN'"
            + " and not exists (select 1 from pending_offer p where p.conversation_id = c.id)";
    /** The open conversation of the customer {@code :psid} of Page {@code :pageId}, as {@code c}. */
    private static final String OF_THE_CUSTOMER = " from conversation c join open_conversation o on o.conversation_id = c.id"
            + " where o.page_id = :pageId and o.customer_psid = :psid";
    /** The same columns of {@code conversation c}, for the join with open_conversation. */
    private static final String OPEN_CONVERSATION_COLUMNS = java.util.Arrays.stream(CONVERSATION_COLUMNS.split(","))
            .map(column -> "c." + column.trim()).collect(java.util.stream.Collectors.joining(", "));

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public ConversationRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The conversation of this customer with this Page that is not Closed, if there is one. */
    public Optional<Conversation> findOpen(String pageId, String psid) {
        return jdbc.sql("select " + OPEN_CONVERSATION_COLUMNS + OF_THE_CUSTOMER)
                .param("pageId", pageId).param("psid", psid)
                .query(this::conversation).optional();
    }

    /** {@link #findOpen} for the customer's new message: the conversation with the mood its row keeps, in one read. */
    public Optional<CustomersConversation> findOpenWithMood(String pageId, String psid) {
        return jdbc.sql("select " + OPEN_CONVERSATION_COLUMNS + ", c.sentiment_level, c.sentiment_score, c.recent_sentiment"
                        + OF_THE_CUSTOMER)
                .param("pageId", pageId).param("psid", psid)
                .query((rs, row) -> new CustomersConversation(conversation(rs, row), new StoredMood(rs.getString("sentiment_level"),
                        rs.getObject("sentiment_score") == null ? null : rs.getDouble("sentiment_score"), rs.getString("recent_sentiment"))))
                .optional();
    }

    /** Whether this customer has a conversation with this Page that is not Closed: {@link #findOpen} without reading it. */
    public boolean hasOpen(String pageId, String psid) {
        return jdbc.sql("select count(*) from open_conversation where page_id = :pageId and customer_psid = :psid")
                .param("pageId", pageId).param("psid", psid)
                .query(Integer.class).single() > 0;
    }

    /** Inserts a new conversation; fails if the customer already has one open with this Page. */
    public void insertOpen(Conversation conversation) {
        // An empty list of recent scores: nothing to read back from the transcript when the next message is scored.
        jdbc.sql("insert into conversation (" + CONVERSATION_COLUMNS + ", recent_sentiment) values "
                        + "(:id, :pageId, :psid, :state, :queue, :openedAt, :lastCustomerMessageAt, :lastInteractionAt, null,"
                        + " :contactId, :customer, :complete, null, '')")
                .param("contactId", conversation.contactId())
                .param("customer", write(conversation.customer()))
                .param("complete", !conversation.customerDataIncomplete())
                .param("id", conversation.id())
                .param("pageId", conversation.pageId())
                .param("psid", conversation.customerPsid())
                .param("state", conversation.state().name())
                .param("queue", conversation.queue())
                .param("openedAt", utc(conversation.openedAt()))
                .param("lastCustomerMessageAt", utc(conversation.lastCustomerMessageAt()))
                .param("lastInteractionAt", utc(conversation.lastInteractionAt()))
                .update();
        jdbc.sql("insert into open_conversation (page_id, customer_psid, conversation_id) values (:pageId, :psid, :id)")
                .param("pageId", conversation.pageId()).param("psid", conversation.customerPsid()).param("id", conversation.id())
                .update();
    }

    /** Replaces the customer snapshot (enrichment retried, or the PSID linked to a contact). */
    public void updateCustomer(Conversation conversation) {
        jdbc.sql("update conversation set customer = :customer, customer_complete = :complete, contact_id = :contactId where id = :id")
                .param("customer", write(conversation.customer()))
                .param("complete", !conversation.customerDataIncomplete())
                .param("contactId", conversation.contactId())
                .param("id", conversation.id())
                .update();
    }

    /** Remembers the CRM case the conversation is about (io.messengerhub.workspace.Cases); {@code null} forgets it. */
    public void linkCase(String conversationId, String caseId) {
        jdbc.sql("update conversation set case_id = :case where id = :id").param("case", caseId).param("id", conversationId)
                .update();
    }

    /** Forgets the CRM case linked to the conversation. */
    public void forgetCase(String conversationId) {
        linkCase(conversationId, null);
    }

    /** A queue's Open conversations that no agent is being offered, longest waiting (oldest last interaction) first. */
    public List<Conversation> awaitingAgent(String queue, int limit) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversation c where queue = :queue and " + AWAITING_AGENT
                        + " order by last_interaction_at, id limit :limit")
                .param("queue", queue).param("limit", limit).query(this::conversation).list();
    }

    /** Whether the conversation is still among those {@link #awaitingAgent} lists (not accepted or offered since). */
    public boolean stillAwaitingAgent(String conversationId) {
        return jdbc.sql("select count(*) from conversation c where c.id = :id and " + AWAITING_AGENT)
                .param("id", conversationId).query(Integer.class).single() == 1;
    }

    /** Moves an Open conversation to another queue (overflow); false when it is no longer Open. */
    public boolean requeue(String conversationId, String queue) {
        return jdbc.sql("update conversation set queue = :queue where id = :id and state = 'OPEN'")
                .param("queue", queue).param("id", conversationId).update() == 1;
    }

    /**
     * Makes the move if the conversation is in one of the states it may start from; false when it was not (another
     * change got there first, or the move is not allowed from its state).
     */
    public boolean move(String conversationId, ConversationTransition transition, String agentId, String queue, Instant at) {
        return changeState(conversationId, transition.from(), transition.to(), agentId, queue, at);
    }

    /** Moves the conversation between states if it is in one of {@code from}; false when it was not. */
    private boolean changeState(String conversationId, List<ConversationState> from, ConversationState to, String agentId,
                               String queue, Instant at) {
        // The first agent to take it, and when, stay for the daily figures however often it moves afterwards.
        boolean taken = to == ConversationState.ACTIVE && agentId != null;
        var update = jdbc.sql("update conversation set state = :to, agent_id = :agent, queue = coalesce(:queue, queue),"
                        + " state_changed_at = :at" + (to == ConversationState.CLOSED ? ", closed_at = :at" : "")
                        + (taken ? ", first_assigned_at = coalesce(first_assigned_at, :at),"
                                + " first_agent_id = coalesce(first_agent_id, :agent)" : "")
                        + " where id = :id and state in (:from)")
                .param("to", to.name()).param("agent", agentId).param("queue", queue).param("at", utc(at))
                .param("id", conversationId).param("from", from.stream().map(Enum::name).toList())
                .update();
        if (update == 1 && to == ConversationState.CLOSED) {
            jdbc.sql("delete from open_conversation where conversation_id = :id").param("id", conversationId).update();
        }
        return update == 1;
    }

    /** The agent who last held a conversation of this customer with this Page, for returning customers. */
    public Optional<String> lastAgentOf(String pageId, String psid, String exceptConversationId) {
        return jdbc.sql("select agent_id from conversation where page_id = :pageId and customer_psid = :psid and id <> :id"
                        + " and agent_id is not null order by opened_at desc limit 1")
                .param("pageId", pageId).param("psid", psid).param("id", exceptConversationId)
                .query(String.class).optional();
    }

    /** The conversations an agent holds (Active, Waiting, Wrap-up). */
    public List<Conversation> heldBy(String agentId) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversation where agent_id = :agent"
                        + " and state in ('ACTIVE', 'WAITING', 'WRAP_UP') order by last_interaction_at")
                .param("agent", agentId).query(this::conversation).list();
    }

    /**
     * The customer wrote; with the conversation's new mood when the message had a sentiment score (else null).
     *
     * @param before the mood the message found in the row, null when the new one was not built on it: then the row is
     *               written whatever it holds. Otherwise it is written only if its last scores are still those, and
     *               this answers false when another transaction changed them in between: nothing was written, and the
     *               caller builds the mood again from what is stored.
     */
    public boolean customerWrote(String conversationId, Instant at, StoredMood mood, StoredMood before) {
        boolean guarded = mood != null && before != null && before.recentScores() != null;
        // Facebook may deliver a late event after a newer one: the window and inactivity clocks never go back.
        var update = jdbc.sql("""
                        update conversation
                           set last_customer_message_at = case when last_customer_message_at is null or last_customer_message_at < :at
                                                               then :at else last_customer_message_at end,
                               last_interaction_at = case when last_interaction_at < :at then :at else last_interaction_at end,
                               sentiment_level = coalesce(:level, sentiment_level),
                               sentiment_score = coalesce(:score, sentiment_score),
                               recent_sentiment = coalesce(:recent, recent_sentiment)
                         where id = :id""" + (guarded ? " and recent_sentiment = :before" : ""))
                .param("at", utc(at)).param("id", conversationId)
                .param("level", mood == null ? null : mood.level())
                .param("score", mood == null ? null : mood.score())
                .param("recent", mood == null ? null : mood.recentScores());
        return (guarded ? update.param("before", before.recentScores()) : update).update() > 0;
    }

    /** An agent's message went out: the first one is the conversation's first response (daily figures). */
    public void agentAnswered(String conversationId, Instant at) {
        jdbc.sql("update conversation set first_response_at = :at where id = :id and first_response_at is null")
                .param("at", utc(at)).param("id", conversationId).update();
    }

    public void pageWrote(String conversationId, Instant at) {
        jdbc.sql("update conversation set last_interaction_at = :at where id = :id and last_interaction_at < :at")
                .param("at", utc(at)).param("id", conversationId).update();
    }

    /**
     * A transcript entry to append.
     *
     * @param sentiment a customer message's sentiment score (-1 .. 1), else null
     */
    public record NewMessage(String conversationId, Long eventId, Direction direction, String kind, String mid,
                             String text, String quickReplyPayload, String replyToMid, String attachmentsJson,
                             Instant sentAt, Instant recordedAt, String status, Double sentiment) {

        /** At the precision the databases keep (microseconds), so what agents are told equals what is read back. */
        public NewMessage {
            sentAt = sentAt == null ? null : sentAt.truncatedTo(ChronoUnit.MICROS);
            recordedAt = recordedAt == null ? null : recordedAt.truncatedTo(ChronoUnit.MICROS);
        }

        /** An entry without a sentiment score (the Page's messages, reactions, refusals). */
        public NewMessage(String conversationId, Long eventId, Direction direction, String kind, String mid, String text,
                          String quickReplyPayload, String replyToMid, String attachmentsJson, Instant sentAt,
                          Instant recordedAt, String status) {
            this(conversationId, eventId, direction, kind, mid, text, quickReplyPayload, replyToMid, attachmentsJson, sentAt,
                    recordedAt, status, null);
        }
    }

    /** Appends the message; returns its sequence number. */
    public long append(NewMessage message) {
        var key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into message (conversation_id, event_id, direction, kind, mid, text, quick_reply_payload, reply_to_mid,
                                     attachments, sent_at, recorded_at, status, sentiment)
                values (:conversationId, :eventId, :direction, :kind, :mid, :text, :quickReplyPayload, :replyToMid,
                        :attachments, :sentAt, :recordedAt, :status, :sentiment)""")
                .param("conversationId", message.conversationId())
                .param("eventId", message.eventId())
                .param("direction", message.direction().name())
                .param("kind", message.kind())
                .param("mid", message.mid())
                .param("text", message.text())
                .param("quickReplyPayload", message.quickReplyPayload())
                .param("replyToMid", message.replyToMid())
                .param("attachments", message.attachmentsJson())
                .param("sentAt", utc(message.sentAt()))
                .param("recordedAt", utc(message.recordedAt()))
                .param("status", message.status())
                .param("sentiment", message.sentiment())
                .update(key, "id");
        return key.getKey().longValue();
    }

    public boolean hasMessage(String conversationId, String mid) {
        return jdbc.sql("select count(*) from message where conversation_id = :id and mid = :mid")
                .param("id", conversationId).param("mid", mid).query(Integer.class).single() > 0;
    }

    /**
     * Moves the Page's messages up to a receipt's watermark from one status to the next, through index
     * ix_message_status: a receipt visits only the messages still in {@code :from}, however long the conversation.
     * Only the Page's messages are ever SENT or DELIVERED (the customer's are RECEIVED). The messages are chosen in a
     * subquery, which the index answers by itself: for an update of the rows themselves H2, once it has statistics,
     * takes the index of the foreign key (conversation_id) and reads every message of the conversation.
     */
    static final String MARK_OUTBOUND = """
            update message set status = :status
            where id in (select id from message where conversation_id = :id and status = :from and sent_at <= :watermark)""";

    /**
     * Marks the Page's messages up to the watermark as delivered or read; never downgrades READ to DELIVERED. One
     * statement per status a message moves from, each an equality on the indexed status (H2 would not use an index
     * for {@code status in (...)}).
     */
    public int markOutbound(String conversationId, Instant watermark, String status) {
        List<String> from = "DELIVERED".equals(status) ? List.of("SENT") : List.of("SENT", "DELIVERED");
        int marked = 0;
        for (String before : from) {
            marked += jdbc.sql(MARK_OUTBOUND).param("status", status).param("from", before).param("id", conversationId)
                    .param("watermark", utc(watermark)).update();
        }
        return marked;
    }

    public Optional<Conversation> findById(String id) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversation where id = :id")
                .param("id", id).query(this::conversation).optional();
    }

    /** A customer's conversations across Pages, newest first. */
    public List<Conversation> findByPsid(String psid) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversation where customer_psid = :psid order by opened_at desc, id")
                .param("psid", psid).query(this::conversation).list();
    }

    public List<TranscriptMessage> transcript(String conversationId) {
        return jdbc.sql("""
                select id, direction, kind, mid, text, quick_reply_payload, reply_to_mid, attachments, sent_at, recorded_at, status
                from message where conversation_id = :id order by sent_at, id""")
                .param("id", conversationId)
                .query(this::transcriptMessage)
                .list();
    }

    private TranscriptMessage transcriptMessage(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new TranscriptMessage(rs.getLong("id"), Direction.valueOf(rs.getString("direction")),
                rs.getString("kind"), rs.getString("mid"), rs.getString("text"), rs.getString("quick_reply_payload"),
                rs.getString("reply_to_mid"), attachments(rs.getString("attachments")), instant(rs, "sent_at"),
                instant(rs, "recorded_at"), rs.getString("status"));
    }

    /** The customer's answer to the recording disclosure; {@link Consent#NONE} when the Page did not ask. */
    public Consent consent(String conversationId) {
        return jdbc.sql("""
                select disclosure_version, asked_at, answer, answered_at, answered_version
                from conversation_consent where conversation_id = :id""")
                .param("id", conversationId)
                .query((rs, row) -> new Consent(rs.getString("answer") == null ? Consent.PENDING : rs.getString("answer"),
                        rs.getString("disclosure_version"), instant(rs, "asked_at"), instant(rs, "answered_at"),
                        rs.getString("answered_version")))
                .optional().orElse(Consent.NONE);
    }

    /** The conversation's first transcript entry, without reading the rest. */
    public Optional<TranscriptMessage> firstMessage(String conversationId) {
        return jdbc.sql("""
                select id, direction, kind, mid, text, quick_reply_payload, reply_to_mid, attachments, sent_at, recorded_at, status
                from message where conversation_id = :id order by sent_at, id limit 1""")
                .param("id", conversationId)
                .query(this::transcriptMessage)
                .optional();
    }

    /** A just-appended entry as {@link #transcript} would read it back, to tell agents without reading it. */
    public TranscriptMessage transcriptMessage(NewMessage entry, long sequence) {
        return new TranscriptMessage(sequence, entry.direction(), entry.kind(), entry.mid(), entry.text(), entry.quickReplyPayload(),
                entry.replyToMid(), attachments(entry.attachmentsJson()), entry.sentAt(), entry.recordedAt(), entry.status());
    }

    private com.fasterxml.jackson.databind.JsonNode attachments(String stored) {
        try {
            return stored == null ? json.createArrayNode() : json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attachments are not JSON", e);
        }
    }

    private Conversation conversation(ResultSet rs, int row) throws SQLException {
        return new Conversation(rs.getString("id"), rs.getString("page_id"), rs.getString("customer_psid"),
                ConversationState.valueOf(rs.getString("state")), rs.getString("queue"), instant(rs, "opened_at"),
                instant(rs, "last_customer_message_at"), instant(rs, "last_interaction_at"), instant(rs, "closed_at"),
                rs.getString("contact_id"), customer(rs.getString("customer")), !rs.getBoolean("customer_complete"),
                rs.getString("agent_id"));
    }

    private Customer customer(String stored) {
        try {
            return stored == null ? Customer.anonymous() : json.readValue(stored, Customer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored customer is not JSON", e);
        }
    }

    private String write(Customer customer) {
        try {
            return customer == null ? null : json.writeValueAsString(customer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the customer", e);
        }
    }


    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
