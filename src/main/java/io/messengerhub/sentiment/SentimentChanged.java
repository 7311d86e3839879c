package io.messengerhub.sentiment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** A customer message changed the conversation's mood; the holder hears it as {@code conversation.sentiment}. */
public record SentimentChanged(Conversation conversation, ConversationSentiment.Mood mood, Instant at) implements DomainEvent {

    public String holder() {
        return conversation.agentId();
    }

    @JsonValue
    public Map<String, Object> toHolder() {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("conversationId", conversation.id());
        fields.put("level", mood.level().name());
        fields.put("score", mood.score());
        fields.put("messageScore", mood.message().compound());
        fields.put("language", mood.message().language().name().toLowerCase(Locale.ROOT));
        return Envelope.of("conversation.sentiment", at, fields);
    }
}
