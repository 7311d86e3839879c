package io.messengerhub.workspace;

import static io.messengerhub.workspace.CrmCall.crm;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.messengerhub.conversation.AgentCommandException;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.customer.CrmDirectory;
import io.messengerhub.customer.RouteCalls.RouteCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * CRM cases from the conversation: create one for the customer's contact, search and link an existing one, resolve
 * or unlink the linked one. The cases live in the CRM and are reached through the crm-*-case routes; the hub only remembers
 * which case a conversation is about.
 */
@Component("cases")
public class Cases {

    private static final Logger LOG = LoggerFactory.getLogger(Cases.class);
    static final int MAX_TITLE = 500;
    static final int MAX_TEXT = 4000;

    private final CrmDirectory crm;
    private final JdbcClient jdbc;
    private final ConversationRepository conversations;
    private final Duration timeout;

    public Cases(CrmDirectory crm, JdbcClient jdbc, ConversationRepository conversations,
                 @Value("${hub.crm.command-timeout}") Duration timeout) {
        this.crm = crm;
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.timeout = timeout;
    }

    public Map<String, Object> create(String agentId, Conversation conversation, String title, String description) {
        String contactId = contactOf(conversation);
        if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
            throw new AgentCommandException("a case needs a title of at most " + MAX_TITLE + " characters");
        }
        if (description != null && description.length() > MAX_TEXT) {
            throw new AgentCommandException("a case description has at most " + MAX_TEXT + " characters");
        }
        String caseId = crm(() -> crm.createCase(contactId, title.strip(), description, conversation.id(), agentId, timeout));
        link(conversation.id(), caseId);
        LOG.info("Agent {} opened case {} from conversation {}", agentId, caseId, conversation.id());
        return Map.of("caseId", caseId, "case", details(caseId));
    }

    /** Cases matching the words: the conversation's contact's when there is a conversation, else all. */
    public List<Map<String, Object>> search(Conversation conversation, String words) {
        String contactId = conversation == null ? null : conversation.contactId();
        if (conversation != null && contactId == null) {
            return List.of();
        }
        return crm(() -> crm.searchCases(words, contactId, timeout));
    }

    public Map<String, Object> link(String agentId, Conversation conversation, String caseId) {
        Map<String, Object> found = crm(() -> crm.findCase(caseId, timeout))
                .orElseThrow(() -> new AgentCommandException("the CRM has no case '" + caseId + "'"));
        Object owner = found.get("contactId");
        if (conversation.contactId() != null && owner != null && !conversation.contactId().equals(String.valueOf(owner))) {
            throw new AgentCommandException("case " + caseId + " belongs to another contact");
        }
        link(conversation.id(), caseId);
        LOG.info("Agent {} linked case {} to conversation {}", agentId, caseId, conversation.id());
        return Map.of("caseId", caseId, "case", found);
    }

    public Map<String, Object> resolve(String agentId, Conversation conversation, String resolution) {
        String caseId = linkedCase(conversation.id())
                .orElseThrow(() -> new AgentCommandException("conversation " + conversation.id() + " has no linked case"));
        if (resolution != null && resolution.length() > MAX_TEXT) {
            throw new AgentCommandException("a resolution has at most " + MAX_TEXT + " characters");
        }
        if (!crm(() -> crm.resolveCase(caseId, resolution, agentId, timeout))) {
            throw new AgentCommandException("case " + caseId + " is already resolved or no longer in the CRM");
        }
        LOG.info("Agent {} resolved case {} of conversation {}", agentId, caseId, conversation.id());
        return Map.of("caseId", caseId, "case", details(caseId));
    }

    /** Forgets the conversation's linked case; the case itself stays in the CRM as it is. */
    public Map<String, Object> unlink(String agentId, Conversation conversation) {
        String caseId = linkedCase(conversation.id())
                .orElseThrow(() -> new AgentCommandException("conversation " + conversation.id() + " has no linked case"));
        link(conversation.id(), null);
        LOG.info("Agent {} unlinked case {} from conversation {}", agentId, caseId, conversation.id());
        var answer = new LinkedHashMap<String, Object>();
        answer.put("caseId", null);
        answer.put("unlinkedCaseId", caseId);
        return answer;
    }

    /**
     * The case as the CRM now has it, for the answer. The change is done by then: if the CRM does not answer this
     * read, the agent still hears that it succeeded, with the id only.
     */
    private Map<String, Object> details(String caseId) {
        try {
            return crm.findCase(caseId, timeout).orElse(Map.of("caseId", caseId));
        } catch (RouteCallException e) {
            LOG.warn("Case {} changed, but the CRM did not answer reading it back: {}", caseId, e.getMessage());
            return Map.of("caseId", caseId);
        }
    }

    public Optional<String> linkedCase(String conversationId) {
        return jdbc.sql("select case_id from conversation where id = :id").param("id", conversationId)
                .query(String.class).optional();
    }

    private void link(String conversationId, String caseId) {
        conversations.linkCase(conversationId, caseId);
    }

    private static String contactOf(Conversation conversation) {
        if (conversation.contactId() == null) {
            throw new AgentCommandException("the customer has no CRM contact yet: link the conversation to a contact first");
        }
        return conversation.contactId();
    }
}
