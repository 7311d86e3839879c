package io.messengerhub.send;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** An agent's message or file was not sent and will not be ({@code code}: Facebook's error code, if any). */
public record MessageFailed(String agentId, String conversationId, String requestId, String reason, Integer code, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        var fields = new HashMap<String, Object>();
        fields.put("conversationId", conversationId);
        fields.put("requestId", requestId);
        fields.put("reason", reason);
        fields.put("final", true);
        fields.put("code", code);
        return Envelope.of("message.failed", at, fields);
    }
}
