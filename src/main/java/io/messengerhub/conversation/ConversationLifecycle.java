package io.messengerhub.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.messengerhub.outbox.DomainEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one way a conversation is closed, whoever closes it (the API, its agent, the inactivity timer): the state
 * moves to Closed only from a state the caller expected (the guard is in the update's {@code WHERE}), so of two
 * racing closes exactly one wins, and every close has the same consequences: {@link ConversationClosed}, whose
 * route in routes/events.camel.yaml withdraws pending offers, cancels enrichment retries, tells integrations and the
 * holding agent, and orders the transcript archived.
 */
@Component
public class ConversationLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationLifecycle.class);

    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final Clock clock;

    public ConversationLifecycle(ConversationRepository conversations, DomainEvents events, Clock clock) {
        this.conversations = conversations;
        this.events = events;
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

    /**
     * Closes the conversation if it is still in a state the close may start from: the conversation as closed, or
     * empty when it is not (another change got there first). Call inside the deciding transaction.
     */
    public Optional<Conversation> close(Conversation conversation, ConversationTransition close) {
        if (close.to() != ConversationState.CLOSED) {
            throw new IllegalArgumentException(close + " is not a close");
        }
        Instant now = clock.instant();
        if (!conversations.move(conversation.id(), close, conversation.agentId(), null, now)) {
            return Optional.empty();
        }
        Conversation closed = conversation.withState(ConversationState.CLOSED, now);
        events.record(new ConversationClosed(closed, conversation.agentId(), by(close), now));
        LOG.info("Closed conversation {} ({})", conversation.id(), by(close));
        return Optional.of(closed);
    }
}
