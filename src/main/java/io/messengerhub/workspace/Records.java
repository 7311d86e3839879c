package io.messengerhub.workspace;

import static io.messengerhub.workspace.CrmCall.crm;

import java.time.Duration;
import java.util.Map;

import io.messengerhub.conversation.AgentCommandException;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationCommands;
import io.messengerhub.customer.CrmDirectory;
import io.messengerhub.customer.CustomerEnricher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which CRM contact a conversation's customer is, decided by the agent: search contacts, link the customer to one,
 * unlink it, or create one from the Facebook profile. Everything goes through the CRM routes (crm-search-contacts,
 * crm-link-contact, crm-unlink-contact, crm-create-contact), so an integration team's CRM wiring applies.
 */
@Component("records")
public class Records {

    private static final Logger LOG = LoggerFactory.getLogger(Records.class);

    private final CrmDirectory crm;
    private final CustomerEnricher enricher;
    private final ConversationCommands conversations;
    private final Duration timeout;

    public Records(CrmDirectory crm, CustomerEnricher enricher, ConversationCommands conversations,
                   @Value("${hub.crm.command-timeout}") Duration timeout) {
        this.crm = crm;
        this.enricher = enricher;
        this.conversations = conversations;
        this.timeout = timeout;
    }

    public Map<String, Object> search(String words) {
        if (words == null || words.isBlank()) {
            throw new AgentCommandException("a contact search needs a name, email or phone");
        }
        return Map.of("contacts", crm(() -> crm.searchContacts(words, timeout)));
    }

    public Map<String, Object> link(String agentId, Conversation conversation, String contactId) {
        Conversation linked = crm(() -> conversations.linkContact(conversation, contactId, timeout))
                .orElseThrow(() -> new AgentCommandException("the CRM has no contact '" + contactId + "'"));
        LOG.info("Agent {} linked conversation {} to CRM contact {}", agentId, conversation.id(), contactId);
        return linkedTo(contactId, linked);
    }

    public Map<String, Object> unlink(String agentId, Conversation conversation) {
        String contactId = conversation.contactId();
        if (contactId == null) {
            throw new AgentCommandException("the customer is not linked to a CRM contact");
        }
        Conversation unlinked = crm(() -> conversations.unlinkContact(conversation, timeout));
        LOG.info("Agent {} unlinked conversation {} from CRM contact {}", agentId, conversation.id(), contactId);
        return Map.of("customer", unlinked.customer(), "unlinkedContactId", contactId);
    }

    public Map<String, Object> create(String agentId, Conversation conversation) {
        if (conversation.contactId() != null) {
            throw new AgentCommandException("the customer is already CRM contact " + conversation.contactId() + ": unlink it first");
        }
        String contactId = crm(() -> enricher.createContact(conversation.pageId(), conversation.customerPsid(), timeout))
                .orElseThrow(() -> new AgentCommandException("there is no Facebook profile to create a contact from"));
        LOG.info("Agent {} created CRM contact {} from conversation {}", agentId, contactId, conversation.id());
        return linkedTo(contactId, conversations.linked(conversation, contactId));
    }

    private static Map<String, Object> linkedTo(String contactId, Conversation conversation) {
        return Map.of("contactId", contactId, "customer", conversation.customer());
    }
}
