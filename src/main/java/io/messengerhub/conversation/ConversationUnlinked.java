package io.messengerhub.conversation;

import java.time.Instant;

import io.messengerhub.outbox.DomainEvent;

/**
 * A conversation's customer was unlinked from a CRM contact (an agent's contact.unlink).
 *
 * @param conversation as it is now, without the contact
 * @param contactId    the contact it was unlinked from
 */
public record ConversationUnlinked(Conversation conversation, String contactId, Instant at) implements DomainEvent {

    /** Its {@code contactId} is the contact the customer was unlinked from. */
    public IntegrationEvent integrationEvent() {
        return IntegrationEvent.of("conversation.unlinked", conversation.withContactId(contactId), at);
    }
}
