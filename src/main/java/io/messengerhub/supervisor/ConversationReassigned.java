package io.messengerhub.supervisor;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/**
 * A supervisor took a conversation from the agent holding it ({@code holder}): assigned it to another agent
 * ({@code agentId}) or moved it to a queue ({@code agentId} null). As a message it is {@code conversation.reassigned}
 * for the agent who held it, whose session of it ends.
 */
public record ConversationReassigned(String conversationId, String holder, String agentId, String queue, Instant at)
        implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        return Envelope.of("conversation.reassigned", at, "conversationId", conversationId, "agentId", agentId,
                "queue", queue, "by", "supervisor");
    }
}
