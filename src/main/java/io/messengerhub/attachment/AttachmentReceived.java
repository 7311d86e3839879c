package io.messengerhub.attachment;

import io.messengerhub.outbox.DomainEvent;

/** A customer's message carried a file: it is to be fetched from Facebook's CDN (the message is its attachment id). */
public record AttachmentReceived(String attachmentId, String conversationId) implements DomainEvent {

    @Override
    public String dedupKey() {
        return "attachment:" + attachmentId;
    }
}
