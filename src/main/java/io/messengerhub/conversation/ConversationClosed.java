package io.messengerhub.conversation;

import java.time.Instant;

import io.messengerhub.outbox.DomainEvent;

/**
 * A conversation closed, whoever closed it ({@code by}: agent, api, inactivity, retention).
 *
 * @param conversation as closed
 * @param holder       the agent who held it, or null
 */
public record ConversationClosed(Conversation conversation, String holder, String by, Instant at) implements DomainEvent {

    @Override
    public String dedupKey() {
        return "conversation.closed:" + conversation.id();
    }

    public String conversationId() {
        return conversation.id();
    }

    public IntegrationEvent integrationEvent() {
        return IntegrationEvent.of("conversation.closed", conversation, at);
    }

    /** The holder must be told, unless it closed the conversation itself (it has the answer to its command). */
    public boolean tellsHolder() {
        return holder != null && !"agent".equals(by);
    }

    /** What the holder is told. */
    public ConversationStateChanged stateChanged() {
        return new ConversationStateChanged(conversation.id(), holder, ConversationState.CLOSED, by, at);
    }
}
