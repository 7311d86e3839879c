package io.messengerhub.privacy;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.conversation.Consent;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** The customer answered the recording disclosure; the agent holding the conversation hears {@code conversation.consent}. */
public record ConsentAnswered(String conversationId, String holder, Consent consent, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> toHolder() {
        return Envelope.of("conversation.consent", at, Map.of("conversationId", conversationId, "recorded", true,
                "consent", consent));
    }
}
