package io.messengerhub.workspace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/**
 * A consult message was written in a conversation: {@code consult.message} for the agent consulted (a supervisor's
 * message), and {@code supervisor.consult} without its text on the events topic, so supervisors' pages show it.
 */
public record ConsultMessage(Consults.Message message) implements DomainEvent {

    /** Whether the agent is to be told: it wrote the answer itself otherwise, and has it from its command's result. */
    public boolean tellsAgent() {
        return message.role() == Consults.Role.SUPERVISOR;
    }

    public String agentId() {
        return message.agentId();
    }

    /** The agent's inbox message. */
    public Map<String, Object> toAgent() {
        return Envelope.of("consult.message", message.sentAt(), "conversationId", message.conversationId(), "consult", message);
    }

    /** For supervisors' pages on the events topic: who wrote in which conversation, never what. */
    public Map<String, Object> integrationEvent() {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", "supervisor.consult");
        event.put("conversationId", message.conversationId());
        event.put("author", message.author());
        event.put("role", message.role().name());
        event.put("agentId", message.agentId());
        event.put("occurredAt", message.sentAt());
        return event;
    }
}
