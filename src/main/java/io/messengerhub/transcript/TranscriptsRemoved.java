package io.messengerhub.transcript;

import java.util.List;
import java.util.Map;

import io.messengerhub.outbox.DomainEvent;

/** Archived transcripts were erased or expired: every hub instance's index lets them go (routes/events.camel.yaml). */
public record TranscriptsRemoved(List<String> conversationIds) implements DomainEvent {

    public TranscriptsRemoved {
        conversationIds = List.copyOf(conversationIds);
    }

    /** The message of the index topic that TranscriptFollower follows. */
    public Map<String, Object> toIndexTopic() {
        return Map.of("type", TranscriptFollower.REMOVED, "conversationIds", conversationIds);
    }
}
