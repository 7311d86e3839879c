package io.messengerhub.attachment;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** A customer's file passed the policy and is in the store; {@code holder}, if any, can fetch it now. */
public record AttachmentStored(String conversationId, String holder, String attachmentId, Object name, Object contentType,
                               Object size, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> toHolder() {
        return Envelope.of("attachment.stored", at, "conversationId", conversationId, "attachmentId", attachmentId,
                "name", name, "contentType", contentType, "size", size);
    }
}
