package io.messengerhub.send;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** An agent's message or file was not sent and will not be ({@code code}: Facebook's error code, if any). */
public record MessageFailed(String agentId, String conversationId, String requestId, String reason, Integer code, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        return Envelope.of("message.failed", at, "conversationId", conversationId, "requestId", requestId, "reason", reason,
                "final", true, "code", code);
    }
}
