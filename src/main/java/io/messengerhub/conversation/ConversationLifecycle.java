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

    /** Who closed, as conversation.state-changed says it (docs/asyncapi.yaml). */
    private static String by(ConversationTransition close) {
        return switch (close) {
            case CLOSE_BY_AGENT -> "agent";
            case CLOSE_FOR_INACTIVITY -> "inactivity";
            default -> "api";
        };
    }

    /** A close that happened: the conversation as closed, and what it sends once committed. */
    public record Closed(Conversation conversation, List<OutboxMessage> toSend) {
    }

    /**
     * Closes the conversation if it is still in a state the close may start from; empty when it is not (another
     * change got there first). Call inside the deciding transaction.
     */
    public Optional<Closed> close(Conversation conversation, ConversationTransition close) {
        if (close.to() != ConversationState.CLOSED) {
            throw new IllegalArgumentException(close + " is not a close");
        }
        Instant now = clock.instant();
        if (!conversations.move(conversation.id(), close, conversation.agentId(), null, now)) {
            return Optional.empty();
        }
        Conversation closed = conversation.withState(ConversationState.CLOSED, now);
        var toSend = new ArrayList<OutboxMessage>(distribution.withdrawOffersOf(conversation.id(), "WITHDRAWN", "closed"));
        retries.done(conversation.id());
        toSend.addAll(events.closed(closed));
        // The holder is told; an agent who closed it itself has the answer to its command instead.
        if (conversation.agentId() != null && close != ConversationTransition.CLOSE_BY_AGENT) {
            toSend.add(inbox.stateChanged(conversation.agentId(), conversation.id(), "CLOSED", by(close)));
        }
        LOG.info("Closed conversation {} ({})", conversation.id(), by(close));
        return Optional.of(new Closed(closed, toSend));
    }
}
