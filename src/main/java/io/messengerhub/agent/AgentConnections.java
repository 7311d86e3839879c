package io.messengerhub.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationTransition;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.conversation.ConversationStateChanged;
import io.messengerhub.outbox.DomainEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Presence follows the connection: an agent client that stops sending heartbeats is set Offline and its pending
 * offers move on; if it returns within the grace period it gets its presence back and never lost its
 * conversations, otherwise its Active and Waiting conversations go back to their queues.
 */
@Component("agentConnections")
public class AgentConnections {

    private static final Logger LOG = LoggerFactory.getLogger(AgentConnections.class);

    private final AgentStates states;
    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final WorkDistribution distribution;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Duration reconnectGrace;

    public AgentConnections(AgentStates states, ConversationRepository conversations, DomainEvents events,
                            WorkDistribution distribution, TransactionTemplate transaction, Clock clock,
                            @Value("${hub.agents.heartbeat-timeout}") Duration heartbeatTimeout,
                            @Value("${hub.agents.reconnect-grace}") Duration reconnectGrace) {
        this.states = states;
        this.distribution = distribution;
        this.conversations = conversations;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.reconnectGrace = reconnectGrace;
    }

    public void sweep() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (String agentId : states.silentSince(now.minus(heartbeatTimeout))) {
            transaction.executeWithoutResult(status -> {
                if (states.disconnected(agentId)) {
                    LOG.warn("Agent {} stopped answering: Offline; its conversations wait {} for it to return", agentId, reconnectGrace);
                    distribution.withdrawOffersTo(agentId, "EXPIRED", "disconnected");
                }
            });
        }
        for (String agentId : states.disconnectedBefore(now.minus(reconnectGrace))) {
            transaction.executeWithoutResult(status -> {
                returnConversations(agentId, "disconnected", "did not return");
                states.graceOver(agentId);
            });
        }
    }

    /**
     * The agent may no longer work (disabled or removed by an admin): its pending offers are withdrawn and its Active
     * and Waiting conversations go back to their queues. Call inside a transaction.
     */
    public void letGo(String agentId, String reason) {
        distribution.withdrawOffersTo(agentId, "EXPIRED", reason);
        returnConversations(agentId, reason, "(" + reason + ")");
    }

    private void returnConversations(String agentId, String reason, String why) {
        for (Conversation conversation : conversations.heldBy(agentId)) {
            if (conversations.move(conversation.id(), ConversationTransition.AGENT_GONE, null, null, clock.instant())) {
                LOG.warn("Conversation {} goes back to queue '{}': agent {} {}", conversation.id(), conversation.queue(),
                        agentId, why);
                // In the agent's inbox, for when (and if) it connects again.
                events.record(new ConversationStateChanged(conversation.id(), agentId, ConversationState.OPEN, reason,
                        clock.instant()));
            }
        }
    }


}
