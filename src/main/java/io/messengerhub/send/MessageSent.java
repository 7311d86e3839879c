package io.messengerhub.send;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** Facebook took a message (its {@code mid}); {@code agentId} null for the hub's own (the disclosure). */
public record MessageSent(String agentId, String conversationId, String requestId, String mid, String messagingType, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        return Envelope.of("message.sent", at, "conversationId", conversationId, "requestId", requestId, "mid", mid,
                "messagingType", messagingType);
    }
}
