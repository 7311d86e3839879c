package io.messengerhub.conversation;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** The customer's Messenger delivered or read the Page's messages up to {@code watermark}: {@code message.status}. */
public record MessageStatusChanged(String conversationId, String holder, String status, Instant watermark, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> toHolder() {
        return Envelope.of("message.status", at, Map.of("conversationId", conversationId, "status", status, "watermark", watermark));
    }
}
