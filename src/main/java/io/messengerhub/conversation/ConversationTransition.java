package io.messengerhub.conversation;

import static io.messengerhub.conversation.ConversationState.ACTIVE;
import static io.messengerhub.conversation.ConversationState.CLOSED;
import static io.messengerhub.conversation.ConversationState.OPEN;
import static io.messengerhub.conversation.ConversationState.WAITING;
import static io.messengerhub.conversation.ConversationState.WRAP_UP;

import java.util.List;

/**
 * The state machine of a conversation (Dynamics 365's Open, Active, Waiting, Wrap-up, Closed) as one table: every
 * move, the state it leads to and the states it may start from. {@link ConversationRepository#move} puts the
 * starting states into the update's {@code WHERE}, so a move from any other state, or one that lost a race, changes
 * nothing. docs/agent-protocol.md shows the same table.
 */
public enum ConversationTransition {

    /** An agent accepts an offer, or picks the conversation from a pick queue. */
    ACCEPT(ACTIVE, OPEN),
    /** The agent waits for the customer. */
    WAIT(WAITING, ACTIVE),
    /** The customer writes to a Waiting conversation. */
    CUSTOMER_WRITES(ACTIVE, WAITING),
    /** The agent ends the conversation: after-call work. */
    END(WRAP_UP, ACTIVE, WAITING),
    /** The agent gives it back to its queue, or transfers it to another one. */
    RELEASE(OPEN, ACTIVE, WAITING),
    /** The agent did not come back within the reconnect grace: it goes back to its queue. */
    AGENT_GONE(OPEN, ACTIVE, WAITING),
    /** The agent closes it. */
    CLOSE_BY_AGENT(CLOSED, ACTIVE, WAITING, WRAP_UP),
    /** An integration or operator closes it over HTTP. */
    CLOSE_BY_API(CLOSED, OPEN, ACTIVE, WAITING, WRAP_UP),
    /** Nobody wrote for hub.conversations.inactivity-timeout. */
    CLOSE_FOR_INACTIVITY(CLOSED, OPEN, WAITING),
    /** A supervisor gives it to a named agent, queued or held by another (force-assign: capacity is not asked). */
    ASSIGN_BY_SUPERVISOR(ACTIVE, OPEN, ACTIVE, WAITING),
    /** A supervisor moves it to a queue, queued or held: it waits there for an agent. */
    TRANSFER_BY_SUPERVISOR(OPEN, OPEN, ACTIVE, WAITING);

    private final ConversationState to;
    private final List<ConversationState> from;

    ConversationTransition(ConversationState to, ConversationState... from) {
        this.to = to;
        this.from = List.of(from);
    }

    public ConversationState to() {
        return to;
    }

    public List<ConversationState> from() {
        return from;
    }

    public boolean allowedFrom(ConversationState state) {
        return from.contains(state);
    }
}
