package io.messengerhub.conversation;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** The customer wrote in a conversation (after its first message). As a message it is {@code message.received} for the holder. */
public record CustomerMessage(Conversation conversation, TranscriptMessage message, Instant at)
        implements DomainEvent {

    public String holder() {
        return conversation.agentId();
    }

    @JsonValue
    public Map<String, Object> toHolder() {
        return received(conversation, message, at);
    }

    /** {@code message.received} for the holder: of the customer's messages and of the Page's own ({@link PageMessage}). */
    static Map<String, Object> received(Conversation conversation, TranscriptMessage message, Instant at) {
        return Envelope.of("message.received", at, Map.of("conversationId", conversation.id(), "message", message));
    }
}
