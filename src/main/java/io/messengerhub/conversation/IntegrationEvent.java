package io.messengerhub.conversation;

import java.time.Instant;

/** An integration event on the {@code contact-center.events} topic: conversation.opened, .closed, .linked or .unlinked. */
public record IntegrationEvent(String type, String conversationId, String pageId, String customerPsid, String contactId,
                               String queue, String state, Instant occurredAt) {

    static IntegrationEvent of(String type, Conversation conversation, Instant occurredAt) {
        return new IntegrationEvent(type, conversation.id(), conversation.pageId(), conversation.customerPsid(),
                conversation.contactId(), conversation.queue(), conversation.state().name(), occurredAt);
    }
}
