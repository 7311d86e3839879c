package io.messengerhub.conversation;

import java.time.Instant;

import io.messengerhub.outbox.DomainEvent;

/** A customer wrote and a conversation opened in {@code conversation.queue()}; {@code offer} is its queue's offer. */
public record ConversationOpened(Conversation conversation, ConversationOffer offer, Instant at) implements DomainEvent {

    @Override
    public String dedupKey() {
        return "conversation.opened:" + conversation.id();
    }

    public IntegrationEvent integrationEvent() {
        return IntegrationEvent.of("conversation.opened", conversation, at);
    }
}
