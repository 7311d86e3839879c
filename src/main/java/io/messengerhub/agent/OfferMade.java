package io.messengerhub.agent;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.messengerhub.conversation.ConversationOffer;
import io.messengerhub.outbox.DomainEvent;

/** A conversation was offered to one agent, with its countdown: {@code conversation.offered} in that agent's inbox. */
public record OfferMade(@JsonIgnore String agentId, @JsonUnwrapped ConversationOffer offer, @JsonProperty("at") Instant at)
        implements DomainEvent {
}
