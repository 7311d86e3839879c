package io.messengerhub.agent;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.broker.BrokerAddresses;
import io.messengerhub.conversation.ConversationOffer;
import io.messengerhub.outbox.Outbox;
import io.messengerhub.outbox.OutboxMessage;
import org.springframework.stereotype.Component;

/**
 * Messages to one agent's inbox (docs/asyncapi.yaml), decided inside the transaction that caused them and sent
 * through the outbox: the inbox is a durable queue, so nothing is lost while the agent is disconnected.
 */
@Component
public class AgentInbox {

    private final Outbox outbox;
    private final BrokerAddresses addresses;
    private final Clock clock;
    private final ObjectMapper json;

    public AgentInbox(Outbox outbox, BrokerAddresses addresses, Clock clock, ObjectMapper json) {
        this.json = json;
        this.outbox = outbox;
        this.addresses = addresses;
        this.clock = clock;
    }

    /** Tells the agent holding a conversation that someone else (by: api, inactivity, disconnected) changed its state. */
    public OutboxMessage stateChanged(String agentId, String conversationId, String state, String by) {
        return send(agentId, "conversation.state-changed", Map.of("conversationId", conversationId, "state", state, "by", by));
    }

    /** Tells the agent that its message or file was not sent and will not be: {@code message.failed}, final. */
    public OutboxMessage messageFailed(String agentId, String conversationId, String requestId, String reason, Integer code) {
        var fields = new HashMap<String, Object>();
        fields.put("conversationId", conversationId);
        fields.put("requestId", requestId);
        fields.put("reason", reason);
        fields.put("final", true);
        fields.put("code", code);
        return send(agentId, "message.failed", fields);
    }

    /** Adds {@code type}, {@code at} and the fields, in that order, and queues it for the agent. */
    /** An offer to this agent: the one {@code conversation.offered} shape, with the inbox's {@code at}. */
    public OutboxMessage offered(String agentId, ConversationOffer offer) {
        ObjectNode message = json.valueToTree(offer);
        message.put("at", clock.instant().toString());
        return outbox.add(addresses.inbox(agentId), offer.type() + ":" + UUID.randomUUID(), message.toString());
    }

    public OutboxMessage send(String agentId, String type, Map<String, ?> fields) {
        var message = new LinkedHashMap<String, Object>();
        message.put("type", type);
        message.put("at", clock.instant());
        message.putAll(fields);
        return outbox.addJson(addresses.inbox(agentId), type + ":" + UUID.randomUUID(), message);
    }
}
