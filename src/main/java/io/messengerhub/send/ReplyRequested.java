package io.messengerhub.send;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;

/**
 * Something is to be sent to a customer through the Send API (an agent's message, file or sender action, or the
 * Page's disclosure), checked already; as a message it is the {@link SendRequest} the facebook-send route takes.
 */
public record ReplyRequested(@JsonValue SendRequest request) implements DomainEvent {

    /** An agent command delivered twice queues its reply once. */
    @Override
    public String dedupKey() {
        return "send:" + request.requestId() + ":" + request.kind();
    }
}
