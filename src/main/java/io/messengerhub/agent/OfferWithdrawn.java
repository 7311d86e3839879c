package io.messengerhub.agent;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** A pending offer ended without the agent's answer ({@code reason}: timeout, closed, disconnected). */
public record OfferWithdrawn(String agentId, String offerId, String conversationId, String reason, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        return Envelope.of("offer.withdrawn", at, Map.of("offerId", offerId, "conversationId", conversationId, "reason", reason));
    }
}
