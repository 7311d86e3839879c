package io.messengerhub.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.messengerhub.attachment.CustomerAttachments;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.channel.Channels;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an agent sees of a conversation: the customer, status, queue, agent and times (the conversation itself),
 * the transcript, notes and files, a supervisor's consult, the linked case, the live sentiment, and the customer's other active and recent
 * conversations (the latter also come with every offer, so the agent knows before accepting).
 */
@Component("conversationView")
public class ConversationView {

    /** How many of the customer's closed conversations are shown besides the active ones. */
    static final int RECENT = 5;

    private final ConversationRepository conversations;
    private final Notes notes;
    private final CustomerAttachments attachments;
    private final JdbcClient jdbc;
    private final Channels channels;
    private final Consults consults;

    public ConversationView(ConversationRepository conversations, Notes notes, CustomerAttachments attachments, JdbcClient jdbc,
                            Channels channels, Consults consults) {
        this.channels = channels;
        this.consults = consults;
        this.conversations = conversations;
        this.notes = notes;
        this.attachments = attachments;
        this.jdbc = jdbc;
    }

    public Map<String, Object> of(Conversation conversation) {
        var view = new LinkedHashMap<String, Object>();
        view.put("conversation", conversation);
        view.put("transcript", conversations.transcript(conversation.id()));
        view.put("attachments", attachments.of(conversation.id()));
        view.put("notes", notes.of(conversation.id()));
        view.put("consult", consults.of(conversation.id()));
        Map<String, Object> extra = jdbc.sql("select case_id, sentiment_level, sentiment_score from conversation where id = :id")
                .param("id", conversation.id()).query().singleRow();
        view.put("caseId", extra.get("case_id"));
        view.put("sentiment", sentimentOf(extra));
        view.put("otherConversations", others(conversation));
        // Every conversation's transcript is kept, so the agent is told; and what the customer answered to the disclosure.
        view.put("recorded", true);
        view.put("consent", conversations.consent(conversation.id()));
        // Whether replies may go out with the HUMAN_AGENT tag for 7 days, not only within 24 h (config/channels.yaml).
        view.put("humanAgentTag", channels.page(conversation.pageId()).map(ChannelProperties.Page::humanAgentTag).orElse(false));
        return view;
    }

    /** The conversation's current mood, {@code {level, score}}; both null while none of its messages was scored. */
    public Map<String, Object> sentiment(String conversationId) {
        return sentimentOf(jdbc.sql("select sentiment_level, sentiment_score from conversation where id = :id")
                .param("id", conversationId).query().singleRow());
    }

    private static Map<String, Object> sentimentOf(Map<String, Object> row) {
        var sentiment = new LinkedHashMap<String, Object>();
        sentiment.put("level", row.get("sentiment_level"));
        sentiment.put("score", row.get("sentiment_score"));
        return sentiment;
    }

    /**
     * The view an agent may have of a conversation: of one they hold, with {@code readOnly: false} (true once it is
     * closed); of one among the {@link #others} of a conversation they hold (the history of a customer they serve),
     * with {@code readOnly: true}; else none.
     */
    public Optional<Map<String, Object>> forAgent(String agentId, String conversationId) {
        Optional<Conversation> conversation = conversations.findById(conversationId);
        if (conversation.isEmpty()) {
            return Optional.empty();
        }
        boolean held = agentId.equals(conversation.get().agentId());
        if (!held && conversations.heldBy(agentId).stream()
                .noneMatch(mine -> others(mine).stream().anyMatch(other -> conversationId.equals(other.get("id"))))) {
            return Optional.empty();
        }
        var view = new LinkedHashMap<>(of(conversation.get()));
        // A closed conversation takes nothing any more, not even from its last agent.
        view.put("readOnly", !held || conversation.get().state() == ConversationState.CLOSED);
        return Optional.of(view);
    }

    /**
     * The customer's other conversations (same PSID, or same CRM contact on another Page): every one not closed,
     * and the {@value #RECENT} most recent closed ones; newest first.
     */
    public List<Map<String, Object>> others(Conversation conversation) {
        String sql = """
                select id as "id", page_id as "pageId", state as "state", queue as "queue", agent_id as "agentId",
                       opened_at as "openedAt", closed_at as "closedAt", case_id as "caseId"
                from conversation
                where id <> :id and (customer_psid = :psid or (contact_id is not null and contact_id = :contact))
                  and %s
                order by opened_at desc, id""";
        var params = Map.<String, Object>of("id", conversation.id(), "psid", conversation.customerPsid(),
                "contact", conversation.contactId() == null ? "" : conversation.contactId());
        var others = new ArrayList<Map<String, Object>>(
                jdbc.sql(sql.formatted("state <> 'CLOSED'")).params(params).query().listOfRows());
        others.addAll(jdbc.sql(sql.formatted("state = 'CLOSED'") + " limit " + RECENT).params(params).query().listOfRows());
        return others;
    }
}
