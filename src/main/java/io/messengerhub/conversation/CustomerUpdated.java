package io.messengerhub.conversation;

import java.time.Instant;
import java.util.Map;

import io.messengerhub.customer.Customer;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** The customer data of a conversation changed (enrichment completed, contact linked or unlinked); {@code complete}: nothing missing. */
public record CustomerUpdated(Conversation conversation, Customer customer, boolean complete, Instant at) implements DomainEvent {

    public String holder() {
        return conversation.agentId();
    }

    /** For the agent holding the conversation. */
    public Map<String, Object> toHolder() {
        return Envelope.of("conversation.customer-updated", at, Map.of("conversationId", conversation.id(),
                "customer", customer, "customerDataIncomplete", !complete));
    }

    /** For the queue's address while nobody holds the conversation. */
    public Map<String, Object> toQueue() {
        var message = new java.util.LinkedHashMap<String, Object>();
        message.put("type", "conversation.customer-updated");
        message.put("conversationId", conversation.id());
        message.put("pageId", conversation.pageId());
        message.put("customerPsid", conversation.customerPsid());
        message.put("customer", customer);
        message.put("customerDataIncomplete", !complete);
        message.put("occurredAt", at);
        return message;
    }
}
