package io.messengerhub.send;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** Facebook took a message (its {@code mid}); {@code agentId} null for the hub's own (the disclosure). */
public record MessageSent(String agentId, String conversationId, String requestId, String mid, String messagingType, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        var fields = new HashMap<String, Object>();
        fields.put("conversationId", conversationId);
        fields.put("requestId", requestId);
        fields.put("mid", mid);
        fields.put("messagingType", messagingType);
        return Envelope.of("message.sent", at, fields);
    }
}
