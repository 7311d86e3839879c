package io.messengerhub.conversation;

import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.messengerhub.agent.AgentInbox;
import io.messengerhub.outbox.OutboxMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes Open and Waiting conversations nobody has touched for {@code hub.conversations.inactivity-timeout}, as
 * Dynamics 365 does; the customer's next message opens a new conversation. Integrations and the holding agent
 * are told.
 */
@Component("inactivityCloser")
public class InactivityCloser {

    private static final Logger LOG = LoggerFactory.getLogger(InactivityCloser.class);

    private final JdbcClient jdbc;
    private final ConversationRepository conversations;
    private final ConversationEvents events;
    private final AgentInbox inbox;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration timeout;
    private final io.messengerhub.agent.WorkDistribution distribution;

    public InactivityCloser(JdbcClient jdbc, ConversationRepository conversations, ConversationEvents events, AgentInbox inbox,
                            TransactionTemplate transaction, Clock clock,
                            @Value("${hub.conversations.inactivity-timeout}") Duration timeout,
                            io.messengerhub.agent.WorkDistribution distribution) {
        this.distribution = distribution;
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.events = events;
        this.inbox = inbox;
        this.transaction = transaction;
        this.clock = clock;
        this.timeout = timeout;
    }

    public List<OutboxMessage> closeInactive() {
        var toSend = new ArrayList<OutboxMessage>();
        List<String> idle = jdbc.sql("select id from conversation where state in ('OPEN', 'WAITING') and last_interaction_at < :before"
                        + " order by last_interaction_at limit 200")
                .param("before", clock.instant().minus(timeout).atOffset(ZoneOffset.UTC)).query(String.class).list();
        for (String id : idle) {
            List<OutboxMessage> closed = transaction.execute(status -> {
                Conversation conversation = conversations.findById(id).orElseThrow();
                Instant now = clock.instant();
                if (!conversations.changeState(id, List.of(ConversationState.OPEN, ConversationState.WAITING), ConversationState.CLOSED,
                        conversation.agentId(), null, now)) {
                    return List.<OutboxMessage>of();
                }
                var messages = new ArrayList<OutboxMessage>(distribution.withdrawOffersOf(id, "WITHDRAWN", "closed"));
                LOG.info("Closed conversation {} after {} without activity", id, timeout);
                messages.addAll(events.closed(conversation.withState(ConversationState.CLOSED, now)));
                if (conversation.agentId() != null) {
                    messages.add(inbox.stateChanged(conversation.agentId(), id, "CLOSED", "inactivity"));
                }
                return messages;
            });
            toSend.addAll(closed == null ? List.of() : closed);
        }
        return toSend;
    }
}
