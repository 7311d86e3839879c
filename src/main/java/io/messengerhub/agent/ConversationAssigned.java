package io.messengerhub.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.TranscriptMessage;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** An agent took a conversation (accepted its offer or picked it): it gets it with its transcript and files. */
public record ConversationAssigned(String agentId, Conversation conversation, List<TranscriptMessage> transcript,
                                   List<?> attachments, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        return Envelope.of("conversation.assigned", at, Map.of("conversation", conversation, "transcript", transcript,
                "attachments", attachments));
    }
}
