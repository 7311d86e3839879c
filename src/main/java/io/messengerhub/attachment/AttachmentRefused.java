package io.messengerhub.attachment;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.conversation.TranscriptMessage;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/**
 * A customer's file was refused ({@code reason}, machine-readable); the transcript got {@code message}, which the
 * holder gets as {@code message.received}.
 */
public record AttachmentRefused(String conversationId, String holder, String attachmentId, String reason,
                                TranscriptMessage message, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> toHolder() {
        return Envelope.of("message.received", at, Map.of("conversationId", conversationId, "message", message, "reason", reason));
    }
}
