package io.messengerhub.sentiment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.outbox.DomainEvent;

/**
 * A conversation's mood fell to {@code hub.sentiment.alert-level} or below (once per crossing):
 * {@code supervisor.sentiment-alert}.
 */
public record SentimentAlert(Conversation conversation, long messageId, SentimentLevel level, double score,
                             SentimentLevel alertLevel, Instant at) implements DomainEvent {

    @Override
    public String dedupKey() {
        return "sentiment-alert:" + conversation.id() + ":" + messageId;
    }

    @JsonValue
    public Map<String, Object> message() {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", ConversationSentiment.ALERT);
        event.put("conversationId", conversation.id());
        event.put("pageId", conversation.pageId());
        event.put("queue", conversation.queue());
        event.put("agentId", conversation.agentId());
        event.put("state", conversation.state().name());
        event.put("level", level.name());
        event.put("score", score);
        event.put("alertLevel", alertLevel.name());
        event.put("occurredAt", at);
        return event;
    }
}
