package io.messengerhub.supervisor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;

/**
 * A supervisor assigned, transferred or consulted in a conversation, or acknowledged an alert: {@code supervisor.action}
 * on the events topic, so every supervisor's page shows it at once (and integrations may follow). Never the text of a
 * consult.
 */
public record SupervisorActed(String action, String supervisor, String conversationId, Long alertId, String agentId,
                              String queue, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> integrationEvent() {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", "supervisor.action");
        event.put("action", action);
        event.put("supervisor", supervisor);
        event.put("conversationId", conversationId);
        event.put("alertId", alertId);
        event.put("agentId", agentId);
        event.put("queue", queue);
        event.put("occurredAt", at);
        return event;
    }
}
