package io.messengerhub.conversation;

import java.time.Instant;

import io.messengerhub.customer.Customer;

/**
 * A conversation between one customer and one Page, as the read API and later capabilities see it.
 *
 * @param contactId              the CRM contact, once known
 * @param customer               who is writing, as offered to agents
 * @param customerDataIncomplete a source did not answer in time; the hub is still looking it up
 * @param agentId                the agent holding it (Active, Waiting, Wrap-up), else null
 */
public record Conversation(String id, String pageId, String customerPsid, ConversationState state, String queue,
                           Instant openedAt, Instant lastCustomerMessageAt, Instant lastInteractionAt,
                           Instant closedAt, String contactId, Customer customer, boolean customerDataIncomplete,
                           String agentId) {

    /**
     * When the conversation ended: its closing time, or its last interaction while it is not closed. The archive's
     * day folder and the transcript index both use it, and retention relies on the two agreeing.
     */
    public Instant closedOrLastInteraction() {
        return closedAt != null ? closedAt : lastInteractionAt;
    }

    public Conversation withState(ConversationState newState, Instant closedAt) {
        return new Conversation(id, pageId, customerPsid, newState, queue, openedAt, lastCustomerMessageAt,
                lastInteractionAt, closedAt, contactId, customer, customerDataIncomplete, agentId);
    }

    public Conversation withQueue(String newQueue) {
        return new Conversation(id, pageId, customerPsid, state, newQueue, openedAt, lastCustomerMessageAt,
                lastInteractionAt, closedAt, contactId, customer, customerDataIncomplete, agentId);
    }

    public Conversation withContactId(String newContactId) {
        return new Conversation(id, pageId, customerPsid, state, queue, openedAt, lastCustomerMessageAt,
                lastInteractionAt, closedAt, newContactId, customer, customerDataIncomplete, agentId);
    }

    public Conversation withCustomer(Customer newCustomer, boolean complete) {
        return new Conversation(id, pageId, customerPsid, state, queue, openedAt, lastCustomerMessageAt,
                lastInteractionAt, closedAt, newCustomer.contactId() != null ? newCustomer.contactId() : contactId,
                newCustomer, !complete, agentId);
    }
}
