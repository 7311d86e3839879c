package io.messengerhub.privacy;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** A conversation an agent holds was erased on the customer's request: the agent must stop working on it. */
public record ConversationErased(String conversationId, String holder, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> toHolder() {
        return Envelope.of("conversation.erased", at, Map.of("conversationId", conversationId,
                "reason", "the customer's data was erased on request"));
    }
}
