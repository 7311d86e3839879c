package io.messengerhub.conversation;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.Envelope;
import io.messengerhub.outbox.DomainEvent;

/**
 * A conversation an agent holds (or held) changed state, {@code by} whom: agent, api, inactivity, disconnected. As a
 * message it is {@code conversation.state-changed} for that agent.
 */
public record ConversationStateChanged(String conversationId, String holder, ConversationState state, String by, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        return Envelope.of("conversation.state-changed", at, Map.of("conversationId", conversationId, "state", state.name(), "by", by));
    }
}
