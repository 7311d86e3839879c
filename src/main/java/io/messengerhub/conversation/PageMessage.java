package io.messengerhub.conversation;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;

/**
 * The Page wrote to the customer outside the hub (Facebook's echo of a message sent from the Page's own inbox); as a
 * message it is {@code message.received} for the holder, like the customer's.
 */
public record PageMessage(Conversation conversation, TranscriptMessage message, Instant at)
        implements DomainEvent {

    public String holder() {
        return conversation.agentId();
    }

    @JsonValue
    public Map<String, Object> toHolder() {
        return CustomerMessage.received(conversation, message, at);
    }
}
