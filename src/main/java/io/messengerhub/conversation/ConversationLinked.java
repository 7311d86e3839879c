package io.messengerhub.conversation;

import java.time.Instant;

import io.messengerhub.outbox.DomainEvent;

/** A conversation's customer was linked to a CRM contact (the API's link, an agent's contact.link or contact.create). */
public record ConversationLinked(Conversation conversation, Instant at) implements DomainEvent {

    public IntegrationEvent integrationEvent() {
        return IntegrationEvent.of("conversation.linked", conversation, at);
    }
}
