package io.messengerhub.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.messengerhub.agent.AgentInbox;
import io.messengerhub.agent.WorkDistribution;
import io.messengerhub.customer.EnrichmentRetries;
import io.messengerhub.outbox.OutboxMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The one way a conversation is closed, whoever closes it (the API, its agent, the inactivity timer): the state
 * moves to Closed only from a state the caller expected (the guard is in the update's {@code WHERE}), so of two
 * racing closes exactly one wins, and every close has the same consequences: pending offers withdrawn, enrichment
 * retries cancelled, integrations told, the transcript archived, the holding agent told (by the answer to its own
 * command, or else by {@code conversation.state-changed}).
 */
@Component
public class ConversationLifecycle {

    /** Every state a conversation can be closed from. */
    public static final List<ConversationState> OPEN_STATES = List.of(ConversationState.OPEN, ConversationState.ACTIVE,
            ConversationState.WAITING, ConversationState.WRAP_UP);

    /** Who closes: the conversation's agent, the API, the inactivity timer. */
    public static final String BY_AGENT = "agent";
    public static final String BY_API = "api";
    public static final String BY_INACTIVITY = "inactivity";

    private static final Logger LOG = LoggerFactory.getLogger(ConversationLifecycle.class);

    private final ConversationRepository conversations;
    private final ConversationEvents events;
    private final EnrichmentRetries retries;
    private final AgentInbox inbox;
    private final WorkDistribution distribution;
    private final Clock clock;

    public ConversationLifecycle(ConversationRepository conversations, ConversationEvents events, EnrichmentRetries retries,
                                 AgentInbox inbox, @Lazy WorkDistribution distribution, Clock clock) {
        this.conversations = conversations;
        this.events = events;
        this.retries = retries;
        this.inbox = inbox;
        this.distribution = distribution;
        this.clock = clock;
    }

    /** A close that happened: the conversation as closed, and what it sends once committed. */
    public record Closed(Conversation conversation, List<OutboxMessage> toSend) {
    }

    /**
     * Closes the conversation if it is still in one of {@code from}; empty when it is not (another change got there
     * first). {@code by} says who closed it (api, agent, inactivity). Call inside the deciding transaction.
     */
    public Optional<Closed> close(Conversation conversation, List<ConversationState> from, String by) {
        Instant now = clock.instant();
        if (!conversations.changeState(conversation.id(), from, ConversationState.CLOSED, conversation.agentId(), null, now)) {
            return Optional.empty();
        }
        Conversation closed = conversation.withState(ConversationState.CLOSED, now);
        var toSend = new ArrayList<OutboxMessage>(distribution.withdrawOffersOf(conversation.id(), "WITHDRAWN", "closed"));
        retries.done(conversation.id());
        toSend.addAll(events.closed(closed));
        // The holder is told; an agent who closed it itself has the answer to its command instead.
        if (conversation.agentId() != null && !BY_AGENT.equals(by)) {
            toSend.add(inbox.stateChanged(conversation.agentId(), conversation.id(), "CLOSED", by));
        }
        LOG.info("Closed conversation {} ({})", conversation.id(), by);
        return Optional.of(new Closed(closed, toSend));
    }
}
